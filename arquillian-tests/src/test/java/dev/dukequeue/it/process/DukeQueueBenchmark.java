package dev.dukequeue.it.process;

import static dev.dukequeue.it.process.BenchDatabase.median;
import static dev.dukequeue.it.process.BenchDatabase.runs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * DukeQueue's speed, measured on the real runnable jar against PostgreSQL with its default durability (fsync and
 * synchronous_commit on): bulk enqueue, drain of N no-op jobs with T workers, idle submit-to-start latency, the same
 * drain with a million finished rows in the table, the heap with a million jobs waiting, 1..K nodes on one database
 * and a node killed under load; and, in the same run on the same database, a plain-JDBC {@code FOR UPDATE SKIP LOCKED}
 * loop with batched completion as the ceiling; and the same drain through the resource adapter
 * ({@code dukequeue.rar} on Payara Micro, a no-op message-driven bean in its container transaction) against the jar's
 * CDI handler. Prints one line per figure (and writes them to
 * {@code target/benchmark/report.txt}); asserts only correctness (every job completed exactly once), never a time.
 *
 * <p>Not part of {@code ./mvnw verify}: {@code ./benchmark} runs it (see docs/benchmarks.md for the settings).
 */
class DukeQueueBenchmark {

    private static final int JOBS = Integer.getInteger("bench.jobs", 100_000);
    private static final int WORKERS = Integer.getInteger("bench.workers", 32);
    private static final int RUNS = Integer.getInteger("bench.runs", 3);
    /** Runs before the counted ones of the drain and the ceiling, not counted: the node's JIT and both sides' caches. */
    private static final int WARMUP = Integer.getInteger("bench.warmup", 1);
    private static final int LATENCY_SAMPLES = Integer.getInteger("bench.latency.samples", 300);
    private static final int NODES = Integer.getInteger("bench.nodes", 3);
    private static final long FINISHED_ROWS = Long.getLong("bench.finished", 1_000_000);
    private static final long WAITING_ROWS = Long.getLong("bench.waiting", 1_000_000);
    private static final String JDBC_URL = System.getProperty("bench.jdbcUrl", "");
    private static final String ONLY = System.getProperty("bench.only", "");

    private final Path dir = Path.of(System.getProperty("dukequeue.it.dir", "target/it"), "benchmark-" + System.nanoTime());
    private final Path report = Path.of("target", "benchmark", "report.txt");
    private String url;
    private BenchDatabase db;
    private BenchQueue queue;
    /** The median enqueue rate of the drain's runs (jobs/s), 0 if it did not run. */
    private double enqueueRate;

    private boolean enabled(String part) {
        return ONLY.isBlank() || List.of(ONLY.split(",")).contains(part);
    }

