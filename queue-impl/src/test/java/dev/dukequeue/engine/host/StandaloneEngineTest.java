package dev.dukequeue.engine.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dukequeue.JobId;
import dev.dukequeue.JobRequest;
import dev.dukequeue.engine.config.MapConfig;
import dev.dukequeue.engine.dispatch.Dispatcher;
import dev.dukequeue.engine.dispatch.Settled;
import dev.dukequeue.engine.node.EngineStatus;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The engine built by hand ({@link StandaloneEngine#create}) on H2, with plain threads for the host and handlers that
 * record each invocation themselves: no CDI, no EJB, no interceptor anywhere. Executions are counted by the handlers,
 * outcomes read from the tables.
 */
class StandaloneEngineTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    private final JdbcDataSource h2 = new JdbcDataSource();
    private final TestHost host = new TestHost();
    private final TestHandlers handlers = new TestHandlers();
    private StandaloneEngine engine;

    StandaloneEngineTest() {
        h2.setURL("jdbc:h2:mem:standalone-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        h2.setUser("sa");
    }

    /** Starts an engine with fast polling and short backoffs, plus the given settings, and waits until it is ready. */
    private StandaloneEngine start(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(Map.of("dukequeue.node.name", "standalone-test",
                "dukequeue.poll.interval.ms", "50", "dukequeue.retry.backoff.base.ms", "100",
                "dukequeue.retry.backoff.max.ms", "200", "dukequeue.rescuer.interval.ms", "200",
                "dukequeue.workers", "2"));
        all.putAll(settings);
        engine = StandaloneEngine.create(host, h2, new MapConfig(all), handlers);
        engine.start();
        await().atMost(WAIT).until(engine::ready);
        return engine;
    }

    private StandaloneEngine start() {
        return start(Map.of());
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.shutdown("test over");
        }
        host.close();
    }

    private JobId submit(String type) {
        return submit(JobRequest.builder(type).payloadJson("{\"n\":1}").build());
    }

    private JobId submit(JobRequest request) {
        return engine.jobQueue().submit(request).id();
    }

    @Test
    void aJobSubmittedThroughTheQueueCompletesWithItsResultStored() {
        handlers.with("greet", (context, lease) -> "{\"echo\":" + context.payloadJson() + "}");
        start();

        JobId id = submit("greet");

        await().atMost(WAIT).until(() -> state(id).equals("COMPLETED"));
        assertThat(text("SELECT result FROM dq_job WHERE id = ?", id)).isEqualTo("{\"echo\":{\"n\":1}}");
        assertThat(handlers.invocations).containsExactly("greet 1");
        assertThat(engine.status().phase()).isEqualTo(EngineStatus.Phase.RUNNING);
    }

    @Test
    void aHandlerThatThrowsIsRetriedWithBackoffThenDeadLetteredWithItsErrors() {
        handlers.with("flaky", (context, lease) -> {
            throw new IllegalStateException("boom on attempt " + context.attempt());
        });
        start();

        JobId id = submit(JobRequest.builder("flaky").payloadJson("{}").maxAttempts(3).build());

        await().atMost(WAIT).until(() -> state(id).equals("DEAD_LETTER"));
        assertThat(handlers.invocations).containsExactly("flaky 1", "flaky 2", "flaky 3");
        assertThat(rows("SELECT outcome || ' ' || error_message FROM dq_attempt_history WHERE job_id = ?"
                + " ORDER BY run_no", id)).hasSize(3).allSatisfy(line -> assertThat(line)
                        .startsWith("FAILED").contains("boom on attempt"));
        // Backoff base 100 ms: the first retry waits at least 50 ms, the second at least 100 ms (database clock).
        List<String> gaps = rows("SELECT CAST(DATEDIFF('MILLISECOND', p.finished_at, a.started_at) AS VARCHAR)"
                + " FROM dq_attempt_history a JOIN dq_attempt_history p ON p.job_id = a.job_id"
                + " AND p.run_no = a.run_no - 1 WHERE a.job_id = ? ORDER BY a.run_no", id);
        assertThat(gaps).hasSize(2);
        assertThat(Long.parseLong(gaps.get(0))).isGreaterThanOrEqualTo(50);
        assertThat(Long.parseLong(gaps.get(1))).isGreaterThanOrEqualTo(100);
    }

    @Test
    void aTypeAddedToTheHandlersWhileRunningIsClaimedAfterAWakeUp() {
        // Polling once a minute: only a wake-up can make the late type's job run within the wait.
        handlers.with("early", (context, lease) -> "1");
        start(Map.of("dukequeue.poll.interval.ms", "60000"));
        JobId late = submit("late");
        JobId early = submit("early");
        await().atMost(WAIT).until(() -> state(early).equals("COMPLETED"));
        assertThat(state(late)).as("no handler for it yet, though submitted first").isEqualTo("SCHEDULED");

        handlers.with("late", (context, lease) -> "2");
        engine.wake();

        await().atMost(WAIT).until(() -> state(late).equals("COMPLETED"));
        assertThat(handlers.invocations).containsExactly("early 1", "late 1");
    }

    @Test
    void drainingOneTypeReleasesItsRunningJobUnchargedWhileAnotherTypeKeepsRunning() throws Exception {
        CountDownLatch slowStarted = new CountDownLatch(1);
        CountDownLatch steadyStarted = new CountDownLatch(1);
        CountDownLatch steadyMayEnd = new CountDownLatch(1);
        handlers.with("slow", (context, lease) -> {
            slowStarted.countDown();
            context.awaitStop(Duration.ofMinutes(1));
            throw new IllegalStateException("stopped: " + context.stopReason().orElse(null));
        }).with("steady", (context, lease) -> {
            steadyStarted.countDown();
            steadyMayEnd.await(1, TimeUnit.MINUTES);
            return "\"steady\"";
        });
        start();
        JobId slow = submit("slow");
        JobId steady = submit("steady");
        assertThat(slowStarted.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(steadyStarted.await(20, TimeUnit.SECONDS)).isTrue();

        handlers.remove("slow"); // its endpoint is going away
        Dispatcher.DrainReport report = engine.drainTypes(Set.of("slow"), Duration.ofSeconds(10));

        assertThat(report).isEqualTo(new Dispatcher.DrainReport(1, 0, 1, 0));
        assertThat(state(slow)).isEqualTo("SCHEDULED");
        assertThat(text("SELECT CAST(attempt AS VARCHAR) FROM dq_job WHERE id = ?", slow)).as("not charged")
                .isEqualTo("0");
        assertThat(rows("SELECT outcome FROM dq_attempt_history WHERE job_id = ?", slow)).containsExactly("RELEASED");
        assertThat(state(steady)).as("the other type goes on").isEqualTo("RUNNING");

        steadyMayEnd.countDown();
        await().atMost(WAIT).until(() -> state(steady).equals("COMPLETED"));
        assertThat(state(slow)).as("its type is gone: not claimed again").isEqualTo("SCHEDULED");
        assertThat(handlers.invocations("slow")).isEqualTo(1);
    }

    @Test
    void aHandlerThatCompletesItsJobInItsOwnTransactionAndSaysSoIsCompletedOnce() {
        AtomicReference<Boolean> accepted = new AtomicReference<>();
        handlers.with("mdb", (context, lease) -> {
            boolean ok = engine.store().completeInCallerTransaction(lease, "{\"by\":\"handler\"}");
            accepted.set(ok);
            return new Settled(ok);
        });
        start(Map.of("dukequeue.workers", "1"));

        JobId first = submit("mdb");
        JobId second = submit("mdb");

        // One worker: the second job runs only if settling the first freed its slot.
        await().atMost(WAIT).until(() -> state(first).equals("COMPLETED") && state(second).equals("COMPLETED"));
        assertThat(accepted.get()).isTrue();
        assertThat(text("SELECT result FROM dq_job WHERE id = ?", first)).isEqualTo("{\"by\":\"handler\"}");
        assertThat(rows("SELECT outcome FROM dq_attempt_history WHERE job_id = ?", first)).containsExactly("SUCCEEDED");
        assertThat(handlers.invocations).containsExactly("mdb 1", "mdb 1");
    }

    @Test
    void aHandlerWhoseCompletionTheFenceRefusedLeavesTheJobToItsNewOwner() {
        handlers.with("fenced", (context, lease) -> new Settled(false))
                .with("next", (context, lease) -> "\"next\"");
        start(Map.of("dukequeue.workers", "1"));

        JobId fenced = submit("fenced");
        JobId next = submit("next");

        await().atMost(WAIT).until(() -> state(next).equals("COMPLETED"));
        assertThat(state(fenced)).as("the dispatcher wrote no outcome of its own").isEqualTo("RUNNING");
        assertThat(handlers.invocations).containsExactly("fenced 1", "next 1");
    }

    @Test
    void shutdownStopsTheNodeOnceAndASecondShutdownChangesNothing() {
        start();

        engine.shutdown("first");
        assertThat(engine.status().phase()).isEqualTo(EngineStatus.Phase.STOPPED);
        assertThat(engine.status().reason()).contains("first");
        assertThat(engine.ready()).isFalse();
        assertThat(rows("SELECT phase FROM dq_node WHERE name = ?", "standalone-test")).containsExactly("STOPPED");

        engine.shutdown("second");

        assertThat(engine.status().reason()).contains("first");
        assertThat(engine.status().shutdownPhaseMillis()).containsOnlyKeys("readiness-down", "stop-claiming",
                "drain", "close");
    }

    private String state(JobId id) {
        return text("SELECT state FROM dq_job WHERE id = ?", id);
    }

    private String text(String sql, JobId id) {
        List<String> rows = rows(sql, id);
        assertThat(rows).hasSize(1);
        return rows.get(0);
    }

    private List<String> rows(String sql, Object param) {
        try (Connection c = h2.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, param.toString());
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
