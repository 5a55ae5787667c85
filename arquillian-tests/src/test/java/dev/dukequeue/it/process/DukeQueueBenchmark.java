package dev.dukequeue.it.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dukequeue.it.connector.ConnectorBenchmarkNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
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
    private static final int SUBMIT_BATCH = 1000;
    private static final int SUBMITTERS = 4;
    private static final String JDBC_URL = System.getProperty("bench.jdbcUrl", "");
    private static final String ONLY = System.getProperty("bench.only", "");
    /** The states of jobs not finished yet (each read through a partial index). */
    private static final String ACTIVE = "('PENDING', 'SCHEDULED', 'RUNNING')";

    private final Path dir = Path.of(System.getProperty("dukequeue.it.dir", "target/it"), "benchmark-" + System.nanoTime());
    private final Path report = Path.of("target", "benchmark", "report.txt");
    private String url;
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

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String runs(List<Double> values) {
        StringBuilder b = new StringBuilder("[");
        for (double v : values) {
            b.append(b.length() > 1 ? ", " : "").append(String.format(Locale.ROOT, "%.0f", v));
        }
        return b.append("]").toString();
    }

    private Connection connect() throws SQLException {
        return DriverManager.getConnection(url);
    }

    private long count(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute(sql);
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
        try {
            figure("machine", Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("java.version")
                    + ", PostgreSQL " + count("SELECT current_setting('server_version_num')::bigint") + ", fsync "
                    + setting("fsync") + ", synchronous_commit " + setting("synchronous_commit"));
            figure("settings", JOBS + " jobs, " + WORKERS + " workers per node, " + RUNS + " runs (medians) after "
                    + WARMUP + " not counted, batches of "
                    + SUBMIT_BATCH + " from " + SUBMITTERS + " clients");
            double empty = 0;
            try (ServerProcess node = ServerProcess.withDefaults("bench-a", url, dir.resolve("a"), WORKERS).start()) {
                node.awaitReady(Duration.ofSeconds(120));
                if (enabled("drain")) {
                    empty = enqueueAndDrain(List.of(node), "", RUNS, WARMUP);
                }
                if (enabled("ceiling")) {
                    new CeilingFigures(new BenchDatabase(url), this::figure, JOBS, RUNS, WARMUP).report(empty,
                            enqueueRate);
                }
                if (enabled("latency")) {
                    latency(node);
                }
                if (enabled("finished")) {
                    withFinishedRows(node, empty);
                }
                if (enabled("heap")) {
                    heapWithWaitingJobs(node);
                }
            }
            if (enabled("connector")) {
                connector(empty); // after the jar's node has stopped: one server at a time on the machine
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
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SHOW " + name)) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Submits {@code JOBS} jobs to a paused queue through {@code POST /jobs/batch}. @return jobs per second */
    private double enqueue(ServerProcess node, String queue) throws Exception {
        assertThat(node.post("/queues/" + queue + "/pause", "").statusCode()).isEqualTo(200);
        String job = "{\"type\":\"demo.echo\",\"queue\":\"" + queue + "\",\"maxAttempts\":3,\"payload\":{}}";
        StringBuilder body = new StringBuilder("{\"jobs\":[");
        for (int i = 0; i < SUBMIT_BATCH; i++) {
            body.append(i == 0 ? "" : ",").append(job);
        }
        String batch = body.append("]}").toString();
        int batches = JOBS / SUBMIT_BATCH;
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(SUBMITTERS);
        long begin = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < SUBMITTERS; c++) {
                done.add(clients.submit(() -> {
                    while (next.getAndIncrement() < batches) {
                        HttpResponse<String> r = node.post("/jobs/batch", batch);
                        if (r.statusCode() != 201) {
                            throw new IllegalStateException("batch refused: " + r.statusCode() + " " + r.body());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            clients.shutdown();
        }
        double seconds = (System.nanoTime() - begin) / 1e9;
        return batches * SUBMIT_BATCH / seconds;
    }

    /**
     * Enqueues into a paused queue, resumes it and waits until every job completed; the drain time is from the resume
     * to the last completion, both on the database clock. Checks that every job completed exactly once. The first
     * {@code warmup} runs are not counted.
     *
     * @return the median drain rate (jobs/s)
     */
    private double enqueueAndDrain(List<ServerProcess> nodes, String label, int runs, int warmup) throws Exception {
        List<Double> enqueue = new ArrayList<>();
        List<Double> drain = new ArrayList<>();
        List<Double> wal = new ArrayList<>();
        for (int run = 0; run < warmup + runs; run++) {
            if (run == warmup) { // what the warm-up runs measured is dropped
                enqueue.clear();
                drain.clear();
                wal.clear();
            }
            execute("TRUNCATE dq_job CASCADE");
            String queue = "bench";
            enqueue.add(enqueue(nodes.get(0), queue));
            execute("VACUUM ANALYZE dq_job");
            execute("CHECKPOINT"); // the drain and the ceiling both start right after one (full-page writes alike)
            String walStart = walPosition();
            Instant resumed = databaseNow();
            assertThat(nodes.get(0).post("/queues/" + queue + "/resume", "").statusCode()).isEqualTo(200);
            for (ServerProcess n : nodes.subList(1, nodes.size())) {
                n.post("/queues/" + queue + "/resume", ""); // wakes nothing but keeps every node's view alike
            }
            await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(500)).until(this::drained);
            Instant last = instant("SELECT MAX(finished_at) FROM dq_job WHERE queue = 'bench'");
            drain.add(JOBS / (Duration.between(resumed, last).toNanos() / 1e9));
            wal.add(walBytesSince(walStart) / (double) JOBS);
            assertExactlyOnce("bench");
        }
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

    /**
     * @return true once no job of queue bench waits or runs. Read from the partial indexes of active rows: counting
     *     the completed rows instead took 25 ms of the database's CPU per poll, taken from the drain it measures
     */
    private boolean drained() throws SQLException {
        return count("SELECT COUNT(*) FROM (SELECT 1 FROM dq_job WHERE queue = 'bench' AND state IN " + ACTIVE
                + " LIMIT 1) a") == 0;
    }

    private String walPosition() throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT pg_current_wal_lsn()")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** @return bytes of write-ahead log written since {@code position} (everything on the server: the work measured) */
    private long walBytesSince(String position) throws SQLException {
        return count("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '" + position + "')::bigint");
    }

    private void assertExactlyOnce(String queue) throws SQLException {
        assertThat(count("SELECT COUNT(*) FROM dq_job WHERE queue = '" + queue + "' AND state <> 'COMPLETED'")).isZero();
        assertThat(count("SELECT COUNT(*) FROM dq_attempt_history a JOIN dq_job j ON j.id = a.job_id WHERE j.queue = '"
                + queue + "' AND a.outcome = 'SUCCEEDED'")).as("one recorded success per job").isEqualTo(count(
                "SELECT COUNT(*) FROM dq_job WHERE queue = '" + queue + "'"));
        assertThat(count("SELECT COUNT(*) FROM dq_job j WHERE j.queue = '" + queue + "' AND j.run_count <> (SELECT COUNT(*)"
                + " FROM dq_attempt_history h WHERE h.job_id = j.id)")).as("jobs with a run missing from their history")
                .isZero();
    }

    private Instant databaseNow() throws SQLException {
        return instant("SELECT CURRENT_TIMESTAMP");
    }

    private java.sql.Timestamp timestamp(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getTimestamp(1);
        }
    }

    private Instant instant(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    /** Single jobs on an idle queue, one at a time: submit (commit) to claim, on the database clock. */
    private void latency(ServerProcess node) throws Exception {
        execute("TRUNCATE dq_job CASCADE");
        node.post("/jobs", "{\"type\":\"demo.echo\",\"queue\":\"latency\",\"payload\":{}}"); // warm-up
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < LATENCY_SAMPLES; i++) {
            HttpResponse<String> r = node.post("/jobs", "{\"type\":\"demo.echo\",\"queue\":\"latency\",\"payload\":{}}");
            String id = r.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
            ids.add(id);
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2)).until(() ->
                    count("SELECT COUNT(*) FROM dq_job WHERE id = '" + id + "' AND state = 'COMPLETED'") == 1);
        }
        List<Double> millis = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT EXTRACT(EPOCH FROM (a.started_at - j.created_at)) * 1000 FROM dq_job j"
                        + " JOIN dq_attempt_history a ON a.job_id = j.id AND a.run_no = 1 WHERE j.queue = 'latency'"
                        + " ORDER BY j.seq OFFSET 1")) {
            while (rs.next()) {
                millis.add(rs.getDouble(1));
            }
        }
        Collections.sort(millis);
        figure("submit-to-start latency, idle (ms)", String.format(Locale.ROOT, "p50 %.1f  p99 %.1f  max %.1f  (%d jobs)",
                millis.get(millis.size() / 2), millis.get((int) Math.ceil(millis.size() * 0.99) - 1),
                millis.get(millis.size() - 1), millis.size()));
    }

    /** The drain again, with a million finished jobs (and their attempts) in the tables. */
    private void withFinishedRows(ServerProcess node, double empty) throws Exception {
        execute("TRUNCATE dq_job CASCADE");
        long begin = System.nanoTime();
        insertRows(FINISHED_ROWS, "COMPLETED", "history");
        figure("finished rows inserted", FINISHED_ROWS + " (" + (System.nanoTime() - begin) / 1_000_000 + " ms)");
        double full = enqueueAndDrainKeeping(node);
        if (empty > 0) {
            figure("drain with finished rows / empty", String.format(Locale.ROOT, "%.0f %%", 100 * full / empty));
        }
        execute("TRUNCATE dq_job CASCADE");
    }

    /** Like {@link #enqueueAndDrain} but without truncating the table first (keeps the finished rows). */
    private double enqueueAndDrainKeeping(ServerProcess node) throws Exception {
        List<Double> drain = new ArrayList<>();
        List<Double> wal = new ArrayList<>();
        for (int run = 0; run < RUNS; run++) {
            execute("DELETE FROM dq_job WHERE queue = 'bench'");
            enqueue(node, "bench");
            execute("VACUUM ANALYZE dq_job");
            execute("CHECKPOINT"); // as before the empty-table drain
            String walStart = walPosition();
            Instant resumed = databaseNow();
            node.post("/queues/bench/resume", "");
            await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(500)).until(this::drained);
            Instant last = instant("SELECT MAX(finished_at) FROM dq_job WHERE queue = 'bench'");
            drain.add(JOBS / (Duration.between(resumed, last).toNanos() / 1e9));
            wal.add(walBytesSince(walStart) / (double) JOBS);
            assertExactlyOnce("bench");
        }
        figure("drain with " + FINISHED_ROWS + " finished rows jobs/s", String.format(Locale.ROOT, "%.0f  runs %s",
                median(drain), runs(drain)));
        figure("drain with " + FINISHED_ROWS + " finished rows: WAL written per job, bytes", String.format(Locale.ROOT,
                "%.0f  runs %s", median(wal), runs(wal)));
        return median(drain);
    }

    private void insertRows(long n, String state, String queue) throws SQLException {
        boolean finished = !state.equals("SCHEDULED");
        execute("INSERT INTO dq_job (id, type, queue, state, priority, attempt, max_attempts, run_count, timeout_ms,"
                + " payload, created_at, run_at, started_at, finished_at, updated_at, ran_on)"
                + " SELECT md5(g::text || '" + queue + "')::uuid::text, 'demo.echo', '" + queue + "', '" + state + "', 2, "
                + (finished ? 1 : 0) + ", 3, " + (finished ? 1 : 0) + ", 60000, '{}', now(), now(), "
                + (finished ? "now(), now(), now(), 'history#0'" : "NULL, NULL, now(), NULL")
                + " FROM generate_series(1, " + n + ") g");
        // Successful attempts have no dq_attempt row (schema V9): the job row, with ran_on, is their record.
        execute("VACUUM ANALYZE dq_job");
        execute("VACUUM ANALYZE dq_attempt");
    }

    /**
     * A million jobs waiting: written straight into the table (as a backlog left by an outage would be), then drained
     * by the node, which claims a few dozen at a time; its heap is sampled every second until the last one completes.
     */
    private void heapWithWaitingJobs(ServerProcess node) throws Exception {
        execute("TRUNCATE dq_job CASCADE");
        node.post("/queues/bench/pause", "");
        insertRows(WAITING_ROWS, "SCHEDULED", "bench");
        double before = usedHeap(node);
        Instant resumed = databaseNow();
        node.post("/queues/bench/resume", "");
        double maxHeap = before;
        while (!drained()) {
            maxHeap = Math.max(maxHeap, usedHeap(node));
            await().pollDelay(Duration.ofSeconds(1)).until(() -> true);
        }
        Instant last = instant("SELECT MAX(finished_at) FROM dq_job WHERE queue = 'bench'");
        assertExactlyOnce("bench");
        figure("heap with " + WAITING_ROWS + " jobs waiting", String.format(Locale.ROOT,
                "max used %.0f MB of -Xmx512m (%.0f MB before), sampled every second while it drained them at %.0f"
                        + " jobs/s, all completed once", maxHeap / 1048576, before / 1048576,
                WAITING_ROWS / (Duration.between(resumed, last).toNanos() / 1e9)));
        execute("TRUNCATE dq_job CASCADE");
    }

    private static double usedHeap(ServerProcess node) {
        // MicroProfile Metrics 5 (Payara 6) names it without the scope prefix; older ones with "base_".
        return Math.max(node.metric("memory_usedHeap_bytes"), node.metric("base_memory_usedHeap_bytes"));
    }

    /**
     * The drain through the resource adapter: {@code dukequeue.rar} on Payara Micro with a no-op message-driven bean
     * ({@code JobListener} returning null, container transaction, {@code maxConcurrency} = {@code WORKERS}, the
     * node's {@code dukequeue.workers} too) on the same database, the same number of jobs submitted through the
     * adapter's connection factory into a paused queue, resumed, timed like {@link #enqueueAndDrain}. Each delivery
     * commits its job's completion in the bean's transaction (one commit per job); the jar's CDI handler's outcomes
     * are group-committed. {@code cdi}: the jar's drain in this run (0 if it did not run).
     */
    private void connector(double cdi) throws Exception {
        try (ConnectorBenchmarkNode node = ConnectorBenchmarkNode.start(dir.resolve("rar"), url, "bench-rar", WORKERS)) {
            long starting = System.nanoTime();
            node.awaitReady(Duration.ofSeconds(180));
            figure("MDB node (dukequeue.rar on Payara Micro)", String.format(Locale.ROOT, "Payara Micro, dukequeue.rar, no-op MDB with"
                    + " maxConcurrency %d, %d workers, pool of %d; ready in %.1f s", WORKERS, WORKERS,
                    ConnectorBenchmarkNode.maxPoolSize(WORKERS),
                    (System.nanoTime() - starting) / 1e9));
            List<Double> enqueue = new ArrayList<>();
            List<Double> drain = new ArrayList<>();
            List<Double> wal = new ArrayList<>();
            for (int run = 0; run < WARMUP + RUNS; run++) {
                if (run == WARMUP) { // what the warm-up runs measured is dropped
                    enqueue.clear();
                    drain.clear();
                    wal.clear();
                }
                execute("TRUNCATE dq_job CASCADE");
                node.pause("bench");
                enqueue.add(submitThroughAdapter(node));
                execute("VACUUM ANALYZE dq_job");
                execute("CHECKPOINT"); // as before the jar's drain
                String walStart = walPosition();
                Instant resumed = databaseNow();
                node.resume("bench");
                await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(500)).until(this::drained);
                Instant last = instant("SELECT MAX(finished_at) FROM dq_job WHERE queue = 'bench'");
                drain.add(JOBS / (Duration.between(resumed, last).toNanos() / 1e9));
                wal.add(walBytesSince(walStart) / (double) JOBS);
                assertExactlyOnce("bench");
            }
            figure("enqueue via connection factory jobs/s", String.format(Locale.ROOT, "%.0f  runs %s",
                    median(enqueue), runs(enqueue)));
            figure("drain MDB: WAL written per job, bytes", String.format(Locale.ROOT, "%.0f  runs %s",
                    median(wal), runs(wal)));
            double mdb = median(drain);
            figure("drain MDB jobs/s", String.format(Locale.ROOT, "%.0f  runs %s", mdb, runs(drain)));
            if (cdi > 0) {
                figure("drain MDB / CDI", String.format(Locale.ROOT, "%.0f %%  (%.0f / %.0f jobs/s, same run)",
                        100 * mdb / cdi, mdb, cdi));
            }
        }
        execute("TRUNCATE dq_job CASCADE");
    }

    /** {@code JOBS} no-op jobs in batches of {@code SUBMIT_BATCH} from {@code SUBMITTERS} clients. @return jobs/s */
    private static double submitThroughAdapter(ConnectorBenchmarkNode node) throws Exception {
        int batches = JOBS / SUBMIT_BATCH;
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(SUBMITTERS);
        long begin = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < SUBMITTERS; c++) {
                done.add(clients.submit(() -> {
                    while (next.getAndIncrement() < batches) {
                        node.submit("bench", SUBMIT_BATCH);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            clients.shutdown();
        }
        return batches * SUBMIT_BATCH / ((System.nanoTime() - begin) / 1e9);
    }

    /**
     * The soak ({@link Soak}) on a node of its own with retention on and short windows (finished jobs kept 1 minute,
     * purged every 10 s). Its rate: {@code bench.soak.rate}, else half the drain measured in this run, else half of a
     * calibration drain on the soak's node. Prints the figures the targets are read from.
     */
    private void soak(double drain) throws Exception {
        Duration length = Duration.ofMinutes(Long.getLong("bench.soak.minutes", 30));
        Duration hold = Duration.ofMinutes(Long.getLong("bench.soak.hold.minutes", 5));
        Duration every = Duration.ofSeconds(Long.getLong("bench.soak.sample.seconds", 10));
        try (ServerProcess node = ServerProcess.withDefaults("bench-soak", url, dir.resolve("soak"), WORKERS)
                .with("dukequeue.retention.enabled", "true").with("dukequeue.retention.cron", "*/10 * * * * *")
                .with("dukequeue.retention.completed", "PT1M").start()) {
            node.awaitReady(Duration.ofSeconds(120));
            double measured = drain > 0 ? drain : enqueueAndDrain(List.of(node), " (soak calibration)", 1, 0);
            execute("TRUNCATE dq_job CASCADE");
            double rate = Double.parseDouble(System.getProperty("bench.soak.rate", String.format(Locale.ROOT, "%.0f",
                    measured / 2)));
            figure("soak", String.format(Locale.ROOT, "%d min, %.0f jobs/s from %d clients (drain %.0f), xmin held %d"
                    + " min in the middle, sampled every %d s, retention every 10 s keeping 1 min", length.toMinutes(),
                    rate, Soak.CLIENTS, measured, hold.toMinutes(), every.toSeconds()));
            List<Soak.Sample> samples = new Soak(new BenchDatabase(url), node, length, hold, every, rate,
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
            execute("TRUNCATE dq_job CASCADE");
            enqueue(all.get(0), "bench");
            all.get(0).post("/queues/bench/resume", "");
            ServerProcess victim = all.get(all.size() - 1);
            await().atMost(Duration.ofMinutes(10)).pollInterval(Duration.ofMillis(250)).until(() -> count(
                    "SELECT COUNT(*) FROM dq_job WHERE queue = 'bench' AND state IN " + ACTIVE) <= JOBS - JOBS / 3);
            long inFlight = count("SELECT COUNT(*) FROM dq_job WHERE state = 'RUNNING' AND lease_owner LIKE 'bench-n"
                    + all.size() + "#%'");
            Instant killed = databaseNow();
            victim.kill9();
            await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(500)).until(this::drained);
            java.sql.Timestamp rescuedDone = timestamp("SELECT MAX(j.finished_at) FROM dq_job j JOIN dq_attempt a ON a.job_id = j.id"
                    + " WHERE a.outcome = 'LEASE_EXPIRED'");
            assertExactlyOnce("bench");
            long rescued = count("SELECT COUNT(DISTINCT job_id) FROM dq_attempt WHERE outcome = 'LEASE_EXPIRED'");
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
