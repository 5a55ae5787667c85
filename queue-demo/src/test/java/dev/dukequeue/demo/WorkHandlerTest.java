package dev.dukequeue.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dukequeue.JobContext;
import dev.dukequeue.JobId;
import dev.dukequeue.PermanentJobException;
import dev.dukequeue.StopReason;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkHandlerTest {

    @TempDir
    Path dir;

    private final JobId id = JobId.random();

    private static JsonObject payload(String json) {
        return Json.createReader(new StringReader(json)).readObject();
    }

    @Test
    void anExecutionWritesItsStartBeforeTheWorkAndItsEndAfterIt() throws Exception {
        Path file = dir.resolve("journals").resolve("a.journal");
        Clock clock = Clock.fixed(Instant.ofEpochSecond(1_700_000_000L, 123), ZoneOffset.UTC);
        try (ExecutionJournal journal = ExecutionJournal.open(file, "node-a", clock)) {
            JsonObject result = (JsonObject) new WorkHandler(journal).handle(payload("{\"ms\":5}"), context(3));

            long pid = ProcessHandle.current().pid();
            String t = "1700000000000000123";
            assertThat(Files.readAllLines(file)).containsExactly(
                    "start " + t + " " + id + " node-a " + pid + " 3",
                    "end " + t + " " + id + " node-a " + pid + " 3 " + t + " ok");
            assertThat(result.getInt("worked")).isEqualTo(5);
            assertThat(result.getString("execution")).isEqualTo("node-a/" + pid + "/" + t);
        }
    }

    @Test
    void anInterruptEndsTheWorkUnlessTheHandlerIgnoresItAndTheEndLineSaysHowItEnded() throws Exception {
        Path file = dir.resolve("b.journal");
        try (ExecutionJournal journal = ExecutionJournal.open(file, "node-b", Clock.systemUTC())) {
            WorkHandler handler = new WorkHandler(journal);

            Thread.currentThread().interrupt();
            assertThatThrownBy(() -> handler.handle(payload("{\"ms\":60000}"), context(1)))
                    .isInstanceOf(InterruptedException.class);
            assertThat(Files.readAllLines(file)).hasSize(2).last().asString().startsWith("end ").endsWith(" error");

            // Interrupted all along (from another thread, while it works): it still works its whole time.
            AtomicReference<Object> result = new AtomicReference<>();
            Thread worker = new Thread(() -> {
                try {
                    result.set(handler.handle(payload("{\"ms\":300,\"ignoreInterrupt\":true}"), context(2)));
                } catch (InterruptedException e) {
                    result.set(e);
                }
            });
            worker.start();
            while (worker.isAlive()) {
                worker.interrupt();
                worker.join(5);
            }
            assertThat(result.get()).isInstanceOf(JsonObject.class);
            List<String> lines = Files.readAllLines(file);
            assertThat(lines).hasSize(4);
            String[] start = lines.get(2).split(" ");
            String[] end = lines.get(3).split(" ");
            assertThat(end[7]).isEqualTo("ok");
            assertThat(Long.parseLong(end[1]) - Long.parseLong(start[1])).as("nanoseconds worked")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
        }
    }

    @Test
    void withoutAJournalItWorksAndRecordsNothing() throws Exception {
        JsonObject result = (JsonObject) new WorkHandler(null).handle(payload("{\"ms\":0}"), context(1));
        assertThat(result.getString("execution")).isEmpty();
    }

    @Test
    void itsPayloadIsCheckedAtAndPastEachBound() throws Exception {
        WorkHandler handler = new WorkHandler(null);
        assertThat(handler.handle(payload("{\"ms\":0,\"ignoreInterrupt\":false}"), context(1))).isNotNull();
        for (String bad : List.of("{}", "{\"ms\":-1}", "{\"ms\":3600001}", "{\"ms\":1.5}", "{\"ms\":\"1\"}",
                "{\"ms\":1,\"ignoreInterrupt\":\"yes\"}")) {
            assertThatThrownBy(() -> handler.handle(payload(bad), context(1))).as(bad)
                    .isInstanceOf(PermanentJobException.class).hasMessageContaining("demo.work");
        }
        assertThatThrownBy(() -> handler.handle(null, context(1))).isInstanceOf(PermanentJobException.class);
        assertThat(WorkHandler.MAX_MS).isEqualTo(3_600_000);
    }

    private JobContext context(int attempt) {
        return new JobContext() {
            @Override
            public JobId jobId() {
                return id;
            }

            @Override
            public String type() {
                return "demo.work";
            }

            @Override
            public String queue() {
                return "default";
            }

            @Override
            public int attempt() {
                return attempt;
            }

            @Override
            public int maxAttempts() {
                return 3;
            }

            @Override
            public String payloadJson() {
                return "{}";
            }

            @Override
            public boolean stopRequested() {
                return false;
            }

            @Override
            public Optional<StopReason> stopReason() {
                return Optional.empty();
            }

            @Override
            public boolean awaitStop(Duration duration) {
                return false;
            }

            @Override
            public boolean checkpointJson(String json) {
                return true;
            }

            @Override
            public boolean checkpoint(Object state) {
                return true;
            }

            @Override
            public Optional<String> lastCheckpointJson() {
                return Optional.empty();
            }

            @Override
            public <T> Optional<T> lastCheckpoint(Class<T> type) {
                return Optional.empty();
            }

            @Override
            public boolean progress(int percent, String message) {
                return true;
            }
        };
    }
}