    private void figure(String name, String value) {
        String line = String.format(Locale.ROOT, "%-44s %s", name, value);
        System.out.println("BENCHMARK " + line);
        try {
            Files.createDirectories(report.getParent());
            Files.writeString(report, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void benchmark() throws Exception {
        Files.deleteIfExists(report);
        RestartablePostgres embedded = null;
        if (JDBC_URL.isBlank()) {
            embedded = RestartablePostgres.on(RestartablePostgres.freePort(), dir.resolve("pg")).start();
            url = embedded.jdbcUrl();
        } else {
            url = JDBC_URL;
        }
        db = new BenchDatabase(url);
        queue = new BenchQueue(db, JOBS);
        try {
            figure("machine", Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("java.version")
                    + ", PostgreSQL " + db.count("SELECT current_setting('server_version_num')::bigint") + ", fsync "
                    + setting("fsync") + ", synchronous_commit " + setting("synchronous_commit"));
            figure("settings", JOBS + " jobs, " + WORKERS + " workers per node, " + RUNS + " runs (medians) after "
                    + WARMUP + " not counted, batches of "
                    + BenchQueue.SUBMIT_BATCH + " from " + BenchQueue.SUBMITTERS + " clients");
            double empty = 0;
            try (ServerProcess node = ServerProcess.withDefaults("bench-a", url, dir.resolve("a"), WORKERS).start()) {
                node.awaitReady(Duration.ofSeconds(120));
                if (enabled("drain")) {
                    empty = enqueueAndDrain(List.of(node), "", RUNS, WARMUP);
                }
                if (enabled("ceiling")) {
                    new CeilingFigures(db, this::figure, JOBS, RUNS, WARMUP).report(empty,
                            enqueueRate);
                }
                if (enabled("latency")) {
                    new LatencyFigure(db, this::figure, LATENCY_SAMPLES).report(node);
                }
                if (enabled("finished")) {
                    withFinishedRows(node, empty);
                }
                if (enabled("heap")) {
                    heapWithWaitingJobs(node);
                }
            }
            if (enabled("connector")) {
                // after the jar's node has stopped: one server at a time on the machine
                new ConnectorFigures(db, queue, this::figure, WORKERS, RUNS, WARMUP).report(dir.resolve("rar"), url, empty);
            }
            if (enabled("nodes")) {
                nodes();
            }
            if (List.of(ONLY.split(",")).contains("soak")) {
                soak(empty); // only when asked for by name: 30 minutes by default
            }
        } finally {
            if (embedded != null) {
                embedded.close();
            }
        }
    }

    private String setting(String name) throws SQLException {
        return db.text("SHOW " + name);
    }

    /**
     * Enqueues into a paused queue, resumes it and waits until every job completed; the drain time is from the resume
     * to the last completion, both on the database clock. Checks that every job completed exactly once. The first
     * {@code warmup} runs are not counted.
     *
     * @return the median drain rate (jobs/s)
     */
    private double enqueueAndDrain(List<ServerProcess> nodes, String label, int runs, int warmup) throws Exception {
        BenchQueue.Rounds r = queue.rounds(warmup, runs, new BenchQueue.Round() {
            @Override
            public double enqueue() throws Exception {
                return queue.enqueue(nodes.get(0), BenchQueue.NAME);
            }

            @Override
            public BenchQueue.Drain drain() throws Exception {
                // the nodes figures: their claims and the database's lock waits, counted from right before the resume
                ClaimContention[] contention = new ClaimContention[1];
                BenchQueue.Drain d = queue.drain(() -> {
                    if (label.startsWith(" with ")) { // the nodes figures, one node included (the baseline)
                        contention[0] = ClaimContention.during(db, nodes);
                    }
                }, () -> {
                    assertThat(nodes.get(0).post("/queues/" + BenchQueue.NAME + "/resume", "").statusCode())
                            .isEqualTo(200);
                    for (ServerProcess n : nodes.subList(1, nodes.size())) {
                        n.post("/queues/" + BenchQueue.NAME + "/resume", ""); // wakes nothing; every node's view alike
                    }
                });
                if (contention[0] != null) {
                    figure("claims" + label, contention[0].figure(JOBS));
                }
                return d;
            }
        });
        List<Double> enqueue = r.enqueue();
        List<Double> drain = r.drain();
        List<Double> wal = r.wal();
        if (label.isEmpty()) {
            enqueueRate = median(enqueue);
            figure("enqueue (POST /jobs/batch) jobs/s", String.format(Locale.ROOT, "%.0f  runs %s", median(enqueue),
                    runs(enqueue)));
        }
        figure("drain" + label + ": WAL written per job, bytes", String.format(Locale.ROOT, "%.0f  runs %s",
                median(wal), runs(wal)));
        figure("drain" + label + " jobs/s", String.format(Locale.ROOT, "%.0f  runs %s", median(drain), runs(drain)));
        return median(drain);
    }

    private java.sql.Timestamp timestamp(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }

    /** The drain again, with a million finished jobs (and their attempts) in the tables. */
    private void withFinishedRows(ServerProcess node, double empty) throws Exception {
        db.execute("TRUNCATE dq_job CASCADE");
        long begin = System.nanoTime();
        insertRows(FINISHED_ROWS, "COMPLETED", "history");
        figure("finished rows inserted", FINISHED_ROWS + " (" + (System.nanoTime() - begin) / 1_000_000 + " ms)");
        double full = enqueueAndDrainKeeping(node);
        if (empty > 0) {
            figure("drain with finished rows / empty", String.format(Locale.ROOT, "%.0f %%", 100 * full / empty));
        }
        db.execute("TRUNCATE dq_job CASCADE");
    }

    /** Like {@link #enqueueAndDrain} but without truncating the table first (keeps the finished rows). */
    private double enqueueAndDrainKeeping(ServerProcess node) throws Exception {
        List<Double> drain = new ArrayList<>();
        List<Double> wal = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            db.execute("DELETE FROM dq_job WHERE queue = '" + BenchQueue.NAME + "'");
            queue.enqueue(node, BenchQueue.NAME);
            BenchQueue.Drain d = queue.drain(() -> node.post("/queues/" + BenchQueue.NAME + "/resume", ""));
            drain.add(d.jobsPerSecond());
            wal.add(d.walPerJob());
        }
        figure("drain with " + FINISHED_ROWS + " finished rows jobs/s", String.format(Locale.ROOT, "%.0f  runs %s",
                median(drain), runs(drain)));
        figure("drain with " + FINISHED_ROWS + " finished rows: WAL written per job, bytes", String.format(Locale.ROOT,
                "%.0f  runs %s", median(wal), runs(wal)));
        return median(drain);
    }

    private void insertRows(long n, String state, String queue) throws SQLException {
        boolean finished = !state.equals("SCHEDULED");
        db.execute("INSERT INTO dq_job (id, type, queue, state, priority, attempt, max_attempts, run_count, timeout_ms,"
                + " payload, created_at, run_at, started_at, finished_at, updated_at, ran_on)"
                + " SELECT md5(g::text || '" + queue + "')::uuid::text, 'demo.echo', '" + queue + "', '" + state + "', 2, "
                + (finished ? 1 : 0) + ", 3, " + (finished ? 1 : 0) + ", 60000, '{}', now(), now(), "
                + (finished ? "now(), now(), now(), 'history#0'" : "NULL, NULL, now(), NULL")
                + " FROM generate_series(1, " + n + ") g");
        // Successful attempts have no dq_attempt row (schema V9): the job row, with ran_on, is their record.
        db.execute("VACUUM ANALYZE dq_job");
        db.execute("VACUUM ANALYZE dq_attempt");
    }

    /**
     * A million jobs waiting: written straight into the table (as a backlog left by an outage would be), then drained
     * by the node, which claims a few dozen at a time; its heap is sampled every second until the last one completes.
     */
    private void heapWithWaitingJobs(ServerProcess node) throws Exception {
        db.execute("TRUNCATE dq_job CASCADE");
        node.post("/queues/bench/pause", "");
        insertRows(WAITING_ROWS, "SCHEDULED", "bench");
        double before = usedHeap(node);
        Instant resumed = db.instant("SELECT CURRENT_TIMESTAMP");
        node.post("/queues/bench/resume", "");
        double maxHeap = before;
        while (!queue.drained()) {
            maxHeap = Math.max(maxHeap, usedHeap(node));
            await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
        }
        Instant last = db.instant("SELECT MAX(finished_at) FROM dq_job WHERE queue = 'bench'");
        queue.assertExactlyOnce();
        figure("heap with " + WAITING_ROWS + " jobs waiting", String.format(Locale.ROOT,
                "max used %.0f MB of -Xmx512m (%.0f MB before), sampled every second while it drained them at %.0f"
                        + " jobs/s, all completed once", maxHeap / 1048576, before / 1048576,
                WAITING_ROWS / (Duration.between(resumed, last).toNanos() / 1e9)));
        db.execute("TRUNCATE dq_job CASCADE");
    }

    private static double usedHeap(ServerProcess node) {
        // MicroProfile Metrics 5 (Payara 6) names it without the scope prefix; older ones with "base_".
        return Math.max(node.metric("memory_usedHeap_bytes"), node.metric("base_memory_usedHeap_bytes"));
    }

    /**
     * The soak ({@link Soak}) on a node of its own with retention on and short windows (finished jobs kept 1 minute,
     * purged every 10 s). Its rate: {@code bench.soak.rate}, else half the drain measured in this run, else half of a
     * calibration drain on the soak's node. The index upkeep runs every 5 minutes ({@code -Dbench.soak.reindex=false}:
     * not at all). Prints the figures the targets are read from.
     */
    private void soak(double drain) throws Exception {
        Duration length = Duration.ofMinutes(Long.getLong("bench.soak.minutes", 30));
        Duration hold = Duration.ofMinutes(Long.getLong("bench.soak.hold.minutes", 5));
        Duration every = Duration.ofSeconds(Long.getLong("bench.soak.sample.seconds", 10));
        try (ServerProcess node = ServerProcess.withDefaults("bench-soak", url, dir.resolve("soak"), WORKERS)
                .with("dukequeue.retention.enabled", "true").with("dukequeue.retention.cron", "*/10 * * * * *")
                .with("dukequeue.retention.completed", "PT1M")
                .with("dukequeue.reindex.enabled", System.getProperty("bench.soak.reindex", "true"))
                .with("dukequeue.reindex.cron", "0 */5 * * * *").start()) {
            node.awaitReady(Duration.ofSeconds(120));
            String given = System.getProperty("bench.soak.rate");
            double measured = drain > 0 || given != null ? drain
                    : enqueueAndDrain(List.of(node), " (soak calibration)", 1, 0);
            db.execute("TRUNCATE dq_job CASCADE");
            double rate = given != null ? Double.parseDouble(given) : measured / 2;
            figure("soak", String.format(Locale.ROOT, "%d min, %.0f jobs/s from %d clients (drain %.0f), xmin held %d"
                    + " min in the middle, sampled every %d s, retention every 10 s keeping 1 min", length.toMinutes(),
                    rate, Soak.CLIENTS, measured, hold.toMinutes(), every.toSeconds()));
            List<Soak.Sample> samples = new Soak(db, node, length, hold, every, rate,
                    report.getParent()).run();
            Soak.figures(samples, length, hold, this::figure, report.getParent().resolve("soak.png"));
        }
    }

    /** 1..NODES nodes on the database: drain per node count; then a node killed under load. */
    private void nodes() throws Exception {
        List<ServerProcess> all = new ArrayList<>();
        try {
            for (int k = 1; k <= NODES; k++) {
                ServerProcess n = ServerProcess.withDefaults("bench-n" + k, url, dir.resolve("n" + k), WORKERS)
                        .with("dukequeue.lease.duration.ms", "10000").with("dukequeue.heartbeat.interval.ms", "2000")
                        .with("dukequeue.rescuer.interval.ms", "1000").start();
                n.awaitReady(Duration.ofSeconds(120));
                all.add(n);
                enqueueAndDrain(all, " with " + k + " node" + (k == 1 ? "" : "s"), 1, 0);
            }
            // Kill one node while the queue drains: its jobs are rescued by the others after their leases expire.
            db.execute("TRUNCATE dq_job CASCADE");
            queue.enqueue(all.get(0), BenchQueue.NAME);
            all.get(0).post("/queues/bench/resume", "");
            ServerProcess victim = all.get(all.size() - 1);
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(250)).until(() -> db.count(
                    "SELECT COUNT(*) FROM dq_job WHERE queue = 'bench' AND state IN " + BenchQueue.ACTIVE) <= JOBS - JOBS / 3);
            long inFlight = db.count("SELECT COUNT(*) FROM dq_job WHERE state = 'RUNNING' AND lease_owner LIKE 'bench-n"
                    + all.size() + "#%'");
            Instant killed = db.instant("SELECT CURRENT_TIMESTAMP");
            victim.kill9();
            await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(500)).until(queue::drained);
            java.sql.Timestamp rescuedDone = timestamp("SELECT MAX(j.finished_at) FROM dq_job j JOIN dq_attempt a ON a.job_id = j.id"
                    + " WHERE a.outcome = 'LEASE_EXPIRED'");
            queue.assertExactlyOnce();
            long rescued = db.count("SELECT COUNT(DISTINCT job_id) FROM dq_attempt WHERE outcome = 'LEASE_EXPIRED'");
            figure("kill -9 of 1 of " + all.size() + " nodes under load", String.format(Locale.ROOT,
                    "%d jobs in flight on it, %d rescued; all %d completed exactly once; its last rescued job done"
                            + " %s after the kill (lease 10 s)", inFlight, rescued, JOBS, rescuedDone == null ? "-"
                            : String.format(Locale.ROOT, "%.1f s",
                                    Duration.between(killed, rescuedDone.toInstant()).toMillis() / 1000.0)));
        } finally {
            all.forEach(ServerProcess::close);
        }
    }
}
