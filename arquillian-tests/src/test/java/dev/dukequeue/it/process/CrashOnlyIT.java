package dev.dukequeue.it.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The failure playbook on real processes: kill -9 (scenario 1; under load with a database crash in {@link ChaosIT}),
 * SIGTERM (7; an interrupt-ignoring handler in {@link ShutdownOverlapIT}), a poison pill that halts the JVM
 * (11 taken to its extreme), a database that goes away (3) or is not there at start-up (seed 003). Every node is the
 * runnable {@code dukequeue.jar} on an embedded PostgreSQL with its default durability.
 */
class CrashOnlyIT {

    private static final Duration START = Duration.ofSeconds(120);

    private Path dir;
    private RestartablePostgres postgres;
    private final List<ServerProcess> nodes = new ArrayList<>();

    @BeforeEach
    void database() throws Exception {
        dir = Files.createDirectories(Path.of(System.getProperty("dukequeue.it.dir", "target/it"),
                "process-" + UUID.randomUUID().toString().substring(0, 8)));
        postgres = RestartablePostgres.on(RestartablePostgres.freePort(), dir.resolve("pgdata")).start();
    }

    @AfterEach
    void cleanUp() {
        nodes.forEach(ServerProcess::close);
        postgres.close();
    }

    private ServerProcess node(String name) {
        ServerProcess node = ServerProcess.node(name, postgres.jdbcUrl(), dir.resolve(name));
        nodes.add(node);
        return node;
    }

    private static JsonObject json(HttpResponse<String> r) {
        try (JsonReader reader = Json.createReader(new StringReader(r.body()))) {
            return reader.readObject();
        }
    }

    /** Submits jobs through the REST batch endpoint. @return the ids the server acknowledged (201) */
    private static List<String> submit(ServerProcess node, List<String> jobs) {
        HttpResponse<String> r = node.post("/jobs/batch", "{\"jobs\":[" + String.join(",", jobs) + "]}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).getJsonArray("jobs").stream().map(v -> v.asJsonObject().getString("id")).toList();
    }

    private Map<String, Long> statesOf(String where) throws SQLException {
        Map<String, Long> counts = new HashMap<>();
        try (Connection c = postgres.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT state, COUNT(*) FROM dq_job WHERE " + where + " GROUP BY state");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.put(rs.getString(1), rs.getLong(2));
            }
        }
        return counts;
    }

