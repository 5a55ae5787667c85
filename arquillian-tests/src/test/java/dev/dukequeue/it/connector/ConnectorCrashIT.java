package dev.dukequeue.it.connector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dukequeue.it.connector.appb.PacedRecordingBean;
import dev.dukequeue.it.process.RestartablePostgres;
import jakarta.json.Json;
import jakarta.json.JsonReader;
import jakarta.json.JsonString;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Exactly-once effects of the resource adapter under kill -9: a message-driven bean inserts one row for its job and
 * returns, and the adapter writes the job's COMPLETED in the bean's container transaction. One Payara Micro node runs
 * 2,000 such jobs, 16 at a time, each bean pausing 20 to 50 ms around its insert; the node is killed with SIGKILL three
 * times at random moments (a seeded number of completions after the previous restart) and started again under the
 * same node name, so that its start-up recovery takes back what the dead incarnation held. At the end every
 * acknowledged job must be COMPLETED with exactly one row in the bean's table: a delivery cut by a kill rolled back
 * its row with its transaction, and the next delivery's row committed with the job's completion.
 *
 * <p>Everything is counted with JDBC, outside the queue's API, and against the bean's journal (a file the bean appends
 * to on entry and before it returns, outside any transaction), which shows the kills really cut deliveries: a run in
 * which no job reached its bean twice proves nothing and fails. {@code -Ddukequeue.it.seed=} repeats a run's kill
 * schedule and the jobs' pauses.
 */
class ConnectorCrashIT {

    private static final Duration START = Duration.ofSeconds(180);
    private static final Duration DRAIN = Duration.ofSeconds(120);
    private static final int JOBS = 2_000;
    private static final int BATCH = 100;
    private static final int KILLS = 3;
    private static final String NODE = "crash-node";
    /** Each kill may cut a job: it needs attempts (and lost leases, before it counts as a poison pill) to spare. */
    private static final int MAX_ATTEMPTS = 20;

    private Path dir;
    private int databasePort;
    private RestartablePostgres postgres;
    private final List<ConnectorServer> servers = new ArrayList<>();

    /** One kill: the completions observed when it was issued, the jobs the queue held RUNNING at that moment. */
    private record Kill(int incarnation, long completedBefore, long running, long tookMs) {
    }

    @BeforeEach
    void database() throws Exception {
        dir = Files.createDirectories(Path.of(System.getProperty("dukequeue.it.dir", "target/it"),
                "connector-crash-" + UUID.randomUUID().toString().substring(0, 8))).toAbsolutePath();
        databasePort = RestartablePostgres.freePort();
        postgres = RestartablePostgres.on(databasePort, dir.resolve("pgdata")).start();
        try (Connection c = postgres.connect()) {
            ConnectorApps.createTables(c);
        }
    }

    @AfterEach
    void cleanUp() {
        servers.forEach(ConnectorServer::close);
        postgres.close();
    }

