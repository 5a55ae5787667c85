package dev.dukequeue.engine.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dukequeue.JobId;
import dev.dukequeue.engine.store.JdbcJobStore;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Playbook scenario 3, corrupt data: a row whose payload or checkpoint is not JSON (written behind DukeQueue's back)
 * fails at once, FAILED with category SYSTEM and the column named, without its handler ever seeing it and without
 * retries; it is counted; every other job goes on.
 */
class DispatcherCorruptRowTest {

    private static final String TYPE = "test.record";

    /** What the handler was given, by job id: the proof, outside the queue's tables, that it never saw the row. */
    private final Map<String, String> handed = new ConcurrentHashMap<>();
    private final CountDownLatch hold = new CountDownLatch(1);
    private DispatcherFixture fixture;

    @BeforeEach
    void dispatcher() throws SQLException {
        fixture = new DispatcherFixture(Map.of("dukequeue.poll.interval.ms", "20", "dukequeue.workers", "4",
                "dukequeue.retry.backoff.base.ms", "10"), JdbcJobStore::new, Map.of(TYPE, c -> {
                    handed.put(c.jobId().toString(), c.payloadJson());
                    return "ok";
                }, "test.hold", c -> {
                    hold.await();
                    return "held";
                }));
    }

    @AfterEach
    void stop() {
        hold.countDown();
        fixture.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":", "not json", "{\"a\":1} trailing", "{\"a\":1}{\"b\":2}", ""})
    void aPayloadThatIsNotJsonFailsTheJobAsSystemAndTheOthersFlow(String corrupt) {
        JobId bad = fixture.submit(TYPE, "{\"n\":0}");
        assertThat(fixture.update("UPDATE dq_job SET payload = ? WHERE id = ?", corrupt, bad.toString())).isOne();
        List<JobId> good = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            good.add(fixture.submit(TYPE, "{\"n\":" + i + "}"));
        }

        fixture.dispatcher.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> good.stream().allMatch(id ->
                "COMPLETED".equals(fixture.state(id))) && "FAILED".equals(fixture.state(bad)));
        assertThat(fixture.text("SELECT last_error_category FROM dq_job WHERE id = ?", bad)).isEqualTo("SYSTEM");
        assertThat(fixture.text("SELECT last_error_message FROM dq_job WHERE id = ?", bad))
                .startsWith("corrupt job row: payload ");
        assertThat(fixture.text("SELECT CAST(attempt AS VARCHAR) FROM dq_job WHERE id = ?", bad))
                .as("not retried: retrying cannot repair the row").isEqualTo("1");
        assertThat(fixture.text("SELECT CAST(COUNT(*) AS VARCHAR) FROM dq_attempt WHERE job_id = ?", bad))
                .isEqualTo("1");
        assertThat(handed).as("the handler never saw the corrupt row").doesNotContainKey(bad.toString())
                .hasSize(20);
        assertThat(fixture.metrics.count("corrupt")).isOne();
        assertThat(fixture.metrics.count("failed:SYSTEM")).isOne();
        assertThat(fixture.metrics.count("completed")).isEqualTo(20);
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.dispatcher.runningJobs().isEmpty());
    }

    @Test
    void aCheckpointThatIsNotJsonFailsTheJobAsSystem() {
        JobId bad = fixture.submit(TYPE, "{}");
        fixture.update("UPDATE dq_job SET checkpoint_data = ? WHERE id = ?", "{\"step\":", bad.toString());
        JobId good = fixture.submit(TYPE, "{}");

        fixture.dispatcher.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(fixture.state(good))
                && "FAILED".equals(fixture.state(bad)));
        assertThat(fixture.text("SELECT last_error_message FROM dq_job WHERE id = ?", bad))
                .startsWith("corrupt job row: checkpoint_data is not JSON");
        assertThat(handed).containsOnlyKeys(good.toString());
        assertThat(fixture.metrics.count("corrupt")).isOne();
    }

    @Test
    void aValidPayloadOfAnyJsonKindReachesTheHandlerUnchanged() {
        List<String> payloads = List.of("{}", "[1,2]", "\"text\"", "42", "null", " {\"a\" : [true]} ");
        List<JobId> ids = new ArrayList<>();
        payloads.forEach(p -> ids.add(fixture.submit(TYPE, p)));

        fixture.dispatcher.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream().allMatch(id ->
                "COMPLETED".equals(fixture.state(id))));
        for (int i = 0; i < ids.size(); i++) {
            assertThat(handed.get(ids.get(i).toString())).isEqualTo(payloads.get(i));
        }
        assertThat(fixture.metrics.count("corrupt")).isZero();
    }
}
