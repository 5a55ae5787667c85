package dev.dukequeue.it.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.dukequeue.JobState;
import dev.dukequeue.it.connector.appb.FailingBean;
import dev.dukequeue.it.connector.appb.RecordingBean;
import dev.dukequeue.it.connector.appb.RollbackOnceBean;
import dev.dukequeue.it.process.RestartablePostgres;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * DukeQueue's resource adapter as applications use it, on one Payara Micro process: {@code dukequeue.rar}, then app-a
 * (submits through the adapter's connection factory in its own container transaction, with a row of its own) and
 * app-b (message-driven beans that run the jobs), neither bundling queue-api. The jobs' database is an embedded
 * PostgreSQL behind the server's JDBC resource {@code jdbc/dukequeue}. Every check reads the tables directly: DukeQueue's
 * {@code dq_job} and attempt history, and the applications' own rows, which show what committed.
 *
 * <p>One server for the class. Each test waits for the node to be ready first and leaves it ready (the outage test
 * restores the database and waits for the node to heal), so the tests do not depend on their order.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConnectorIT {

    private static final Duration START = Duration.ofSeconds(180);
    private static final Duration JOBS_END = Duration.ofSeconds(60);
    /** The engine polls every 200 ms and beats every second: each of those fails while the database is down. */
    private static final Duration IDLE_DETECTION = Duration.ofSeconds(30);

    private Path dir;
    private RestartablePostgres postgres;
    private ConnectorServer server;

    @RegisterExtension
    final TestWatcher serverLogOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (server != null) {
                System.out.println(context.getDisplayName() + " failed; server log " + server.log() + ", its tail:\n"
                        + server.logTail());
            }
        }
    };

    @BeforeAll
    void startServer() throws Exception {
        dir = Files.createDirectories(Path.of(System.getProperty("dukequeue.it.dir", "target/it"),
                "connector-" + UUID.randomUUID().toString().substring(0, 8))).toAbsolutePath();
        int databasePort = RestartablePostgres.freePort();
        postgres = RestartablePostgres.on(databasePort, dir.resolve("pgdata")).start();
        try (Connection c = postgres.connect()) {
            ConnectorApps.createTables(c);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("dukequeue.node.name", "rar-node");
        settings.put("dukequeue.poll.interval.ms", "200");
        settings.put("dukequeue.retry.backoff.base.ms", "100");
        settings.put("dukequeue.retry.backoff.max.ms", "500");
        settings.put("dukequeue.lease.duration.ms", "5000");
        settings.put("dukequeue.heartbeat.interval.ms", "1000");
        settings.put("dukequeue.rescuer.interval.ms", "1000");
        long started = System.nanoTime();
        server = ConnectorServer.start(dir, databasePort, settings, ConnectorApps.export(dir));
        server.awaitReady(START);
        System.out.printf("ConnectorIT: Payara Micro with dukequeue.rar, app-a and app-b ready in %d ms (log %s)%n",
                Duration.ofNanos(System.nanoTime() - started).toMillis(), server.log());
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void nodeIsReady() {
        server.awaitReady(Duration.ofSeconds(60));
    }

    @Test
    void commitOfTheSubmittersTransactionCreatesTheJobAndTheMdbRunsItOnce() throws Exception {
        String marker = "commit-" + UUID.randomUUID();
        List<String> jobs = new ArrayList<>();
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            Placed placed = place(RecordingBean.TYPE, marker, 5, true);
            jobs.add(placed.job());
            orders.add(placed.order());
        }

        await().atMost(JOBS_END).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(statesOf(jobs)).isEqualTo(Map.of(JobState.COMPLETED.name(), 50L)));
        assertThat(number("SELECT COUNT(*) FROM dq_job WHERE payload LIKE ?", "%" + marker + "%"))
                .as("jobs carrying this test's marker").isEqualTo(50);
        assertThat(number("SELECT COUNT(*) FROM app_a_orders WHERE id = ANY(?)", orders)).as("orders committed")
                .isEqualTo(50);
        assertThat(effectsPerJob(jobs)).as("app_b_effects rows per job").hasSize(50)
                .allSatisfy((job, rows) -> assertThat(rows).as("effects of job " + job).isEqualTo(1L));
    }

    @Test
    void rollbackOfTheSubmittersTransactionLeavesNoJobAndNoRow() throws Exception {
        String marker = "rollback-" + UUID.randomUUID();
        Placed rolledBack = place(RecordingBean.TYPE, marker, 5, false);
        // A job submitted afterwards that has completed: the poller has had its chance to see the rolled-back one.
        Placed later = place(RecordingBean.TYPE, "after-" + marker, 5, true);
        await().atMost(JOBS_END).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(state(later.job())).isEqualTo(JobState.COMPLETED.name()));

        assertThat(state(rolledBack.job())).as("state of the rolled-back job " + rolledBack.job()).isNull();
        assertThat(number("SELECT COUNT(*) FROM dq_job WHERE payload LIKE ?", "%\"" + marker + "\"%"))
                .as("jobs with the rolled-back payload").isZero();
        assertThat(number("SELECT COUNT(*) FROM app_a_orders WHERE id = ?", rolledBack.order()))
                .as("the rolled-back order").isZero();
        assertThat(effectsOf(rolledBack.job())).as("effects of the rolled-back job").isEmpty();
        assertThat(number("SELECT COUNT(*) FROM app_a_orders WHERE id = ?", later.order())).as("the later order")
                .isEqualTo(1);
    }

    @Test
    void aThrowingMdbIsRetriedAndDeadLetteredWithItsStackTrace() throws Exception {
        Placed placed = place(FailingBean.TYPE, "fail-" + UUID.randomUUID(), 3, true);

        await().atMost(JOBS_END).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(state(placed.job())).isEqualTo(JobState.DEAD_LETTER.name()));
        assertThat(number("SELECT attempt FROM dq_job WHERE id = ?", placed.job())).as("attempts used").isEqualTo(3);
        // Each attempt's insert rolled back with its transaction.
        assertThat(effectsOf(placed.job())).as("effects of the failing bean").isEmpty();
        assertThat(number("SELECT COUNT(*) FROM app_a_orders WHERE id = ?", placed.order())).as("its order")
                .isEqualTo(1);
        List<Attempt> history = history(placed.job());
        assertThat(history).as("attempt history").extracting(Attempt::attempt).containsExactly(1, 2, 3);
        assertThat(history).allSatisfy(a -> {
            assertThat(a.outcome()).as("outcome of attempt " + a.attempt()).isEqualTo("FAILED");
            assertThat(a.stackTrace()).as("stack trace of attempt " + a.attempt()).contains("FailingBean.onJob");
            assertThat(a.errorMessage()).as("error of attempt " + a.attempt()).contains("conn.fail attempt " + a.attempt());
        });
    }

    @Test
    void theJobsCompletionCommitsInTheMdbsTransaction() throws Exception {
        Placed placed = place(RollbackOnceBean.TYPE, "rollback-once-" + UUID.randomUUID(), 5, true);

        await().atMost(JOBS_END).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(state(placed.job())).isEqualTo(JobState.COMPLETED.name()));
        // Had the completion been written outside the bean's transaction, attempt 1 (rolled back) would have ended it.
        assertThat(number("SELECT attempt FROM dq_job WHERE id = ?", placed.job())).as("attempt that completed")
                .isEqualTo(2);
        assertThat(history(placed.job())).as("attempt history").extracting(Attempt::attempt, Attempt::outcome)
                .containsExactly(tuple(1, "FAILED"), tuple(2, "SUCCEEDED"));
        assertThat(effectsOf(placed.job())).as("attempts whose effect committed").containsExactly(2);
    }

    @Test
    void theEngineNotReadyFailsFastWithAClearError() throws Exception {
        long stopped = System.nanoTime();
        postgres.stop();
        String idleNodeMissedTheOutage = null;
        try {
            // Every request is bounded by ConnectorServer.REQUEST_TIMEOUT: a hang fails the test with an
            // HttpTimeoutException. First only /app-a/ready, which touches no database: the engine's own polls and
            // heartbeats fail every few hundred ms, so the node must notice the outage by itself.
            try {
                await().atMost(IDLE_DETECTION).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        assertRefused(server.get("/app-a/ready"), "/app-a/ready"));
                System.out.printf("ConnectorIT: /app-a/ready refused %d ms after PostgreSQL stopped%n",
                        Duration.ofNanos(System.nanoTime() - stopped).toMillis());
            } catch (ConditionTimeoutException e) {
                // Reported at the end: the rest of the test (refusals under submissions, healing) still runs.
                idleNodeMissedTheOutage = e.getMessage();
            }
            // Then as an application does: submit.
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                assertRefused(submit(RecordingBean.TYPE, "down-" + UUID.randomUUID(), 5, true), "/app-a/submit");
                assertRefused(server.get("/app-a/ready"), "/app-a/ready");
            });
            System.out.printf("ConnectorIT: /app-a/submit and /app-a/ready refused %d ms after PostgreSQL stopped%n",
                    Duration.ofNanos(System.nanoTime() - stopped).toMillis());
        } finally {
            postgres.start();
        }

        long restarted = System.nanoTime();
        server.awaitReady(Duration.ofSeconds(120));
        System.out.printf("ConnectorIT: ready again %d ms after PostgreSQL restarted%n",
                Duration.ofNanos(System.nanoTime() - restarted).toMillis());
        Placed placed = place(RecordingBean.TYPE, "healed-" + UUID.randomUUID(), 5, true);
        await().atMost(JOBS_END).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(state(placed.job())).isEqualTo(JobState.COMPLETED.name()));
        assertThat(effectsOf(placed.job())).as("effects of the job submitted after healing").hasSize(1);
        assertThat(idleNodeMissedTheOutage).as("with PostgreSQL down and no submissions, /app-a/ready answered 503 "
                + "naming QueueUnavailableException within " + IDLE_DETECTION).isNull();
    }

    private static void assertRefused(HttpResponse<String> answer, String what) {
        String described = "with PostgreSQL down, " + what + " answered " + answer.statusCode() + " " + answer.body();
        assertThat(answer.statusCode()).as(described).isEqualTo(503);
        assertThat(answer.body()).as(described).contains("QueueUnavailableException");
    }

    /** What app-a answered for a committed or rolled-back placement. */
    private record Placed(String order, String job) {
    }

    /** One row of DukeQueue's attempt history ({@code dq_attempt_history}). */
    private record Attempt(int attempt, String outcome, String errorMessage, String stackTrace) {
    }

    private HttpResponse<String> submit(String type, String marker, int maxAttempts, boolean commit) {
        return server.get("/app-a/submit?type=" + type + "&payload=" + URLEncoder.encode(marker, StandardCharsets.UTF_8)
                + "&maxAttempts=" + maxAttempts + "&commit=" + commit);
    }

    private Placed place(String type, String marker, int maxAttempts, boolean commit) {
        HttpResponse<String> r = submit(type, marker, maxAttempts, commit);
        assertThat(r.statusCode()).as("/app-a/submit answered " + r.body()).isEqualTo(200);
        JsonObject body = Json.createReader(new StringReader(r.body())).readObject();
        return new Placed(body.getString("order"), body.getString("job"));
    }

    /** @return the job's state in dq_job, null if there is no such job */
    private String state(String job) throws SQLException {
        try (Connection c = postgres.connect();
                PreparedStatement ps = c.prepareStatement("SELECT state FROM dq_job WHERE id = ?")) {
            ps.setString(1, job);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** @return how many of the jobs are in each state */
    private Map<String, Long> statesOf(List<String> jobs) throws SQLException {
        return grouped("SELECT state, COUNT(*) FROM dq_job WHERE id = ANY(?) GROUP BY state", jobs);
    }

    /** @return how many app_b_effects rows each of the jobs has (jobs without any are absent) */
    private Map<String, Long> effectsPerJob(List<String> jobs) throws SQLException {
        return grouped("SELECT job_id, COUNT(*) FROM app_b_effects WHERE job_id = ANY(?) GROUP BY job_id", jobs);
    }

    private Map<String, Long> grouped(String sql, List<String> ids) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        try (Connection c = postgres.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("varchar", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    /** @return the attempt numbers of the job's app_b_effects rows */
    private List<Integer> effectsOf(String job) throws SQLException {
        List<Integer> attempts = new ArrayList<>();
        try (Connection c = postgres.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT attempt FROM app_b_effects WHERE job_id = ? ORDER BY attempt")) {
            ps.setString(1, job);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    attempts.add(rs.getInt(1));
                }
            }
        }
        return attempts;
    }

    private List<Attempt> history(String job) throws SQLException {
        List<Attempt> attempts = new ArrayList<>();
        try (Connection c = postgres.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT attempt, outcome, error_message, stack_trace FROM dq_attempt_history WHERE job_id = ?"
                        + " ORDER BY run_no")) {
            ps.setString(1, job);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    attempts.add(new Attempt(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getString(4)));
                }
            }
        }
        return attempts;
    }

    /** @return the first column of the first row, as a number; a List parameter is bound as an array */
    private long number(String sql, Object parameter) throws SQLException {
        try (Connection c = postgres.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (parameter instanceof List<?> list) {
                ps.setArray(1, c.createArrayOf("varchar", list.toArray()));
            } else {
                ps.setObject(1, parameter);
            }
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("a row for " + sql + " with " + parameter).isTrue();
                return rs.getLong(1);
            }
        }
    }
}
