package dev.dukequeue.it.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dukequeue.JobState;
import dev.dukequeue.it.connector.appb.FailingBean;
import dev.dukequeue.it.connector.appb.QueueBoundBean;
import dev.dukequeue.it.connector.appb.RecordingBean;
import dev.dukequeue.it.connector.appb.StopAwareBean;
import dev.dukequeue.it.process.RestartablePostgres;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * The admin WAR next to the resource adapter, as docs/connector.md deploys them: one Payara Micro process with
 * {@code dukequeue.rar}, app-a, app-b (the message-driven beans) and {@code dukequeue.war} (the REST API and UI, deployed as
 * {@code dukequeue-admin.war}),
 * all on one embedded PostgreSQL; the WAR's engine an admin node ({@code -Ddukequeue.node.role=admin}, a system
 * property the adapter also sees and must ignore), both engines under the one node name {@code rar-node}. What the
 * API does is checked in DukeQueue's tables and in app-b's own rows, not only in the API's answers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminBesideAdapterIT {

    private static final Duration START = Duration.ofSeconds(240);
    private static final Duration JOBS_END = Duration.ofSeconds(60);
    private static final String PASSWORD = "admin-beside-adapter";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

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
                "admin-beside-" + UUID.randomUUID().toString().substring(0, 8))).toAbsolutePath();
        int databasePort = RestartablePostgres.freePort();
        postgres = RestartablePostgres.on(databasePort, dir.resolve("pgdata")).start();
        tables = new JobTables(postgres);
        try (Connection c = postgres.connect()) {
            ConnectorApps.createTables(c);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("dukequeue.node.name", "rar-node");
        settings.put("dukequeue.node.role", "admin"); // for the WAR; the adapter pins its own engine to worker
        settings.put("dukequeue.db.url", "jdbc:postgresql://localhost:" + databasePort + "/postgres");
        settings.put("dukequeue.db.user", "postgres");
        settings.put("dukequeue.db.password", "postgres");
        settings.put("dukequeue.admin.password", PASSWORD);
        settings.put("dukequeue.data.dir", dir.resolve("data").toString());
        settings.put("dukequeue.poll.interval.ms", "200");
        settings.put("dukequeue.retry.backoff.base.ms", "100");
        settings.put("dukequeue.retry.backoff.max.ms", "500");
        settings.put("dukequeue.lease.duration.ms", "5000");
        settings.put("dukequeue.heartbeat.interval.ms", "1000");
        settings.put("dukequeue.rescuer.interval.ms", "1000");
        // A recurring job: the adapter has no scheduler of its own, the admin node fires it, an MDB runs it.
        settings.put("dukequeue.recurring", "tick");
        settings.put("dukequeue.recurring.tick.cron", "*/5 * * * * *");
        settings.put("dukequeue.recurring.tick.type", RecordingBean.TYPE);
        settings.put("dukequeue.recurring.tick.queue", "ticks");
        List<Path> apps = new ArrayList<>(ConnectorApps.export(dir));
        // Not as dukequeue.war: Payara names an application after its file, and a second application named
        // 'dukequeue' replaces the adapter (RAR7094: dukequeue shutdown). Its context root stays /dukequeue.
        Path admin = dir.resolve("dukequeue-admin.war");
        Files.copy(ConnectorServer.existing(System.getProperty("dukequeue.war", "target/dukequeue.war"),
                "the admin WAR"), admin);
        apps.add(admin);
        long started = System.nanoTime();
        server = ConnectorServer.start(dir, databasePort, "/health/ready", settings, apps);
        server.awaitReady(START);
        await().atMost(Duration.ofSeconds(60)).until(() -> server.get("/app-a/ready").statusCode() == 200);
        System.out.printf("AdminBesideAdapterIT: Payara Micro with dukequeue.rar, app-a, app-b and the admin WAR ready"
                + " in %d ms (log %s)%n", Duration.ofNanos(System.nanoTime() - started).toMillis(), server.log());
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
    void bothEnginesAreReady() {
        server.awaitReady(Duration.ofSeconds(60));
    }

    @Test
    void aJobSubmittedThroughTheApiRunsOnceInTheAdaptersMessageDrivenBean() throws Exception {
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            HttpResponse<String> r = api("POST", "/jobs", "{\"type\":\"" + RecordingBean.TYPE
                    + "\",\"payload\":{\"n\":" + i + "}}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            jobs.add(json(r.body()).getString("id"));
        }

        await().atMost(JOBS_END).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(tables.statesOf(jobs)).isEqualTo(Map.of(JobState.COMPLETED.name(), 10L)));
        assertThat(tables.effectsPerJob(jobs)).as("app_b_effects rows per job").hasSize(10)
                .allSatisfy((job, rows) -> assertThat(rows).as("effects of job " + job).isEqualTo(1L));
        String adapter = workerOwner();
        assertThat(tables.number("SELECT COUNT(*) FROM dq_job WHERE id = ANY(?) AND ran_on = '" + adapter + "'", jobs))
                .as("every job ran on the adapter's engine (" + adapter + ")").isEqualTo(10);
        JsonObject view = json(api("GET", "/jobs/" + jobs.get(0), null).body());
        assertThat(view.getString("state")).isEqualTo("COMPLETED");
    }

    @Test
    void theApiCancelsAJobRunningInAMessageDrivenBeanAndNoOtherNodeTookIt() throws Exception {
        String job = json(api("POST", "/jobs", "{\"type\":\"" + StopAwareBean.TYPE + "\"}").body()).getString("id");
        await().atMost(JOBS_END).until(() -> tables.state(job).equals("RUNNING"));
        assertThat(tables.number("SELECT COUNT(*) FROM dq_job WHERE id = ? AND lease_owner = '" + workerOwner() + "'",
                job)).as("held by the adapter's engine").isEqualTo(1);

        HttpResponse<String> cancel = api("POST", "/jobs/" + job + "/cancel", null);

        assertThat(cancel.statusCode()).as(cancel.body()).isEqualTo(200);
        await().atMost(JOBS_END).until(() -> tables.state(job).equals("CANCELLED"));
        assertThat(tables.history(job)).extracting(JobTables.Attempt::outcome).containsExactly("CANCELLED");
        assertThat(tables.effectsOf(job)).as("the bean stopped before its effect").isEmpty();
    }

    @Test
    void aMessageDrivenBeanThatThrowsIsDeadLetteredWithItsStackAndRedrivenThroughTheApi() throws Exception {
        String job = json(api("POST", "/jobs", "{\"type\":\"" + FailingBean.TYPE + "\",\"maxAttempts\":2}").body())
                .getString("id");
        await().atMost(JOBS_END).until(() -> tables.state(job).equals("DEAD_LETTER"));
        JsonArray attempts = json(api("GET", "/jobs/" + job + "/attempts", null).body()).getJsonArray("items");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.getJsonObject(0).toString()).contains("conn.fail attempt 1").contains("FailingBean.onJob");

        HttpResponse<String> retry = api("POST", "/jobs/" + job + "/retry", null);

        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(200);
        await().atMost(JOBS_END).until(() -> tables.history(job).size() >= 4 && tables.state(job).equals("DEAD_LETTER"));
        assertThat(tables.history(job)).extracting(JobTables.Attempt::outcome).containsOnly("FAILED");
        assertThat(tables.effectsOf(job)).as("each delivery's effect rolled back with its transaction").isEmpty();
    }

    @Test
    void aMessageDrivenBeanPastItsTimeoutIsAskedToStopAndItsAttemptTimesOut() throws Exception {
        String job = json(api("POST", "/jobs", "{\"type\":\"" + StopAwareBean.TYPE
                + "\",\"timeoutMs\":1500,\"maxAttempts\":1}").body()).getString("id");

        await().atMost(JOBS_END).until(() -> tables.state(job).equals("DEAD_LETTER"));
        assertThat(tables.history(job)).extracting(JobTables.Attempt::outcome).containsExactly("TIMED_OUT");
    }

    @Test
    void theAdminNodeShowsBothEnginesServesHealthAndExportsTheClusterDepths() throws Exception {
        JsonArray nodes = json(api("GET", "/nodes", null).body()).getJsonArray("items");
        List<String> rarNodes = nodes.getValuesAs(JsonObject.class).stream()
                .filter(n -> n.getString("name").equals("rar-node") && n.getString("status").equals("alive"))
                .map(n -> n.getInt("workers") + " " + n.getString("phase")).sorted().toList();
        assertThat(rarNodes).as("the admin node (no workers) and the adapter's engine, one name")
                .containsExactly("0 RUNNING", "8 RUNNING");
        HttpResponse<String> ready = server.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).contains("\"UP\"");
        // A job due in an hour, in a queue of its own: the depth the admin node exports comes from the table.
        String later = json(api("POST", "/jobs", "{\"type\":\"" + RecordingBean.TYPE
                + "\",\"queue\":\"admin-depth\",\"delayMs\":3600000}").body()).getString("id");
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(server.get("/metrics").body())
                .containsPattern("dukequeue_queue_depth_reporter(\\{[^}]*\\})? 1")
                .containsPattern("dukequeue_queue_scheduled\\{[^}]*queue=\"admin-depth\"[^}]*\\} 1"));
        assertThat(api("POST", "/jobs/" + later + "/cancel", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aBeanWithTheQueueActivationPropertyRunsItsTypeFromThatQueueOnly() throws Exception {
        String elsewhere = json(api("POST", "/jobs", "{\"type\":\"" + QueueBoundBean.TYPE
                + "\",\"queue\":\"standard\"}").body()).getString("id");
        String vip = json(api("POST", "/jobs", "{\"type\":\"" + QueueBoundBean.TYPE + "\",\"queue\":\""
                + QueueBoundBean.QUEUE + "\"}").body()).getString("id");

        await().atMost(JOBS_END).until(() -> tables.state(vip).equals("COMPLETED"));
        assertThat(tables.effectsOf(vip)).hasSize(1);
        // Submitted first, due first: had the bean taken every queue it would have run before the vip job.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                .until(() -> tables.state(elsewhere).equals("SCHEDULED"));
        assertThat(tables.effectsOf(elsewhere)).isEmpty();
        assertThat(api("POST", "/jobs/" + elsewhere + "/cancel", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aRecurringJobIsFiredByTheAdminNodeAndRunByTheAdaptersBean() throws Exception {
        await().atMost(JOBS_END).pollInterval(Duration.ofMillis(500)).until(() -> tables.number(
                "SELECT COUNT(*) FROM dq_job WHERE queue = ? AND state = 'COMPLETED'", "ticks") >= 2);
        String adapter = workerOwner();
        assertThat(tables.number("SELECT COUNT(*) FROM dq_job WHERE queue = ? AND state = 'COMPLETED'"
                + " AND (ran_on <> '" + adapter + "' OR idempotency_key NOT LIKE 'recurring:tick:%')", "ticks"))
                .as("every tick ran on the adapter's engine, keyed by its instant").isZero();
        JsonArray schedules = json(api("GET", "/recurring", null).body()).getJsonArray("items");
        assertThat(schedules.getValuesAs(JsonObject.class)).extracting(o -> o.getString("name")).contains("tick");
    }

    /** @return the lease owner of the adapter's engine: the alive {@code rar-node} with workers */
    private String workerOwner() {
        JsonArray nodes = json(api("GET", "/nodes", null).body()).getJsonArray("items");
        List<String> owners = nodes.getValuesAs(JsonObject.class).stream()
                .filter(n -> n.getString("name").equals("rar-node") && n.getInt("workers") > 0
                        && n.getString("status").equals("alive"))
                .map(n -> n.getString("node")).toList();
        assertThat(owners).as("alive worker engines named rar-node in " + nodes).hasSize(1);
        return owners.get(0);
    }

    private HttpResponse<String> api(String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + server.port()
                + "/dukequeue/api/v1" + path)).timeout(ConnectorServer.REQUEST_TIMEOUT)
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static JsonObject json(String body) {
        try (var reader = Json.createReader(new StringReader(body))) {
            return reader.readObject();
        }
    }
}