    @Test
    void everyAcknowledgedJobCompletesWithExactlyOneEffectRowThoughTheNodeIsKilledMidDelivery() throws Exception {
        assertDurable();
        long seed = Long.getLong("dukequeue.it.seed", System.nanoTime());
        System.out.printf("ConnectorCrashIT: seed %d (-Ddukequeue.it.seed=%d repeats the kill schedule), dir %s%n",
                seed, seed, dir);
        Random random = new Random(seed);
        long began = System.nanoTime();
        List<Path> apps = ConnectorApps.export(dir);

        ConnectorServer server = incarnation(0, apps);
        String marker = "crash-" + UUID.randomUUID();
        Set<String> acknowledged = new LinkedHashSet<>();
        for (int b = 0; b < JOBS / BATCH; b++) {
            acknowledged.addAll(submitBatch(server, marker, random.nextLong()));
        }
        assertThat(acknowledged).as("jobs acknowledged by app-a's batches").hasSize(JOBS);
        List<String> ids = List.copyOf(acknowledged);
        long submittedMs = elapsedMs(began);

        List<Kill> kills = new ArrayList<>();
        List<Long> restartsMs = new ArrayList<>();
        for (int k = 0; k < KILLS; k++) {
            long now = completed(ids);
            // Somewhere in the next share of what is left, at least 20 completions into this incarnation's run: the
            // last incarnation still has about a quarter of the remaining jobs to run.
            int share = (int) Math.max(1, (JOBS - now) / (KILLS - k + 1) - 20);
            long threshold = now + 20 + random.nextInt(share);
            ConnectorServer victim = server;
            try {
                await().atMost(DRAIN).pollInterval(Duration.ofMillis(20)).until(() -> completed(ids) >= threshold);
            } catch (ConditionTimeoutException e) {
                throw new AssertionError("incarnation " + k + " did not reach " + threshold + " completions; log "
                        + victim.log() + ", its tail:\n" + victim.logTail(), e);
            }
            long completedBefore = completed(ids);
            long killed = System.nanoTime();
            server.close(); // SIGKILL, and waits for the process to be gone
            long tookMs = elapsedMs(killed);
            // The queue's view right after the kill: what the dead incarnation had claimed and not finished (its
            // transactions died with its connections; nothing has been reclaimed yet, no node runs).
            long running = count("SELECT COUNT(*) FROM dq_job WHERE state = 'RUNNING' AND id = ANY(?)", ids);
            kills.add(new Kill(k, completedBefore, running, tookMs));
            long restarted = System.nanoTime();
            server = incarnation(k + 1, apps);
            restartsMs.add(elapsedMs(restarted));
        }

        long drainFrom = System.nanoTime();
        try {
            await().atMost(DRAIN).pollInterval(Duration.ofMillis(250)).until(() -> completed(ids) == JOBS);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("not every acknowledged job COMPLETED within " + DRAIN + ": " + states(ids)
                    + "; log " + server.log() + ", its tail:\n" + server.logTail(), e);
        }
        long drainMs = elapsedMs(drainFrom);

        // What the bean saw, per incarnation, and what committed.
        List<Map<String, Integer>> startsPerIncarnation = new ArrayList<>();
        List<Map<String, Integer>> endsPerIncarnation = new ArrayList<>();
        for (int i = 0; i <= KILLS; i++) {
            Map<String, Integer> starts = new HashMap<>();
            Map<String, Integer> ends = new HashMap<>();
            readJournal(journal(i), starts, ends);
            startsPerIncarnation.add(starts);
            endsPerIncarnation.add(ends);
        }
        Map<String, Integer> deliveries = new HashMap<>();
        startsPerIncarnation.forEach(m -> m.forEach((job, n) -> deliveries.merge(job, n, Integer::sum)));
        Map<String, Long> rows = grouped("SELECT job_id, COUNT(*) FROM app_b_effects WHERE bean = 'paced'"
                + " GROUP BY job_id");
        List<String> missing = ids.stream().filter(id -> !rows.containsKey(id)).toList();
        Map<String, Long> duplicated = new TreeMap<>();
        rows.forEach((job, n) -> {
            if (n > 1) {
                duplicated.put(job, n);
            }
        });
        long duplicates = duplicated.values().stream().mapToLong(n -> n - 1).sum();
        List<String> strays = rows.keySet().stream().filter(id -> !acknowledged.contains(id)).toList();
        Map<String, Long> attemptMismatch = grouped("SELECT e.job_id, e.attempt FROM app_b_effects e JOIN dq_job j"
                + " ON j.id = e.job_id WHERE e.bean = 'paced' AND e.attempt <> j.attempt");
        long rerun = count("SELECT COUNT(*) FROM dq_job WHERE run_count > 1 AND id = ANY(?)", ids);
        long runs = count("SELECT COALESCE(SUM(run_count), 0) FROM dq_job WHERE id = ANY(?)", ids);
        long redeliveredJobs = deliveries.values().stream().filter(n -> n > 1).count();
        long totalDeliveries = deliveries.values().stream().mapToLong(Integer::longValue).sum();

        List<String> perKill = new ArrayList<>();
        for (Kill kill : kills) {
            int i = kill.incarnation();
            Map<String, Integer> starts = startsPerIncarnation.get(i);
            Map<String, Integer> ends = endsPerIncarnation.get(i);
            // In the bean when the kill came: entered and not yet returned.
            long inBean = starts.entrySet().stream().filter(e -> e.getValue() > ends.getOrDefault(e.getKey(), 0)).count();
            // Reached the bean in this incarnation and again in a later one: a delivery the kill cut.
            Set<String> later = new HashSet<>();
            for (int j = i + 1; j <= KILLS; j++) {
                later.addAll(startsPerIncarnation.get(j).keySet());
            }
            long redelivered = starts.keySet().stream().filter(later::contains).count();
            perKill.add(String.format("kill %d after %d completions (SIGKILL took %d ms): %d RUNNING, %d in the bean,"
                    + " %d re-delivered after it", i + 1, kill.completedBefore(), kill.tookMs(), kill.running(), inBean,
                    redelivered));
        }
        System.out.printf("ConnectorCrashIT (seed %d): %d jobs acknowledged in %d ms, %d kills, restarts took %s ms;"
                        + " %s; drained %d ms after the last restart; %d runs claimed, %d jobs claimed more than once,"
                        + " %d deliveries to the bean, %d jobs delivered more than once; COMPLETED %d, effect rows %d,"
                        + " duplicates %d, missing %d, strays %d; %d s in all%n", seed, JOBS, submittedMs, kills.size(),
                restartsMs, String.join("; ", perKill), drainMs, runs, rerun, totalDeliveries, redeliveredJobs,
                completed(ids), rows.values().stream().mapToLong(Long::longValue).sum(), duplicates, missing.size(),
                strays.size(), elapsedMs(began) / 1000);

        assertThat(states(ids)).as("states of the acknowledged jobs").isEqualTo(Map.of("COMPLETED", (long) JOBS));
        assertThat(missing).as("acknowledged jobs without an app_b_effects row").isEmpty();
        assertThat(duplicated).as("jobs with more than one app_b_effects row (rows per job)").isEmpty();
        assertThat(strays).as("app_b_effects rows of jobs nobody acknowledged").isEmpty();
        assertThat(count("SELECT COUNT(*) FROM dq_job WHERE type = ? AND NOT (id = ANY(?))", PacedRecordingBean.TYPE,
                ids)).as("jobs of the type that no batch acknowledged").isZero();
        // The row that committed is the one written by the delivery that completed the job, not an earlier one's.
        assertThat(attemptMismatch).as("jobs whose effect row names another attempt than the one that completed")
                .isEmpty();
        // The queue's own bookkeeping: every claim ended once in the history, none left open.
        assertThat(count("SELECT COUNT(*) FROM dq_job j JOIN (SELECT job_id, COUNT(*) n, MAX(run_no) m"
                + " FROM dq_attempt_history GROUP BY job_id) h ON h.job_id = j.id WHERE (j.run_count <> h.n"
                + " OR j.run_count <> h.m) AND j.id = ANY(?)", ids))
                .as("jobs with a run missing from their history, or recorded twice").isZero();
        assertThat(count("SELECT COUNT(*) FROM dq_attempt_history WHERE outcome IS NULL AND job_id = ANY(?)", ids))
                .as("attempts never closed").isZero();
        assertThat(deliveries.keySet()).as("jobs the bean's journal saw (is the journal written?)")
                .containsExactlyInAnyOrderElementsOf(acknowledged);
        // Without this the run proves nothing: no kill cut a delivery that then had to run again.
        assertThat(redeliveredJobs).as("jobs delivered to the bean more than once across the kills").isPositive();
        assertThat(rerun).as("jobs claimed more than once across the kills").isPositive();
    }

