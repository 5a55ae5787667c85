package dev.dukequeue.it.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The playbook's scenario 7, steps 5 and 6, on real processes: a handler that outlives the drain and ignores the
 * interrupt must keep its job RUNNING under its lease, so that no other node runs the same job while it still runs.
 * Checked from the journal {@code demo.work} keeps outside the queue's tables, across both nodes.
 */
class ShutdownOverlapIT {

    private static final Duration START = Duration.ofSeconds(120);

    private Path dir;
    private RestartablePostgres postgres;
    private final List<ServerProcess> nodes = new ArrayList<>();

    @BeforeEach
    void database() throws Exception {
        dir = Files.createDirectories(Path.of(System.getProperty("dukequeue.it.dir", "target/it"),
                "overlap-" + UUID.randomUUID().toString().substring(0, 8)));
        postgres = RestartablePostgres.on(RestartablePostgres.freePort(), dir.resolve("pgdata")).start();
    }

    @AfterEach
    void cleanUp() {
        nodes.forEach(ServerProcess::close);
        postgres.close();
    }

    private ServerProcess node(String name) {
        // A drain of one second: the job below (8 s) outlives it by far. A lease of 10 s (not the engine's 30 s), so
        // the test takes seconds: the other node may take the job back once the lease has expired. It must outlast the
        // node's life after its last heartbeat (drain 1 s, then Payara's shutdown grace of 5 s: ServerProcess), so
        // that on a correct engine the lease can only expire after that node has died with its handler; a 3 s lease
        // expired while the node that got SIGTERM still ran (seen: it lived 4.3 s past its drain).
        ServerProcess node = ServerProcess.node(name, postgres.jdbcUrl(), dir.resolve(name)).withJournal()
                .with("dukequeue.shutdown.drain.ms", "1000").with("dukequeue.lease.duration.ms", "10000")
                .with("dukequeue.heartbeat.interval.ms", "1000").with("dukequeue.rescuer.interval.ms", "500");
        nodes.add(node);
        return node;
    }

    private String text(String sql) throws SQLException {
        try (Connection c = postgres.connect(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private Journal journal() {
        List<Journal.Process> all = new ArrayList<>();
        nodes.forEach(n -> all.addAll(n.journals()));
        return Journal.read(all);
    }

    @Test
    void aJobWhoseHandlerIgnoresTheInterruptAndOutlivesTheDrainNeverRunsTwiceAtOnce() throws Exception {
        ServerProcess a = node("overlap-a").start();
        ServerProcess b = node("overlap-b").start();
        a.awaitReady(START);
        b.awaitReady(START);
        String id = Json.createReader(new StringReader(a.post("/jobs", "{\"type\":\"demo.work\",\"maxAttempts\":5,"
                + "\"payload\":{\"ms\":8000,\"ignoreInterrupt\":true}}").body())).readObject().getString("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> !journal().of(id).isEmpty());
        Journal.Execution first = journal().of(id).get(0);
        ServerProcess victim = first.owner().startsWith("overlap-a#") ? a : b;

        long sigterm = System.currentTimeMillis() * 1_000_000L;
        victim.terminate();

        await().atMost(Duration.ofMinutes(2)).until(() -> "COMPLETED".equals(text("SELECT state FROM dq_job WHERE id = '"
                + id + "'")));
        Journal journal = journal();
        List<Journal.Execution> runs = journal.of(id);
        System.out.println("shutdown overlap: executions of the job " + runs);
        assertThat(runs.get(0).start()).as("the first execution ran on the node that got SIGTERM").isEqualTo(first.start());
        assertThat(runs.get(0).owner()).isEqualTo(first.owner());
        // The case under test: that execution was still going when the drain's second was up (it ended later, or its
        // process died with it). Its process's exit time is taken just after the exit, so an execution that never
        // ended is treated as running a little longer than it did: that can report an overlap, never hide one.
        assertThat(runs.get(0).bound()).as("the first execution outlived the drain")
                .isGreaterThan(sigterm + Duration.ofSeconds(1).toNanos());
        assertThat(journal.overlaps()).as("executions of one job that overlapped in time (across both nodes)").isEmpty();
        // Exactly one outcome: the job's result names one execution of the journal, which ended normally.
        JsonObject result = Json.createReader(new StringReader(text("SELECT result FROM dq_job WHERE id = '" + id + "'")))
                .readObject();
        Journal.Execution recorded = journal.byResultId(id, result.getString("execution"));
        assertThat(recorded).as("the execution the result names, in the journal").isNotNull();
        assertThat(recorded.ended() && recorded.ok()).as("it ended normally").isTrue();
        assertThat(text("SELECT COUNT(*) FROM dq_attempt_history WHERE job_id = '" + id + "' AND outcome = 'SUCCEEDED'"))
                .isEqualTo("1");
        assertThat(text("SELECT node FROM dq_attempt_history WHERE job_id = '" + id + "' AND outcome = 'SUCCEEDED'"))
                .isEqualTo(recorded.owner());
    }
}
