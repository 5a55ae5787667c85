package dev.dukequeue.it.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dukequeue.JobState;
import dev.dukequeue.it.connector.appb.StopAwareBean;
import dev.dukequeue.it.process.RestartablePostgres;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Playbook scenario 7 in the adapter host: SIGTERM to a Payara Micro running {@code dukequeue.rar} while message-driven
 * beans run jobs that end only when asked to stop. The server's shutdown deactivates the beans' endpoints and stops
 * the adapter; either way the engine asks the handlers to stop, waits, and releases what ended without charging the
 * attempt. A new server then completes every job, once. Checked in the database with JDBC.
 */
class ConnectorShutdownIT {

    private static final int JOBS = 4;

    private Path dir;
    private RestartablePostgres postgres;
    private final List<ConnectorServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(ConnectorServer::close);
        if (postgres != null) {
            postgres.close();
        }
    }

    @Test
    void sigtermReleasesTheBeansRunningJobsWithoutChargingThemAndTheNextServerCompletesThem() throws Exception {
        dir = Files.createDirectories(Path.of(System.getProperty("dukequeue.it.dir", "target/it"),
                "connector-term-" + UUID.randomUUID().toString().substring(0, 8))).toAbsolutePath();
        int databasePort = RestartablePostgres.freePort();
        postgres = RestartablePostgres.on(databasePort, dir.resolve("pgdata")).start();
        try (Connection c = postgres.connect()) {
            ConnectorApps.createTables(c);
        }
        JobTables tables = new JobTables(postgres);
        ConnectorServer first = start(databasePort, "first");

        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < JOBS; i++) {
            HttpResponse<String> placed = first.get("/app-a/submit?type=" + StopAwareBean.TYPE + "&payload=term-" + i
                    + "&maxAttempts=3&commit=true");
            assertThat(placed.statusCode()).as(placed.body()).isEqualTo(200);
            try (var reader = Json.createReader(new StringReader(placed.body()))) {
                JsonObject body = reader.readObject();
                jobs.add(body.getString("job"));
            }
        }
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(tables.statesOf(jobs)).isEqualTo(Map.of(JobState.RUNNING.name(), (long) JOBS)));

        Duration exit = first.terminate(Duration.ofSeconds(60));
        System.out.printf("ConnectorShutdownIT: Payara Micro exited %d ms after SIGTERM with %d jobs running%n",
                exit.toMillis(), JOBS);

        assertThat(tables.statesOf(jobs)).as("released, waiting to run again")
                .isEqualTo(Map.of(JobState.SCHEDULED.name(), (long) JOBS));
        assertThat(tables.number("SELECT COUNT(*) FROM dq_job WHERE id = ANY(?) AND attempt = 0", jobs))
                .as("jobs whose attempt was not charged").isEqualTo(JOBS);
        assertThat(tables.number("SELECT COUNT(*) FROM dq_attempt_history WHERE job_id = ANY(?) AND outcome = 'RELEASED'",
                jobs)).as("RELEASED attempts in the history").isEqualTo(JOBS);
        assertThat(tables.effectsPerJob(jobs)).as("effects of the stopped deliveries").isEmpty();

        ConnectorServer second = start(databasePort, "second");
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(tables.statesOf(jobs)).isEqualTo(Map.of(JobState.COMPLETED.name(), (long) JOBS)));
        assertThat(tables.effectsPerJob(jobs)).as("one effect row per job").hasSize(JOBS)
                .allSatisfy((job, rows) -> assertThat(rows).isEqualTo(1));
        second.close();
    }

    private ConnectorServer start(int databasePort, String name) throws Exception {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("dukequeue.node.name", "rar-term");
        settings.put("dukequeue.poll.interval.ms", "200");
        settings.put("dukequeue.lease.duration.ms", "5000");
        settings.put("dukequeue.heartbeat.interval.ms", "1000");
        settings.put("dukequeue.rescuer.interval.ms", "1000");
        settings.put("dukequeue.shutdown.drain.ms", "2000");
        Path home = Files.createDirectories(dir.resolve(name));
        ConnectorServer server = ConnectorServer.start(home, databasePort, settings, ConnectorApps.export(home));
        servers.add(server);
        server.awaitReady(Duration.ofSeconds(180));
        return server;
    }
}