    /** Starts incarnation {@code i} of the node (same node name every time) and waits until it is ready. */
    private ConnectorServer incarnation(int i, List<Path> apps) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("dukequeue.node.name", NODE);
        // The node's workers bound every bean's deliveries (default 8): the paced bean's 16 need 16 of them.
        settings.put("dukequeue.workers", "16");
        settings.put("dukequeue.poll.interval.ms", "200");
        settings.put("dukequeue.retry.backoff.base.ms", "100");
        settings.put("dukequeue.retry.backoff.max.ms", "500");
        settings.put("dukequeue.lease.duration.ms", "5000");
        settings.put("dukequeue.heartbeat.interval.ms", "1000");
        settings.put("dukequeue.rescuer.interval.ms", "1000");
        // Three kills can each cut the same job: that is not a poison pill here.
        settings.put("dukequeue.poison.lease-losses", "10");
        settings.put(PacedRecordingBean.JOURNAL, journal(i).toString());
        long started = System.nanoTime();
        Path home;
        try {
            home = Files.createDirectories(dir.resolve("incarnation-" + i));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ConnectorServer server = ConnectorServer.start(home, databasePort, settings, apps);
        servers.add(server);
        server.awaitReady(START);
        System.out.printf("ConnectorCrashIT: incarnation %d of %s ready in %d ms (log %s)%n", i, NODE,
                elapsedMs(started), server.log());
        return server;
    }

