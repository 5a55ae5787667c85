package dev.dukequeue.it.process;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The soak: one node drains while {@value #CLIENTS} clients submit at a steady rate (about half the drain rate), with
 * retention on and short windows so that deletes run all the time, on PostgreSQL with its default durability and
 * autovacuum settings (plus what DukeQueue's migrations set per table). In the middle, one transaction stays open for
 * {@code bench.soak.hold} (a forgotten session holding the xmin horizon). Every {@code bench.soak.sample} it samples
 * submit-to-start latency (p50, p99 of the jobs started in the last interval, on the database clock), throughput,
 * {@code dq_job}'s dead tuples, the sizes of the table and of each of its indexes, and autovacuum runs; writes them to
 * {@code target/benchmark/soak.csv}, plots them ({@link SoakPlot}, {@code soak.png}) and prints the start and end values
 * the targets of docs/benchmarks.md are read from.
 */
final class Soak {

    static final int CLIENTS = 4;
    private static final int BATCH = 50;

    /** One sample. */
    record Sample(double minute, double p50, double p99, double startedPerSecond, long deadTuples, long liveTuples,
            long tableBytes, long indexBytes, long autovacuums, boolean holding, String indexSizes) {
    }

    private final BenchDatabase db;
    private final ServerProcess node;
    private final Duration length;
    private final Duration hold;
    private final Duration sample;
    private final double rate;
    private final Path out;

    Soak(BenchDatabase db, ServerProcess node, Duration length, Duration hold, Duration sample, double rate, Path out) {
        this.db = db;
        this.node = node;
        this.length = length;
        this.hold = hold;
        this.sample = sample;
        this.rate = rate;
        this.out = out;
    }

    /** @return the samples, in time order */
    List<Sample> run() throws Exception {
        AtomicBoolean submitting = new AtomicBoolean(true);
        AtomicLong submitted = new AtomicLong();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            done.add(clients.submit(() -> submit(submitting, submitted)));
        }
        List<Sample> samples = new ArrayList<>();
        long begin = System.nanoTime();
        long holdFrom = length.minus(hold).dividedBy(2).toNanos();
        long holdTo = holdFrom + hold.toNanos();
        Connection holder = null;
        Path csv = out.resolve("soak.csv");
        Files.createDirectories(out);
        Files.writeString(csv, "minute,p50_ms,p99_ms,started_per_s,dead_tuples,live_tuples,table_bytes,index_bytes,"
                + "autovacuums,holding_xmin,index_sizes\n", StandardCharsets.UTF_8);
        try {
            for (long next = sample.toNanos(); next <= length.toNanos(); next += sample.toNanos()) {
                sleepUntil(begin + next, done);
                long now = System.nanoTime() - begin;
                if (holder == null && now >= holdFrom && now < holdTo) {
                    holder = holdXmin();
                } else if (holder != null && now >= holdTo) {
                    holder.rollback();
                    holder.close();
                    holder = null;
                }
                Sample s = sample(now / 60e9, holder != null);
                samples.add(s);
                Files.writeString(csv, String.format(Locale.ROOT, "%.2f,%.1f,%.1f,%.0f,%d,%d,%d,%d,%d,%b,%s%n",
                        s.minute(), s.p50(), s.p99(), s.startedPerSecond(), s.deadTuples(), s.liveTuples(),
                        s.tableBytes(), s.indexBytes(), s.autovacuums(), s.holding(), s.indexSizes()),
                        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
                System.out.printf(Locale.ROOT, "SOAK %6.2f min  p50 %6.1f ms  p99 %7.1f ms  %6.0f started/s  dead %8d"
                        + "  table %6.1f MB  indexes %6.1f MB  autovacuums %d%s%n", s.minute(), s.p50(), s.p99(),
                        s.startedPerSecond(), s.deadTuples(), s.tableBytes() / 1048576.0, s.indexBytes() / 1048576.0,
                        s.autovacuums(), s.holding() ? "  (xmin held)" : "");
            }
        } finally {
            submitting.set(false);
            if (holder != null) {
                holder.rollback();
                holder.close();
            }
            clients.shutdown();
            clients.awaitTermination(30, TimeUnit.SECONDS);
        }
        for (Future<?> f : done) {
            f.get(); // a client that failed fails the soak
        }
        SoakPlot.write(samples, out.resolve("soak.png"), rate);
        return samples;
    }

    /** Sends batches of {@value #BATCH} at this client's share of the rate, paced on the nano clock. */
    private Void submit(AtomicBoolean submitting, AtomicLong submitted) {
        String job = "{\"type\":\"demo.echo\",\"queue\":\"soak\",\"payload\":{}}";
        StringBuilder body = new StringBuilder("{\"jobs\":[");
        for (int i = 0; i < BATCH; i++) {
            body.append(i == 0 ? "" : ",").append(job);
        }
        String batch = body.append("]}").toString();
        long interval = (long) (1e9 * BATCH * CLIENTS / rate);
        long next = System.nanoTime();
        while (submitting.get()) {
            HttpResponse<String> r = node.post("/jobs/batch", batch);
            if (r.statusCode() != 201) {
                throw new IllegalStateException("soak batch refused: " + r.statusCode() + " " + r.body());
            }
            submitted.addAndGet(BATCH);
            next += interval;
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(wait); // pacing the load generator, not waiting on the system under test
                } catch (InterruptedException e) {
                    return null;
                }
            }
        }
        return null;
    }

    private static void sleepUntil(long deadline, List<Future<?>> clients) throws Exception {
        while (System.nanoTime() < deadline) {
            for (Future<?> f : clients) {
                if (f.isDone()) {
                    f.get(); // a client died: stop now, with its exception
                }
            }
            TimeUnit.MILLISECONDS.sleep(Math.min(500, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
        }
    }

    /** Opens a transaction that holds a snapshot (and so the xmin horizon) until it is rolled back. */
    private Connection holdXmin() throws SQLException {
        Connection c = db.connect();
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM dq_queue")) {
            rs.next();
        }
        System.out.println("SOAK xmin held by one open transaction from now on");
        return c;
    }

    private Sample sample(double minute, boolean holding) throws SQLException {
        double p50 = 0;
        double p99 = 0;
        double started = 0;
        long seconds = sample.toSeconds();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms),"
                    + " percentile_cont(0.99) WITHIN GROUP (ORDER BY ms), COUNT(*) FROM (SELECT EXTRACT(EPOCH FROM"
                    + " (started_at - created_at)) * 1000 AS ms FROM dq_job WHERE queue = 'soak' AND started_at >"
                    + " clock_timestamp() - interval '" + seconds + " seconds') w")) {
                rs.next();
                p50 = rs.getDouble(1);
                p99 = rs.getDouble(2);
                started = rs.getLong(3) / (double) seconds;
            }
            long dead;
            long live;
            long autovacuums;
            try (ResultSet rs = s.executeQuery("SELECT n_dead_tup, n_live_tup, autovacuum_count FROM pg_stat_user_tables"
                    + " WHERE relname = 'dq_job'")) {
                rs.next();
                dead = rs.getLong(1);
                live = rs.getLong(2);
                autovacuums = rs.getLong(3);
            }
            long table;
            try (ResultSet rs = s.executeQuery("SELECT pg_relation_size('dq_job')")) {
                rs.next();
                table = rs.getLong(1);
            }
            long indexes = 0;
            StringBuilder each = new StringBuilder();
            try (ResultSet rs = s.executeQuery("SELECT indexrelname, pg_relation_size(indexrelid) FROM"
                    + " pg_stat_user_indexes WHERE relname = 'dq_job' ORDER BY indexrelname")) {
                while (rs.next()) {
                    indexes += rs.getLong(2);
                    each.append(each.length() == 0 ? "" : ";").append(rs.getString(1)).append('=').append(rs.getLong(2));
                }
            }
            return new Sample(minute, p50, p99, started, dead, live, table, indexes, autovacuums, holding,
                    each.toString());
        }
    }

    /** @return the mean of {@code value} over the samples whose minute is in [from, to) and not holding the xmin */
    static double mean(List<Sample> samples, double from, double to, java.util.function.ToDoubleFunction<Sample> value) {
        return samples.stream().filter(s -> s.minute() >= from && s.minute() < to && !s.holding()).mapToDouble(value)
                .average().orElse(Double.NaN);
    }

    /** Prints the figures the soak's targets are read from (docs/benchmarks.md). */
    static void figures(List<Sample> samples, Duration length, Duration hold, BenchFigure figure, Path plot) {
        double end = length.toSeconds() / 60.0;
        double holdFrom = (length.minus(hold).toSeconds() / 2.0) / 60;
        double holdTo = holdFrom + hold.toSeconds() / 60.0;
        java.util.function.ToDoubleFunction<Sample> size = s -> (s.tableBytes() + s.indexBytes()) / 1048576.0;
        double p99First = mean(samples, 0, 5, Sample::p99);
        double p99Last = mean(samples, end - 5, end + 1, Sample::p99);
        double sizeFirst = mean(samples, 0, 5, size);
        double sizeLast = mean(samples, end - 5, end + 1, size);
        figure.print("soak p99 (ms): first 5 min / last 5 min", String.format(Locale.ROOT, "%.1f / %.1f  (x%.2f)", p99First,
                p99Last, p99Last / p99First));
        figure.print("soak table+indexes (MB): first 5 / last 5", String.format(Locale.ROOT, "%.1f / %.1f  (x%.2f)",
                sizeFirst, sizeLast, sizeLast / sizeFirst));
        figure.print("soak p50 (ms): first 5 min / last 5 min", String.format(Locale.ROOT, "%.1f / %.1f",
                mean(samples, 0, 5, Sample::p50), mean(samples, end - 5, end + 1, Sample::p50)));
        figure.print("soak started/s: first 5 min / last 5 min", String.format(Locale.ROOT, "%.0f / %.0f",
                mean(samples, 0, 5, Sample::startedPerSecond),
                mean(samples, end - 5, end + 1, Sample::startedPerSecond)));
        double deadBefore = mean(samples, holdFrom - 5, holdFrom, s -> s.deadTuples());
        double p99Before = mean(samples, holdFrom - 5, holdFrom, Sample::p99);
        double deadPeak = samples.stream().filter(Sample::holding).mapToDouble(s -> s.deadTuples()).max()
                .orElse(Double.NaN);
        double p99Held = samples.stream().filter(Sample::holding).mapToDouble(Sample::p99).max()
                .orElse(Double.NaN);
        String deadBack = samples.stream().filter(s -> s.minute() >= holdTo && s.deadTuples() <= 1.2 * deadBefore
                + 1000).findFirst().map(s -> String.format(Locale.ROOT, "%.1f min after", s.minute() - holdTo))
                .orElse("not within the run");
        String p99Back = samples.stream().filter(s -> s.minute() >= holdTo && s.p99() <= 2 * p99Before).findFirst()
                .map(s -> String.format(Locale.ROOT, "%.1f min after", s.minute() - holdTo)).orElse("not within the run");
        figure.print("soak dead tuples: before hold / peak / back", String.format(Locale.ROOT, "%.0f / %.0f / %s", deadBefore,
                deadPeak, deadBack));
        figure.print("soak p99 (ms): before hold / worst held / back x2", String.format(Locale.ROOT, "%.1f / %.1f / %s",
                p99Before, p99Held, p99Back));
        figure.print("soak plot", plot + " (samples in soak.csv)");
    }
}