    private long count(String sql) throws SQLException {
        try (Connection c = postgres.connect(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private String rows(String sql) throws SQLException {
        StringBuilder b = new StringBuilder();
        try (Connection c = postgres.connect(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                b.append('\n');
                for (int i = 1; i <= n; i++) {
                    b.append(rs.getString(i)).append(i < n ? " | " : "");
                }
            }
        }
        return b.toString();
    }

    private String text(String sql) throws SQLException {
        try (Connection c = postgres.connect(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static boolean faketimeInstalled() {
        try {
            return new ProcessBuilder("faketime", "-f", "+0", "true").start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    private double seconds(String sql) throws SQLException {
        try (Connection c = postgres.connect(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getDouble(1);
        }
    }

    @Test
    void nodesWhoseWallClocksAreHoursOffKeepDueTimesAndLeasesOnTheDatabaseClock() throws Exception {
        // With CI=true a missing tool fails the test: a green CI means the whole suite ran.
        if ("true".equals(System.getenv("CI"))) {
            assertThat(faketimeInstalled()).as("libfaketime (Debian package faketime) is missing; CI=true").isTrue();
        }
        org.junit.jupiter.api.Assumptions.assumeTrue(faketimeInstalled(), "libfaketime (Debian package faketime) is missing");

        // Two hours ahead: if due times came from this clock, a delayed job would run at once.
        ServerProcess ahead = node("ahead").withClockOffset("+2h").start().awaitReady(START);
        String delayed = json(ahead.post("/jobs", "{\"type\":\"demo.echo\",\"delayMs\":4000}")).getString("id");
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "COMPLETED".equals(text("SELECT state FROM dq_job WHERE id = '" + delayed + "'")));
        assertThat(seconds("SELECT EXTRACT(EPOCH FROM (now() - created_at)) FROM dq_job WHERE id = '" + delayed + "'"))
                .as("created_at is the database's time, not the node's").isBetween(0.0, 120.0);
        assertThat(seconds("SELECT EXTRACT(EPOCH FROM (started_at - created_at)) FROM dq_job WHERE id = '" + delayed + "'"))
                .as("the job waited its delay on the database clock").isGreaterThanOrEqualTo(4.0);
        ahead.terminate();

        // Two hours behind: if leases came from this clock, they would be expired when written and be rescued.
        ServerProcess behind = node("behind").withClockOffset("-2h").start().awaitReady(START);
        String slow = json(behind.post("/jobs", "{\"type\":\"demo.sleep\",\"payload\":{\"ms\":8000}}")).getString("id");
        await().atMost(Duration.ofSeconds(60)).until(() ->
                "COMPLETED".equals(text("SELECT state FROM dq_job WHERE id = '" + slow + "'")));
        assertThat(count("SELECT COUNT(*) FROM dq_attempt_history WHERE job_id = '" + slow + "'"))
                .as("an 8 s job under a 5 s lease, kept by heartbeats, never rescued").isEqualTo(1);
        System.out.println("clock skew: nodes at +2h and -2h kept due times and leases on the database clock");
    }

    @Test
    void anIdleNodeWakesWhenAnotherNodeStoresAJob() {
        // Polls once a minute: a job started within seconds on the other node was woken by NOTIFY, not found by a poll.
        ServerProcess busy = node("wake-a").with("dukequeue.workers", "1").with("dukequeue.poll.interval.ms", "60000")
                .start().awaitReady(START);
        String sleeper = json(busy.post("/jobs", "{\"type\":\"demo.sleep\",\"queue\":\"wake\",\"payload\":"
                + "{\"ms\":60000}}")).getString("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> json(busy.get("/jobs/" + sleeper)).getString("state")
                .equals("RUNNING"));
        ServerProcess idle = node("wake-b").with("dukequeue.poll.interval.ms", "60000").start().awaitReady(START);
        // Its first claims (at start-up) are done once it is ready; from now on only a wake-up makes it claim.
        await().atMost(Duration.ofSeconds(10)).until(() -> idle.metric("dukequeue_workers_active") == 0);

        String quick = json(busy.post("/jobs", "{\"type\":\"demo.echo\",\"queue\":\"wake\",\"payload\":{}}"))
                .getString("id");

        // The busy node has no free worker; the idle one runs it long before its next poll.
        await().atMost(Duration.ofSeconds(10)).until(() -> json(busy.get("/jobs/" + quick)).getString("state")
                .equals("COMPLETED"));
        JsonObject attempt = json(busy.get("/jobs/" + quick + "/attempts")).getJsonArray("items").getJsonObject(0);
        assertThat(attempt.getString("node")).startsWith("wake-b#");
        busy.post("/jobs/" + sleeper + "/cancel", "");
    }

    @Test
    void sigtermLetsRunningJobsFinishReleasesTheRestAndFailsNone() throws Exception {
        ServerProcess node = node("sigterm").start().awaitReady(START);
        List<String> jobs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            jobs.add("{\"type\":\"demo.sleep\",\"payload\":{\"ms\":1500}}");
        }
        jobs.add("{\"type\":\"demo.sleep\",\"payload\":{\"ms\":8000}}");
        jobs.add("{\"type\":\"demo.sleep\",\"payload\":{\"ms\":8000}}");
        List<String> ids = submit(node, jobs);
        await().atMost(Duration.ofSeconds(30)).until(() -> statesOf("state = 'RUNNING'").getOrDefault("RUNNING", 0L) == 8);

        Duration took = node.terminate();

        List<String> quick = ids.subList(0, 6);
        List<String> slow = ids.subList(6, 8);
        String quickIds = quick.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
        String slowIds = slow.stream().map(id -> "'" + id + "'").collect(Collectors.joining(","));
        assertThat(statesOf("id IN (" + quickIds + ")")).as("finished during the drain").containsExactly(Map.entry("COMPLETED", 6L));
        assertThat(statesOf("id IN (" + slowIds + ")")).as("released").containsExactly(Map.entry("SCHEDULED", 2L));
        assertThat(count("SELECT COUNT(*) FROM dq_job WHERE id IN (" + slowIds + ") AND attempt = 0"))
                .as("a release does not charge the attempt").isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM dq_attempt WHERE outcome = 'RELEASED'")).isEqualTo(2);
        assertThat(count("SELECT COUNT(*) FROM dq_job WHERE state IN ('FAILED', 'DEAD_LETTER')")).isZero();
        String log = node.log();
        assertThat(log).contains("Graceful shutdown initiated").contains("Waiting for 8 jobs to complete")
                .contains("shutdown phase 'readiness-down'").contains("shutdown phase 'stop-claiming'")
                .contains("shutdown phase 'drain' 8 running, 6 finished, 2 released")
                .contains("shutdown phase 'close'");
        System.out.printf("SIGTERM: exited in %d ms; 6 jobs finished during the drain, 2 released without charging an"
                + " attempt%n", took.toMillis());

        node.start().awaitReady(START);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                statesOf("id IN (" + slowIds + ")").getOrDefault("COMPLETED", 0L) == 2);
        assertThat(node.log()).contains("Recovery completed, 0 jobs reclaimed");
    }

    @Test
    void aCheckpointedJobKilledMidwayResumesFromItsLastCheckpoint() throws Exception {
        ServerProcess node = node("checkpoint").start().awaitReady(START);
        String id = json(node.post("/jobs", "{\"type\":\"demo.checkpoint\",\"payload\":{\"steps\":20,\"stepMs\":150}}"))
                .getString("id");
        String where = "FROM dq_job WHERE id = '" + id + "'";
        await().atMost(START).until(() -> {
            String checkpoint = text("SELECT checkpoint_data " + where);
            return checkpoint != null && Json.createReader(new StringReader(checkpoint)).readObject().getInt("step") >= 4;
        });
        node.kill9();
        int saved = Json.createReader(new StringReader(text("SELECT checkpoint_data " + where))).readObject().getInt("step");
        node.start().awaitReady(START);

        assertThat(node.metric("dukequeue_recovery_jobs_reclaimed_total")).as("start-up recovery took it back")
                .isEqualTo(1);
        await().atMost(START).until(() -> "COMPLETED".equals(text("SELECT state " + where)));
        JsonObject result = Json.createReader(new StringReader(text("SELECT result " + where))).readObject();
        assertThat(result.getInt("resumedFrom")).as("the second attempt resumed from the checkpoint saved before the kill")
                .isEqualTo(saved);
        List<Integer> ran = result.getJsonArray("ranSteps").getValuesAs(jakarta.json.JsonNumber.class).stream()
                .map(jakarta.json.JsonNumber::intValue).toList();
        assertThat(ran).as("no step before the checkpoint ran again").first().isEqualTo(saved + 1);
        assertThat(ran).hasSize(20 - saved).last().isEqualTo(20);
        assertThat(rows("SELECT outcome FROM dq_attempt_history WHERE job_id = '" + id + "' ORDER BY run_no"))
                .isEqualTo("\nLEASE_EXPIRED\nSUCCEEDED");
        assertThat(text("SELECT progress_percent " + where)).isEqualTo("100");
        System.out.println("checkpoint: killed after step " + saved + " of 20; the next attempt ran steps " + ran.get(0)
                + ".." + ran.get(ran.size() - 1));
    }

    @Test
    void aBatchJobWhoseNodeIsKilledIsRestartedFromItsLastChunkOnAnotherNode() throws Exception {
        ServerProcess a = node("batch-a").start();
        ServerProcess b = node("batch-b").start();
        a.awaitReady(START);
        b.awaitReady(START);
        String id = json(a.post("/jobs", "{\"type\":\"demo.batch\",\"payload\":{\"items\":60,\"itemMs\":80}}"))
                .getString("id");
        String where = "FROM dq_job WHERE id = '" + id + "'";
        await().atMost(START).until(() -> written().size() >= 15);
        String owner = text("SELECT lease_owner " + where);
        ServerProcess victim = owner.startsWith("batch-a#") ? a : b;
        ServerProcess survivor = victim == a ? b : a;
        String firstExecution = Json.createReader(new StringReader(text("SELECT checkpoint_data " + where))).readObject()
                .get("batchExecution").toString();
        victim.kill9();
        List<Integer> before = written();

        // The survivor's rescuer takes the job back once its lease expires, and resumes the batch execution from the
        // repository they share (DukeQueue's PostgreSQL database).
        await().atMost(START).until(() -> "COMPLETED".equals(text("SELECT state " + where)));
        List<Integer> all = written();
        assertThat(new java.util.TreeSet<>(all)).as("every item written").hasSize(60).first().isEqualTo(1);
        List<Integer> after = all.subList(before.size(), all.size());
        int committed = before.size() - before.size() % 5; // chunks of five: at most the last, partial one is redone
        assertThat(after.get(0)).as("the restarted execution went on after the last committed chunk")
                .isGreaterThan(committed - 5).isLessThanOrEqualTo(before.size() + 1);
        assertThat(all.size() - 60).as("items written twice: at most one chunk").isBetween(0, 5);
        JsonObject result = Json.createReader(new StringReader(text("SELECT result " + where))).readObject();
        assertThat(result.get("batchExecution").toString()).as("a restart is a new execution of the same instance")
                .isNotEqualTo(firstExecution);
        assertThat(rows("SELECT outcome FROM dq_attempt_history WHERE job_id = '" + id + "' ORDER BY run_no"))
                .isEqualTo("\nLEASE_EXPIRED\nSUCCEEDED");
        assertThat(text("SELECT node FROM dq_attempt_history WHERE job_id = '" + id + "' AND outcome = 'SUCCEEDED'"))
                .startsWith(survivor == a ? "batch-a#" : "batch-b#");
        assertThat(survivor.log()).contains("marked FAILED").contains("restarted from its last checkpoint");
        assertThat(survivor.metric("dukequeue_stuck_jobs_detected_total")).as("its rescuer took the job back")
                .isEqualTo(1);
        System.out.println("batch: node killed with " + before.size() + " of 60 items written; the other node restarted"
                + " the execution at item " + after.get(0) + "; " + (all.size() - 60) + " items written twice");
    }

    /** @return the items demo.batch wrote on both nodes, in the order they were written (first node's file first) */
    private List<Integer> written() throws java.io.IOException {
        List<Integer> first = written(dir.resolve("batch-a").resolve("data").resolve("demo-batch"));
        List<Integer> second = written(dir.resolve("batch-b").resolve("data").resolve("demo-batch"));
        List<Integer> all = new ArrayList<>();
        // Whichever node ran first wrote item 1.
        if (!second.isEmpty() && second.get(0) == 1) {
            all.addAll(second);
            all.addAll(first);
        } else {
            all.addAll(first);
            all.addAll(second);
        }
        return all;
    }

    private static List<Integer> written(Path dir) throws java.io.IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (var files = Files.list(dir)) {
            List<Path> all = files.toList();
            if (all.isEmpty()) {
                return List.of();
            }
            return Files.readAllLines(all.get(0)).stream().filter(l -> !l.isBlank()).map(Integer::parseInt).toList();
        }
    }

    @Test
    void aPoisonPillThatHaltsTheJvmIsDeadLetteredAfterThreeCrashesAndTheNodeHeals() throws Exception {
        // This node also writes JSON logs (dukequeue.log.format=json): the recovery lines must carry the job's fields.
        ServerProcess node = node("poison").with("dukequeue.log.format", "json").start().awaitReady(START);
        String pill = json(node.post("/jobs", "{\"type\":\"demo.crash\",\"maxAttempts\":10}")).getString("id");
        int crashes = 0;
        while (crashes < 6) {
            // Either the pill kills the node again, or the restarted node's recovery dead-letters it.
            await().atMost(START).until(() -> !node.alive()
                    || "DEAD_LETTER".equals(text("SELECT state FROM dq_job WHERE id = '" + pill + "'")));
            if (node.alive()) {
                break;
            }
            assertThat(node.waitExit(Duration.ofSeconds(5))).as("exit code of a halted JVM").isEqualTo(137);
            crashes++;
            node.start();
        }
        node.awaitReady(START);

        assertThat(crashes).isEqualTo(3);
        assertThat(text("SELECT last_error_category FROM dq_job WHERE id = '" + pill + "'")).isEqualTo("SYSTEM");
        String reason = text("SELECT last_error_message FROM dq_job WHERE id = '" + pill + "'");
        assertThat(reason).startsWith("poison pill: lost its worker 3 times without an outcome");
        assertThat(reason.split("poison#", -1)).as("the three lost workers are named").hasSizeGreaterThan(3);
        String echo = json(node.post("/jobs", "{\"type\":\"demo.echo\",\"payload\":1}")).getString("id");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "COMPLETED".equals(text("SELECT state FROM dq_job WHERE id = '" + echo + "'")));
        assertThat(node.alive()).isTrue();
        List<JsonObject> events = node.log().lines().filter(l -> l.startsWith("{") && l.contains(pill))
                .map(l -> Json.createReader(new StringReader(l)).readObject()).toList();
        assertThat(events).as("JSON job event lines").anySatisfy(e -> {
            assertThat(e.getString("jobId")).isEqualTo(pill);
            assertThat(e.getString("transition")).isEqualTo("RESCUE_EXHAUSTED");
            assertThat(e.getString("node")).startsWith("poison#");
            assertThat(e.getString("queue")).isEqualTo("default");
            // Written by Payara's own JSON formatter (the launcher's --logproperties), not by the application.
            assertThat(e.getString("Level")).isEqualTo("SEVERE");
            assertThat(e.getString("LoggerName")).isEqualTo("dev.dukequeue.engine.lease.StartupRecovery");
            assertThat(e.getString("LogMessage")).contains("RUNNING -> DEAD_LETTER");
        });
        assertThat(node.log().lines().filter(l -> l.contains("Payara Micro") && l.contains("ready")))
                .as("Payara's own lines are JSON too").isNotEmpty().allSatisfy(l -> assertThat(l).startsWith("{"));
        System.out.println("poison pill: dead-lettered after " + crashes + " crashes: " + reason);
    }

    @Test
    void aNodeStartedWithoutItsDatabaseWaitsNotReadyAndStartsWhenTheDatabaseAppears() throws Exception {
        postgres.stop();
        ServerProcess node = node("early").start();

        await().atMost(START).pollInterval(Duration.ofMillis(500)).until(() ->
                node.alive() && node.log().contains("database unreachable at start-up (attempt 3)"));
        HttpResponse<String> ready = node.health("ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("WAITING_FOR_DATABASE").contains("database unreachable");
        assertThat(node.health("live").statusCode()).as("waiting is not dead: no restart loop").isEqualTo(200);
        HttpResponse<String> started = node.health("started");
        assertThat(started.statusCode()).as("start-up recovery has not run yet").isEqualTo(503);
        assertThat(started.body()).contains("WAITING_FOR_DATABASE");
        assertThat(node.post("/jobs", "{\"type\":\"demo.echo\"}").statusCode()).isEqualTo(503);

        postgres.start();
        node.awaitReady(Duration.ofSeconds(60));
        assertThat(node.health("started").statusCode()).isEqualTo(200);
        assertThat(node.health("started").body()).contains("reclaimedAtStartup");
        String id = json(node.post("/jobs", "{\"type\":\"demo.echo\",\"payload\":\"late\"}")).getString("id");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                "COMPLETED".equals(text("SELECT state FROM dq_job WHERE id = '" + id + "'")));
    }

    @Test
    void aStartUpErrorThatRetryingCannotFixIsLoggedAndTheNodeExitsForItsSupervisor() {
        ServerProcess node = node("fatal").with("dukequeue.workers", "0").start();

        assertThat(node.waitExit(START)).as("exit code for the supervisor").isEqualTo(3);
        assertThat(node.log()).contains("DukeQueue cannot start: invalid configuration or handlers")
                .contains("dukequeue.workers must be positive, got 0");
    }

    @Test
    void aWedgedClaimLoopIsLivenessDownWithItsCauseAndUpAgainWhenItTurns() throws Exception {
        ServerProcess node = node("wedge").with("dukequeue.liveness.max-idle.ms", "3000").start().awaitReady(START);
        assertThat(node.put("/queues/wedged/max-running", "{\"maxRunning\":1}").statusCode()).isEqualTo(200);
        // Someone holds the limited queue's row lock: the claim loop waits for it inside its claim and stops turning.
        try (Connection c = postgres.connect()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.executeQuery("SELECT * FROM dq_queue WHERE name = 'wedged' FOR UPDATE").close();
            }
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> node.health("live").statusCode() == 503);
            assertThat(node.health("live").body()).contains("the claim loop has not turned for");
            c.rollback();
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> node.health("live").statusCode() == 200);
        assertThat(node.health("live").body()).containsPattern("\"reason\"\\s*:\\s*\"ok\"");
    }

    @Test
    void withoutExitOnFatalAFailedStartIsLivenessDownWithItsCause() {
        // Under an orchestrator that restarts on liveness instead of on exit.
        ServerProcess node = node("failed").with("dukequeue.workers", "0")
                .with("dukequeue.startup.exit-on-fatal", "false").start();

        // (Before the application is deployed Payara answers DOWN "No Application deployed": wait for our check.)
        await().atMost(START).pollInterval(Duration.ofMillis(500)).ignoreExceptions().until(() -> node.alive()
                && node.health("live").statusCode() == 503 && node.health("live").body().contains("dukequeue-dispatcher"));
        assertThat(node.health("live").body()).contains("FAILED").contains("dukequeue.workers must be positive");
        assertThat(node.health("ready").statusCode()).isEqualTo(503);
        assertThat(node.health("started").statusCode()).isEqualTo(503);
    }

    @Test
    void whenTheDatabaseGoesAwayTheCircuitOpensSubmissionsGet503AndTheNodeHealsByItself() throws Exception {
        ServerProcess node = node("circuit").start().awaitReady(START);
        List<String> accepted = new ArrayList<>(submit(node, List.of("{\"type\":\"demo.echo\"}")));

        postgres.stop();
        await().atMost(Duration.ofSeconds(60)).until(() -> node.health("ready").statusCode() == 503);
        HttpResponse<String> refused = node.post("/jobs", "{\"type\":\"demo.echo\"}");
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(json(refused).getString("error")).isEqualTo("unavailable");
        assertThat(json(refused).getString("detail")).contains("nothing was written");
        assertThat(node.health("ready").body()).contains("circuit open since").contains("database failing");
        assertThat(node.health("live").statusCode()).isEqualTo(200);
        assertThat(node.metric("dukequeue_database_circuit_open")).isEqualTo(1);
        assertThat(node.metric("dukequeue_persistence_errors_total")).isPositive();

        postgres.start();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            HttpResponse<String> r = node.post("/jobs", "{\"type\":\"demo.echo\"}");
            if (r.statusCode() == 201) {
                accepted.add(json(r).getString("id"));
                return true;
            }
            return false;
        });
        node.awaitReady(Duration.ofSeconds(30));
        assertThat(node.health("ready").body()).as("UP again, with its cause gone")
                .containsPattern("\"database\"\\s*:\\s*\"UP\"");
        assertThat(node.metric("dukequeue_database_circuit_open")).isZero();
        await().atMost(Duration.ofSeconds(30)).until(() ->
                count("SELECT COUNT(*) FROM dq_job WHERE state = 'COMPLETED'") == accepted.size());
        assertThat(count("SELECT COUNT(*) FROM dq_job")).as("only acknowledged jobs exist").isEqualTo(accepted.size());
        assertThat(node.log()).contains("database circuit OPEN").contains("circuit closed");
    }
}