    private Path journal(int incarnation) {
        return dir.resolve("bean-journal-" + incarnation + ".txt");
    }

    /** @return the acknowledged ids of one batch of {@link #BATCH} jobs, committed in one transaction */
    private List<String> submitBatch(ConnectorServer server, String marker, long seed) {
        HttpResponse<String> r = server.get("/app-a/batch?type=" + PacedRecordingBean.TYPE + "&marker=" + marker
                + "&count=" + BATCH + "&maxAttempts=" + MAX_ATTEMPTS + "&seed=" + seed + "&minMs=20&maxMs=50");
        assertThat(r.statusCode()).as("/app-a/batch answered " + r.body()).isEqualTo(200);
        try (JsonReader reader = Json.createReader(new StringReader(r.body()))) {
            return reader.readObject().getJsonArray("jobs").getValuesAs(JsonString.class).stream()
                    .map(JsonString::getString).toList();
        }
    }

    /** Counts the bean's {@code start} and {@code end} lines per job; a torn last line (the kill) is not a line. */
    private static void readJournal(Path file, Map<String, Integer> starts, Map<String, Integer> ends) throws IOException {
        if (!Files.exists(file)) {
            return;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        for (String line : text.substring(0, text.lastIndexOf('\n') + 1).split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(" ");
            if (f.length != 3 || !(f[0].equals("start") || f[0].equals("end"))) {
                throw new IllegalStateException("not a journal line in " + file + ": " + line);
            }
            (f[0].equals("start") ? starts : ends).merge(f[1], 1, Integer::sum);
        }
    }

    private void assertDurable() throws SQLException {
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            for (String setting : List.of("fsync", "synchronous_commit", "full_page_writes")) {
                try (ResultSet rs = s.executeQuery("SHOW " + setting)) {
                    rs.next();
                    assertThat(rs.getString(1)).as(setting).isEqualTo("on");
                }
            }
        }
    }

    private long completed(List<String> ids) throws SQLException {
        return count("SELECT COUNT(*) FROM dq_job WHERE state = 'COMPLETED' AND id = ANY(?)", ids);
    }

    private Map<String, Long> states(List<String> ids) throws SQLException {
        try (Connection c = postgres.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT state, COUNT(*) FROM dq_job WHERE id = ANY(?) GROUP BY state")) {
            ps.setArray(1, c.createArrayOf("varchar", ids.toArray()));
            Map<String, Long> out = new TreeMap<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
            return out;
        }
    }

    /** @return the first column of the first row; a List parameter is bound as an array */
    private long count(String sql, Object... parameters) throws SQLException {
        try (Connection c = postgres.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                if (parameters[i] instanceof List<?> list) {
                    ps.setArray(i + 1, c.createArrayOf("varchar", list.toArray()));
                } else {
                    ps.setObject(i + 1, parameters[i]);
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** @return the first column mapped to the second, of every row */
    private Map<String, Long> grouped(String sql) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        try (Connection c = postgres.connect(); PreparedStatement ps = c.prepareStatement(sql);
                ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getLong(2));
            }
        }
        return out;
    }

    private static long elapsedMs(long since) {
        return Duration.ofNanos(System.nanoTime() - since).toMillis();
    }
}
