package dev.dukequeue.it.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.dukequeue.JobState;
import dev.dukequeue.it.connector.appb.RecordingBean;
import dev.dukequeue.it.connector.appb.StopAwareBean;
import dev.dukequeue.it.connector.appe.EarOrders;
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
 * DukeQueue's resource adapter as a connector module of the application's own EAR on the full Payara Server: one
 * {@code asadmin deploy} of {@code dukequeue-apps.ear} (application {@value ConnectorApps#EAR_APPLICATION}:
 * {@code dukequeue.rar}, a submitter at {@code /app-a} and app-b's message-driven beans at {@code /app-b}), no
 * standalone adapter in the domain. The submitter's {@code @ConnectionFactoryDefinition} names the embedded adapter
 * {@link EarOrders#ADAPTER}, app-b's beans {@link #BEANS_ADAPTER} (the EAR copy's {@code glassfish-ejb-jar.xml}
 * overrides their annotations' {@code dukequeue}). The domain is one of
 * its own ({@link PayaraDomain}, never {@code domain1}) with the JDBC pool and resource {@code jdbc/dukequeue} of
 * docs/connector.md on an embedded PostgreSQL, under the connector service's default class-loading policy. Every
 * check reads the tables directly.
 *
 * <p>One server for the class. Each test starts with the EAR deployed and the node ready, and leaves it so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RarInEarOnPayaraServerIT {

    private static final Duration READY = Duration.ofSeconds(120);
    private static final Duration JOBS_END = Duration.ofSeconds(60);
    private static final Duration DRAIN = Duration.ofMillis(2000);
    private static final String APPLICATION = ConnectorApps.EAR_APPLICATION;
    private static final String NODE = "rar-in-ear";
    /**
     * How app-b's beans name the embedded adapter ({@code <resource-adapter-mid>}): the application's name, '#', the
     * connector module's. Payara does not resolve the short form there: with {@code #dukequeue} the deployment failed
     * ("MDB00017: [FailingBean]: Exception in creating message-driven bean container: ... Resource adapter #dukequeue
     * is not deployed"), while the adapter had started as {@code dqapps#dukequeue}.
     */
    private static final String BEANS_ADAPTER = APPLICATION + "#dukequeue";

    private Path dir;
    private RestartablePostgres postgres;
    private JobTables tables;
    private PayaraDomain domain;
    private Path ear;

    @RegisterExtension
    final TestWatcher serverLogOnFailure = new TestWatcher() {
        @Override
        public void testFailed(ExtensionContext context, Throwable cause) {
            if (domain != null) {
                System.out.println(context.getDisplayName() + " failed; server log " + domain.log() + ", its tail:\n"
                        + domain.logTail());
            }
        }
    };

    @BeforeAll
    void setUpServer() throws Exception {
        dir = Files.createDirectories(Path.of(System.getProperty("dukequeue.it.dir", "target/it"),
                "rar-in-ear-" + UUID.randomUUID().toString().substring(0, 8))).toAbsolutePath();
        int databasePort = RestartablePostgres.freePort();
        postgres = RestartablePostgres.on(databasePort, dir.resolve("pgdata")).start();
        tables = new JobTables(postgres);
        try (Connection c = postgres.connect()) {
            ConnectorApps.createTables(c);
        }
        long started = System.nanoTime();
        domain = PayaraDomain.create(Path.of(System.getProperty("payara.home", "target/payara-server/payara6"))
                .toAbsolutePath(), dir.resolve("domains"));
        domain.start();
        // The engine reads MicroProfile Config, which includes the server JVM's system properties. No value has a
        // colon, asadmin's separator here.
        domain.asadmin("create-jvm-options", String.join(":",
                "-Ddukequeue.node.name=" + NODE,
                "-Ddukequeue.poll.interval.ms=200",
                "-Ddukequeue.retry.backoff.base.ms=100",
                "-Ddukequeue.retry.backoff.max.ms=500",
                "-Ddukequeue.lease.duration.ms=5000",
                "-Ddukequeue.heartbeat.interval.ms=1000",
                "-Ddukequeue.rescuer.interval.ms=1000",
                "-Ddukequeue.shutdown.drain.ms=" + DRAIN.toMillis()));
        domain.asadmin("add-library", ConnectorServer.existing(System.getProperty("dukequeue.postgresql.jar", "target/postgresql.jar"),
                "the PostgreSQL JDBC driver").toString());
        domain.restart(); // JVM options and the library take effect at the next start
        // The validating pool with a password of docs/connector.md (the embedded PostgreSQL trusts local connections).
        domain.asadmin("create-jdbc-connection-pool", "--datasourceclassname", "org.postgresql.ds.PGSimpleDataSource",
                "--restype", "javax.sql.DataSource", "--isconnectvalidatereq=true", "--validationmethod=meta-data",
                "--failconnection=true", "--property", "user=postgres:password=postgres:serverName=localhost:portNumber="
                        + databasePort + ":databaseName=postgres", "dukequeue-pool");
        domain.asadmin("create-jdbc-resource", "--connectionpoolid", "dukequeue-pool", "jdbc/dukequeue");
        ear = ConnectorApps.exportEar(dir, ConnectorServer.existing(System.getProperty("dukequeue.rar", "target/dukequeue.rar"),
                "the resource adapter"), BEANS_ADAPTER);
        // Deployed under the connector service's default class-loading policy, "derived" (RarOnPayaraServerIT's app-a
        // needs "global" to see a standalone adapter): the modules of one EAR see its connector module's classes,
        // queue-api among them, through the application's own class loaders.
        assertThat(domain.asadmin("get", "server.connector-service.class-loading-policy"))
                .as("the connector service's class-loading policy").contains("class-loading-policy=derived");
        deployEar();
        awaitReady();
        System.out.printf("RarInEarOnPayaraServerIT: domain %s with %s (dukequeue.rar, app-a, app-b) ready in %d ms "
                + "(log %s, asadmin transcript %s)%n", PayaraDomain.NAME, APPLICATION,
                Duration.ofNanos(System.nanoTime() - started).toMillis(), domain.log(), dir.resolve("asadmin.txt"));
    }

    @AfterAll
    void tearDownServer() {
        if (domain != null) {
            domain.close();
            System.out.println("RarInEarOnPayaraServerIT: domain stopped and deleted; its logs kept in "
                    + domain.keptLogs());
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void earDeployedAndNodeReady() {
        if (!domain.asadmin("list-applications").contains(APPLICATION)) {
            deployEar(); // a failed test left it undeployed
        }
        awaitReady();
    }

    @Test
    void jobsSubmittedInTheEarCompleteThroughTheEarsBeansWithOneEffectEach() throws Exception {
        String marker = "ear-" + UUID.randomUUID();
        List<String> jobs = new ArrayList<>();
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Placed placed = place(RecordingBean.TYPE, marker, true);
            jobs.add(placed.job());
            orders.add(placed.order());
        }

        await().atMost(JOBS_END).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(tables.statesOf(jobs)).isEqualTo(Map.of(JobState.COMPLETED.name(), 20L)));
        assertThat(tables.number("SELECT COUNT(*) FROM app_a_orders WHERE id = ANY(?)", orders))
                .as("the submitter's orders committed").isEqualTo(20);
        assertThat(tables.effectsPerJob(jobs)).as("app_b_effects rows per job").hasSize(20)
                .allSatisfy((job, rows) -> assertThat(rows).as("effects of job " + job).isEqualTo(1L));
        // ran_on is the node's name, '#', and the engine instance's id.
        assertThat(tables.grouped("SELECT split_part(ran_on, '#', 1), COUNT(*) FROM dq_job WHERE id = ANY(?) GROUP BY 1",
                jobs)).as("nodes that ran the jobs (the EAR's engine takes this server's dukequeue.node.name)")
                .isEqualTo(Map.of(NODE, 20L));
    }

    @Test
    void rollbackOfTheSubmittersTransactionLeavesNeitherJobNorOrder() throws Exception {
        String marker = "ear-rollback-" + UUID.randomUUID();
        Placed rolledBack = place(RecordingBean.TYPE, marker, false);
        // A job submitted afterwards that has completed: the poller has had its chance to see the rolled-back one.
        Placed later = place(RecordingBean.TYPE, "after-" + marker, true);
        await().atMost(JOBS_END).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(tables.state(later.job())).isEqualTo(JobState.COMPLETED.name()));

        assertThat(tables.state(rolledBack.job())).as("state of the rolled-back job " + rolledBack.job()).isNull();
        assertThat(tables.number("SELECT COUNT(*) FROM app_a_orders WHERE id = ?", rolledBack.order()))
                .as("the rolled-back order " + rolledBack.order()).isZero();
        assertThat(tables.effectsPerJob(List.of(rolledBack.job()))).as("effects of the rolled-back job").isEmpty();
        assertThat(tables.number("SELECT COUNT(*) FROM dq_job WHERE payload LIKE ?", "%\"" + marker + "\"%"))
                .as("jobs with the rolled-back payload").isZero();
        assertThat(tables.number("SELECT COUNT(*) FROM app_a_orders WHERE id = ?", later.order())).as("the later order")
                .isEqualTo(1);
    }

    @Test
    void undeployingTheEarWithJobsRunningReleasesThemWithoutChargingAndItsRedeployCompletesThem() throws Exception {
        String marker = "ear-undeploy-" + UUID.randomUUID();
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 4; i++) { // StopAwareBean's maxConcurrency: all four are in the bean at once
            jobs.add(place(StopAwareBean.TYPE, marker, true).job());
        }
        await().atMost(JOBS_END).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(tables.statesOf(jobs)).isEqualTo(Map.of(JobState.RUNNING.name(), 4L)));

        long undeploying = System.nanoTime();
        domain.asadmin("undeploy", APPLICATION);
        System.out.printf("RarInEarOnPayaraServerIT: asadmin undeploy %s took %d ms (drain time %d ms); adapter: %s; "
                + "%s%n", APPLICATION, Duration.ofNanos(System.nanoTime() - undeploying).toMillis(), DRAIN.toMillis(),
                domain.lastLine("DukeQueue adapter: job types \\[" + StopAwareBean.TYPE + "\\] deactivated[^\\n]*"),
                domain.lastLine("shutdown phase 'drain'[^\\n]*"));

        // The drain asked each bean to stop (it saves a checkpoint naming SHUTDOWN, then throws) and gave the job back:
        // SCHEDULED, its attempt returned, the release counted, the run closed as RELEASED, nothing of the bean kept.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(tables.statesOf(jobs)).isEqualTo(Map.of(JobState.SCHEDULED.name(), 4L)));
        for (String job : jobs) {
            JobTables.JobRow row = tables.row(job);
            assertThat(row.attempt()).as("attempt of released job " + job + " (the claim's 1 given back)").isZero();
            assertThat(row.runCount()).as("runs of job " + job).isEqualTo(1);
            assertThat(row.releaseCount()).as("releases of job " + job).isEqualTo(1);
            assertThat(row.checkpoint()).as("checkpoint the bean saved when asked to stop, job " + job)
                    .isEqualTo("{\"stoppedBy\":\"SHUTDOWN\"}");
            assertThat(tables.history(job)).as("history of job " + job).extracting(JobTables.Attempt::attempt, JobTables.Attempt::outcome)
                    .containsExactly(tuple(1, "RELEASED"));
        }
        assertThat(tables.effectsPerJob(jobs)).as("effects of the stopped deliveries").isEmpty();

        deployEar();
        await().atMost(JOBS_END).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(tables.statesOf(jobs)).isEqualTo(Map.of(JobState.COMPLETED.name(), 4L)));
        for (String job : jobs) {
            assertThat(tables.row(job).attempt()).as("attempt that completed job " + job).isEqualTo(1);
            assertThat(tables.history(job)).as("history of job " + job).extracting(JobTables.Attempt::attempt, JobTables.Attempt::outcome)
                    .containsExactly(tuple(1, "RELEASED"), tuple(1, "SUCCEEDED"));
        }
        assertThat(tables.effectsPerJob(jobs)).as("effect rows per job").hasSize(4)
                .allSatisfy((job, rows) -> assertThat(rows).as("effects of job " + job).isEqualTo(1L));
        assertThat(tables.number("SELECT COUNT(*) FROM app_b_effects WHERE job_id = ANY(?) AND attempt <> 1", jobs))
                .as("effects recorded under another attempt number than 1").isZero();
    }

    private void deployEar() {
        long deploying = System.nanoTime();
        domain.asadmin("deploy", "--name", APPLICATION, ear.toString());
        System.out.printf("RarInEarOnPayaraServerIT: asadmin deploy %s took %d ms; %s%n", APPLICATION,
                Duration.ofNanos(System.nanoTime() - deploying).toMillis(),
                domain.lastLine("DukeQueue adapter: \\S*StopAwareBean runs job types[^\\n]*"));
    }

    private void awaitReady() {
        domain.awaitReady("/app-a/ready", READY);
    }

    /** What the EAR's submitter answered for a committed or rolled-back placement. */
    private record Placed(String order, String job) {
    }

    private Placed place(String type, String marker, boolean commit) {
        HttpResponse<String> r = domain.get("/app-a/submit?type=" + type + "&payload=" + URLEncoder.encode(marker,
                StandardCharsets.UTF_8) + "&maxAttempts=3&commit=" + commit);
        assertThat(r.statusCode()).as("/app-a/submit answered " + r.body()).isEqualTo(200);
        JsonObject body = Json.createReader(new StringReader(r.body())).readObject();
        return new Placed(body.getString("order"), body.getString("job"));
    }
}
