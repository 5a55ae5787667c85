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
    private JobTables tables;
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
        tables = new JobTables(postgres);
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
        List<Path> apps = new java.util.ArrayList<>(ConnectorApps.export(dir));
        // The connector sample as users get it from the build, deployed on its own next to the test applications.
        Path sample = Path.of(System.getProperty("dukequeue.sample-connector", "target/sample-connector.war"))
                .toAbsolutePath();
        assertThat(sample).as("built by the package phase").isRegularFile();
        apps.add(sample);
        server = ConnectorServer.start(dir, databasePort, settings, apps);
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
                assertThat(tables.statesOf(jobs)).isEqualTo(Map.of(JobState.COMPLETED.name(), 50L)));
        assertThat(tables.number("SELECT COUNT(*) FROM dq_job WHERE payload LIKE ?", "%" + marker + "%"))
                .as("jobs carrying this test's marker").isEqualTo(50);
        assertThat(tables.number("SELECT COUNT(*) FROM app_a_orders WHERE id = ANY(?)", orders)).as("orders committed")
                .isEqualTo(50);
        assertThat(tables.effectsPerJob(jobs)).as("app_b_effects rows per job").hasSize(50)
                .allSatisfy((job, rows) -> assertThat(rows).as("effects of job " + job).isEqualTo(1L));
    }

    @Test
    void theConnectorSampleIssuesAnInvoiceAndItsBeanSendsItExactlyOnce() throws Exception {
        HttpResponse<String> issued = server.post("/sample-connector/api/invoices?customer=acme&cents=1999");
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(201);
        jakarta.json.JsonObject body;
        try (jakarta.json.JsonReader reader = jakarta.json.Json.createReader(new java.io.StringReader(issued.body()))) {
            body = reader.readObject();
        }
        String invoice = body.getString("invoice");
        String job = body.getString("job");

        await().atMost(JOBS_END).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(tables.state(job)).isEqualTo(JobState.COMPLETED.name()));
        assertThat(tables.number("SELECT sends FROM sample_invoice WHERE id = ?", invoice)).as("sends of the invoice")
                .isEqualTo(1);

        HttpResponse<String> refused = server.post("/sample-connector/api/invoices?customer=&cents=5");
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.body()).contains("customer must be 1..100 characters");
    }

    @Test
    void rollbackOfTheSubmittersTransactionLeavesNoJobAndNoRow() throws Exception {
        String marker = "rollback-" + UUID.randomUUID();
        Placed rolledBack = place(RecordingBean.TYPE, marker, 5, false);
        // A job submitted afterwards that has completed: the poller has had its chance to see the rolled-back one.
        Placed later = place(RecordingBean.TYPE, "after-" + marker, 5, true);
        await().atMost(JOBS_END).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(tables.state(later.job())).isEqualTo(JobState.COMPLETED.name()));

        assertThat(tables.state(rolledBack.job())).as("state of the rolled-back job " + rolledBack.job()).isNull();
        assertThat(tables.number("SELECT COUNT(*) FROM dq_job WHERE payload LIKE ?", "%\"" + marker + "\"%"))
                .as("jobs with the rolled-back payload").isZero();
        assertThat(tables.number("SELECT COUNT(*) FROM app_a_orders WHERE id = ?", rolledBack.order()))
                .as("the rolled-back order").isZero();
        assertThat(tables.effectsOf(rolledBack.job())).as("effects of the rolled-back job").isEmpty();
        assertThat(tables.number("SELECT COUNT(*) FROM app_a_orders WHERE id = ?", later.order())).as("the later order")
                .isEqualTo(1);
    }

    @Test
    void aThrowingMdbIsRetriedAndDeadLetteredWithItsStackTrace() throws Exception {
        Placed placed = place(FailingBean.TYPE, "fail-" + UUID.randomUUID(), 3, true);

        await().atMost(JOBS_END).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(tables.state(placed.job())).isEqualTo(JobState.DEAD_LETTER.name()));
        assertThat(tables.number("SELECT attempt FROM dq_job WHERE id = ?", placed.job())).as("attempts used").isEqualTo(3);
        // Each attempt's insert rolled back with its transaction.
        assertThat(tables.effectsOf(placed.job())).as("effects of the failing bean").isEmpty();
        assertThat(tables.number("SELECT COUNT(*) FROM app_a_orders WHERE id = ?", placed.order())).as("its order")
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
                assertThat(tables.state(placed.job())).isEqualTo(JobState.COMPLETED.name()));
        // Had the completion been written outside the bean's transaction, attempt 1 (rolled back) would have ended it.
        assertThat(tables.number("SELECT attempt FROM dq_job WHERE id = ?", placed.job())).as("attempt that completed")
                .isEqualTo(2);
        assertThat(history(placed.job())).as("attempt history").extracting(Attempt::attempt, Attempt::outcome)
                .containsExactly(tuple(1, "FAILED"), tuple(2, "SUCCEEDED"));
        assertThat(tables.effectsOf(placed.job())).as("attempts whose effect committed").containsExactly(2);
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
                assertThat(tables.state(placed.job())).isEqualTo(JobState.COMPLETED.name()));
        assertThat(tables.effectsOf(placed.job())).as("effects of the job submitted after healing").hasSize(1);
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

}
