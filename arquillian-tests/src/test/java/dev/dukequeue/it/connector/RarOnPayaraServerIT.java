package dev.dukequeue.it.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.dukequeue.JobState;
import dev.dukequeue.it.connector.appb.RecordingBean;
import dev.dukequeue.it.connector.appb.StopAwareBean;
import dev.dukequeue.it.connector.appc.ResourceRefServlet;
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
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * DukeQueue's resource adapter on the full Payara Server, set up only with asadmin as an administrator would: a domain
 * of its own ({@link PayaraDomain}, never {@code domain1}), the PostgreSQL driver added as a library, the validating
 * JDBC pool and resource {@code jdbc/dukequeue} of docs/connector.md on an embedded PostgreSQL, {@code dukequeue.rar}
 * deployed standalone, its connection factory created as the server resource {@code jca/dukequeue}
 * ({@code create-connector-connection-pool} and {@code create-connector-resource}), then three applications, none
 * bundling queue-api: app-a (submits through its own {@code @ConnectionFactoryDefinition} or through
 * {@code jca/dukequeue}, with a row of its own in the same transaction), app-b (message-driven beans) and app-c (only
 * a resource reference to {@code jca/dukequeue}). app-b and app-c are deployed under the connector service's default
 * class-loading policy ({@code derived}); app-a needs {@code global} (see {@link #setUpServer}). Every check reads the
 * tables directly.
 *
 * <p>One server for the class. Each test starts with app-b deployed and the node ready, and leaves it so.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RarOnPayaraServerIT {

    private static final Duration READY = Duration.ofSeconds(120);
    private static final Duration JOBS_END = Duration.ofSeconds(60);
    private static final Duration DRAIN = Duration.ofMillis(2000);
    /** The server resource an administrator creates for the adapter's connection factory. */
    private static final String SERVER_FACTORY = ResourceRefServlet.FACTORY;
    private static final String HANDLERS = "app-b";

    private Path dir;
    private RestartablePostgres postgres;
    private JobTables tables;
    private PayaraDomain domain;
    private Path handlersWar;
    /** The applications by deployment name, in deployment order. */
    private final Map<String, Path> applications = new java.util.LinkedHashMap<>();

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
                "rar-server-" + UUID.randomUUID().toString().substring(0, 8))).toAbsolutePath();
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
        // colon, asadmin's separator here (it would need escaping as \:).
        domain.asadmin("create-jvm-options", String.join(":",
                "-Ddukequeue.node.name=rar-server",
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
        // As docs/connector.md says: a validating pool (else it hands out dead connections after a database restart)
        // and a password (Payara's pool refuses a user without one; the embedded PostgreSQL trusts local connections).
        domain.asadmin("create-jdbc-connection-pool", "--datasourceclassname", "org.postgresql.ds.PGSimpleDataSource",
                "--restype", "javax.sql.DataSource", "--isconnectvalidatereq=true", "--validationmethod=meta-data",
                "--failconnection=true", "--property", "user=postgres:password=postgres:serverName=localhost:portNumber="
                        + databasePort + ":databaseName=postgres", "dukequeue-pool");
        domain.asadmin("create-jdbc-resource", "--connectionpoolid", "dukequeue-pool", "jdbc/dukequeue");
        domain.asadmin("deploy", ConnectorServer.existing(System.getProperty("dukequeue.rar", "target/dukequeue.rar"),
                "the resource adapter").toString());
        domain.asadmin("create-connector-connection-pool", "--raname", "dukequeue", "--connectiondefinition",
                "dev.dukequeue.JobQueueConnectionFactory", "dukequeue-cf-pool");
        domain.asadmin("create-connector-resource", "--poolname", "dukequeue-cf-pool", SERVER_FACTORY);
        List<Path> apps = ConnectorApps.export(dir);
        handlersWar = apps.get(1);
        Path resourceUser = exportResourceUser(dir);
        applications.put(HANDLERS, handlersWar);
        applications.put("app-c", resourceUser);
        applications.put("app-a", apps.get(0));
        // The connector service's default class-loading policy ("derived") gives an application the classes of the
        // standalone adapters it references: app-b's beans name it in their activation config and app-c has a
        // resource reference to jca/dukequeue, so both deploy and work under it.
        deployHandlers();
        domain.asadmin("deploy", "--name", "app-c", resourceUser.toString());
        // app-a's only tie is its own @ConnectionFactoryDefinition(resourceAdapter = "dukequeue"), which "derived"
        // does not count: its deployment fails ("Exception registering ejb bundle level resources", caused by
        // "IllegalArgumentException: [dev.dukequeue.JobQueueConnectionFactory] is not an allowed property value type"
        // from ResourceReferenceDescriptor.checkType: the application cannot load the type of its @Resource). With
        // "global" every application sees every standalone adapter; the setting applies without a restart.
        domain.asadmin("set", "server.connector-service.class-loading-policy=global");
        domain.asadmin("deploy", "--name", "app-a", apps.get(0).toString());
        awaitReady();
        System.out.printf("RarOnPayaraServerIT: domain %s with dukequeue.rar, app-a, app-b and app-c ready in %d ms "
                + "(log %s, asadmin transcript %s)%n", PayaraDomain.NAME, Duration.ofNanos(System.nanoTime() - started)
                .toMillis(), domain.log(), dir.resolve("asadmin.txt"));
    }

    @AfterAll
    void tearDownServer() {
        if (domain != null) {
            domain.close();
            System.out.println("RarOnPayaraServerIT: domain stopped and deleted; its logs kept in " + domain.keptLogs());
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void handlersDeployedAndNodeReady() {
        if (!domain.asadmin("list-applications").contains(HANDLERS)) {
            deployHandlers(); // a failed test left it undeployed
        }
        awaitReady();
    }

    @Test
    void submitAndHandleAcrossTwoApplicationsOnTheFullServer() throws Exception {
        String marker = "full-server-" + UUID.randomUUID();
        List<String> jobs = new ArrayList<>();
        List<String> orders = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            for (String factory : new String[] {null, SERVER_FACTORY}) {
                Placed placed = place(factory, RecordingBean.TYPE, marker, true);
                jobs.add(placed.job());
                orders.add(placed.order());
            }
        }
        List<String> fromResourceRef = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            fromResourceRef.add(submitFromAppC(RecordingBean.TYPE, marker));
        }
        jobs.addAll(fromResourceRef);

        await().atMost(JOBS_END).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(tables.statesOf(jobs)).isEqualTo(Map.of(JobState.COMPLETED.name(), 25L)));
        assertThat(tables.number("SELECT COUNT(*) FROM app_a_orders WHERE id = ANY(?)", orders)).as("app-a's orders committed")
                .isEqualTo(20);
        assertThat(tables.effectsPerJob(jobs)).as("app_b_effects rows per job (10 through app-a's own definition, 10 through "
                + SERVER_FACTORY + " from app-a, 5 through " + SERVER_FACTORY + " from app-c)").hasSize(25)
                .allSatisfy((job, rows) -> assertThat(rows).as("effects of job " + job).isEqualTo(1L));
    }

    @Test
    void rollbackOfTheSubmittersTransactionLeavesNoJobThroughEitherFactory() throws Exception {
        String marker = "rollback-" + UUID.randomUUID();
        Placed ownDefinition = place(null, RecordingBean.TYPE, marker, false);
        Placed serverResource = place(SERVER_FACTORY, RecordingBean.TYPE, marker, false);
        // A job submitted afterwards that has completed: the poller has had its chance to see the rolled-back ones.
        Placed later = place(SERVER_FACTORY, RecordingBean.TYPE, "after-" + marker, true);
        await().atMost(JOBS_END).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(tables.state(later.job())).isEqualTo(JobState.COMPLETED.name()));

        for (Placed rolledBack : List.of(ownDefinition, serverResource)) {
            assertThat(tables.state(rolledBack.job())).as("state of the rolled-back job " + rolledBack.job()).isNull();
            assertThat(tables.number("SELECT COUNT(*) FROM app_a_orders WHERE id = ?", rolledBack.order()))
                    .as("the rolled-back order " + rolledBack.order()).isZero();
            assertThat(tables.effectsPerJob(List.of(rolledBack.job()))).as("effects of the rolled-back job").isEmpty();
        }
        assertThat(tables.number("SELECT COUNT(*) FROM dq_job WHERE payload LIKE ?", "%\"" + marker + "\"%"))
                .as("jobs with the rolled-back payload").isZero();
        assertThat(tables.number("SELECT COUNT(*) FROM app_a_orders WHERE id = ?", later.order())).as("the later order")
                .isEqualTo(1);
    }

    @Test
    void undeployingTheHandlingApplicationReleasesItsRunningJobsWithoutChargingThem() throws Exception {
        String marker = "undeploy-" + UUID.randomUUID();
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 4; i++) { // the bean's maxConcurrency: all four are in the bean at once
            jobs.add(place(SERVER_FACTORY, StopAwareBean.TYPE, marker, true).job());
        }
        await().atMost(JOBS_END).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(tables.statesOf(jobs)).isEqualTo(Map.of(JobState.RUNNING.name(), 4L)));

        long undeploying = System.nanoTime();
        domain.asadmin("undeploy", HANDLERS);
        long undeployMs = Duration.ofNanos(System.nanoTime() - undeploying).toMillis();
        System.out.printf("RarOnPayaraServerIT: asadmin undeploy %s took %d ms (drain time %d ms); adapter: %s%n",
                HANDLERS, undeployMs, DRAIN.toMillis(), domain.lastLine("DukeQueue adapter: job types \\[" + StopAwareBean.TYPE
                        + "\\] deactivated[^\\n]*"));

        // The drain stopped each bean (checkpoint naming SHUTDOWN, then a throw) and gave the job back: SCHEDULED,
        // its attempt returned, the release counted, the run closed as RELEASED, nothing of the bean committed.
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

        // No bean runs the type on the server now: due at once, yet nobody claims them. Every claim adds to run_count,
        // so even a claim between two polls shows.
        await().during(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .untilAsserted(() -> assertThat(tables.number("SELECT COUNT(*) FROM dq_job WHERE id = ANY(?) AND state = "
                        + "'SCHEDULED' AND attempt = 0 AND run_count = 1", jobs))
                        .as("jobs still SCHEDULED, unclaimed since their release, while no bean is deployed")
                        .isEqualTo(4));

        deployHandlers();
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

    @Test
    void undeployingTheAdapterWithJobsRunningReleasesThemAsAShutdownDoes() throws Exception {
        String marker = "rar-undeploy-" + UUID.randomUUID();
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            jobs.add(place(null, StopAwareBean.TYPE, marker, true).job());
        }
        await().atMost(JOBS_END).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(tables.statesOf(jobs)).isEqualTo(Map.of(JobState.RUNNING.name(), 4L)));

        try {
            // Payara refuses a plain undeploy while connector resources of the adapter exist (RAR8057: "one or more
            // resources of resource-adapter [ dukequeue ] exist, use --cascade=true"). With --cascade it deletes
            // jca/dukequeue and its pool, deactivates every bean's endpoint (each drains its types: stop request,
            // release) and then stops the adapter, whose own shutdown drain finds nothing left. Printed, not asserted:
            // what matters is what happened to the jobs.
            long undeploying = System.nanoTime();
            PayaraDomain.Answer plain = domain.tryAsadmin("undeploy", "dukequeue");
            System.out.printf("RarOnPayaraServerIT: asadmin undeploy dukequeue with applications using it: exit %d, %s",
                    plain.exit(), plain.output());
            if (plain.exit() != 0) {
                domain.asadmin("undeploy", "--cascade=true", "dukequeue");
            }
            System.out.printf("RarOnPayaraServerIT: the adapter undeployed in %d ms; %s%n",
                    Duration.ofNanos(System.nanoTime() - undeploying).toMillis(), domain.lastLine("shutdown phase 'drain'[^\\n]*"));

            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                    assertThat(tables.statesOf(jobs)).isEqualTo(Map.of(JobState.SCHEDULED.name(), 4L)));
            for (String job : jobs) {
                JobTables.JobRow row = tables.row(job);
                assertThat(row.attempt()).as("attempt of released job " + job).isZero();
                assertThat(row.releaseCount()).as("releases of job " + job).isEqualTo(1);
                assertThat(row.checkpoint()).as("checkpoint of job " + job).isEqualTo("{\"stoppedBy\":\"SHUTDOWN\"}");
                assertThat(tables.history(job)).as("history of job " + job).extracting(JobTables.Attempt::attempt, JobTables.Attempt::outcome)
                        .containsExactly(tuple(1, "RELEASED"));
            }
            assertThat(tables.effectsPerJob(jobs)).as("effects of the stopped deliveries").isEmpty();
        } finally {
            restoreAdapterAndApplications();
        }

        await().atMost(JOBS_END).pollInterval(Duration.ofMillis(250)).untilAsserted(() ->
                assertThat(tables.statesOf(jobs)).isEqualTo(Map.of(JobState.COMPLETED.name(), 4L)));
        for (String job : jobs) {
            assertThat(tables.history(job)).as("history of job " + job).extracting(JobTables.Attempt::attempt, JobTables.Attempt::outcome)
                    .containsExactly(tuple(1, "RELEASED"), tuple(1, "SUCCEEDED"));
        }
        assertThat(tables.effectsPerJob(jobs)).as("effect rows per job").hasSize(4)
                .allSatisfy((job, rows) -> assertThat(rows).as("effects of job " + job).isEqualTo(1L));
    }

    /** The adapter, its server connection factory and the three applications, deployed again as at the start. */
    private void restoreAdapterAndApplications() {
        if (!domain.asadmin("list-applications").contains("<connector")) {
            domain.asadmin("deploy", ConnectorServer.existing(System.getProperty("dukequeue.rar", "target/dukequeue.rar"),
                    "the resource adapter").toString());
        }
        if (!domain.asadmin("list-connector-connection-pools").contains("dukequeue-cf-pool")) {
            domain.asadmin("create-connector-connection-pool", "--raname", "dukequeue", "--connectiondefinition",
                    "dev.dukequeue.JobQueueConnectionFactory", "dukequeue-cf-pool");
        }
        if (!domain.asadmin("list-connector-resources").contains(SERVER_FACTORY)) {
            domain.asadmin("create-connector-resource", "--poolname", "dukequeue-cf-pool", SERVER_FACTORY);
        }
        for (Map.Entry<String, Path> app : applications.entrySet()) {
            domain.asadmin("deploy", "--force=true", "--name", app.getKey(), app.getValue().toString());
        }
        awaitReady();
    }

    private void deployHandlers() {
        domain.asadmin("deploy", "--name", HANDLERS, handlersWar.toString());
    }

    /** app-c.war: {@link ResourceRefServlet} alone, without queue-api. */
    private static Path exportResourceUser(Path dir) {
        Path war = dir.resolve("app-c.war");
        ShrinkWrap.create(WebArchive.class, "app-c.war").addPackage(ResourceRefServlet.class.getPackage())
                .as(ZipExporter.class).exportTo(war.toFile(), true);
        return war;
    }

    private void awaitReady() {
        domain.awaitReady("/app-a/ready", READY);
    }

    /** What app-a answered for a committed or rolled-back placement. */
    private record Placed(String order, String job) {
    }

    /** @param factory the JNDI name of the server's connection factory, or null for app-a's own definition */
    private Placed place(String factory, String type, String marker, boolean commit) {
        HttpResponse<String> r = domain.get("/app-a/submit?type=" + type + "&payload=" + URLEncoder.encode(marker,
                StandardCharsets.UTF_8) + "&maxAttempts=3&commit=" + commit
                + (factory == null ? "" : "&factory=" + URLEncoder.encode(factory, StandardCharsets.UTF_8)));
        assertThat(r.statusCode()).as("/app-a/submit through " + (factory == null ? "app-a's definition" : factory)
                + " answered " + r.body()).isEqualTo(200);
        JsonObject body = Json.createReader(new StringReader(r.body())).readObject();
        return new Placed(body.getString("order"), body.getString("job"));
    }

    private String submitFromAppC(String type, String marker) {
        HttpResponse<String> r = domain.get("/app-c/submit?type=" + type + "&payload="
                + URLEncoder.encode(marker, StandardCharsets.UTF_8));
        assertThat(r.statusCode()).as("/app-c/submit answered " + r.body()).isEqualTo(200);
        return Json.createReader(new StringReader(r.body())).readObject().getString("job");
    }





}
