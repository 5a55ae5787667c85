package dev.dukequeue.it.process;

import static dev.dukequeue.it.process.BenchDatabase.median;
import static dev.dukequeue.it.process.BenchDatabase.runs;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The benchmark's ceiling figures, in the drain's run and on its database: both {@link Ceilings} at each thread count
 * (medians of the runs after the warm-up), each one's best, the drain's ratio to each, and the enqueue's ratio to a
 * plain batched {@code INSERT} of the same rows into a table like {@code dq_job}.
 */
final class CeilingFigures {

    private static final int INSERT_BATCH = 1000;
    private static final int INSERT_CLIENTS = 4;

    private final BenchDatabase db;
    private final BenchFigure figure;
    private final int jobs;
    private final int runs;
    private final int warmup;

    CeilingFigures(BenchDatabase db, BenchFigure figure, int jobs, int runs, int warmup) {
        this.db = db;
        this.figure = figure;
        this.jobs = jobs;
        this.runs = runs;
        this.warmup = warmup;
    }

    /**
     * @param drain   the drain's median in this run (jobs/s), 0 if it did not run
     * @param enqueue the enqueue's median in this run (jobs/s), 0 if it did not run
     */
    void report(double drain, double enqueue) throws Exception {
        Ceilings ceilings = new Ceilings(db);
        double narrow = best(ceilings, Ceilings.Table.NARROW, "narrow");
        double same = best(ceilings, Ceilings.Table.SAME_WORK, "same-work");
        if (drain > 0) {
            figure.print("drain / same-work ceiling", String.format(Locale.ROOT, "%.0f %%  (%.0f / %.0f jobs/s)",
                    100 * drain / same, drain, same));
            figure.print("drain / narrow ceiling", String.format(Locale.ROOT, "%.0f %%  (%.0f / %.0f jobs/s)",
                    100 * drain / narrow, drain, narrow));
        }
        double insert = plainInsert(ceilings);
        if (enqueue > 0) {
            figure.print("enqueue / plain batched INSERT", String.format(Locale.ROOT, "%.0f %%  (%.0f / %.0f jobs/s)",
                    100 * enqueue / insert, enqueue, insert));
        }
    }

    /** @return the best thread count's median rate */
    private double best(Ceilings ceilings, Ceilings.Table table, String label) throws Exception {
        ceilings.create(table);
        double best = 0;
        int bestThreads = 0;
        try {
            for (int threads : Ceilings.THREADS) {
                List<Double> rates = new ArrayList<>();
                List<Double> wal = new ArrayList<>();
                for (int run = 0; run < warmup + runs; run++) {
                    Ceilings.Run r = ceilings.run(table, jobs, threads);
                    if (run >= warmup) {
                        rates.add(r.jobsPerSecond());
                        wal.add(r.walPerJob());
                    }
                }
                double rate = median(rates);
                figure.print(String.format(Locale.ROOT, "ceiling %s, %2d threads jobs/s", label, threads),
                        String.format(Locale.ROOT, "%.0f  runs %s  WAL/job %.0f B", rate, runs(rates), median(wal)));
                if (rate > best) {
                    best = rate;
                    bestThreads = threads;
                }
            }
        } finally {
            ceilings.drop(table);
        }
        figure.print("ceiling " + label + " (best) jobs/s", String.format(Locale.ROOT, "%.0f  at %d threads", best,
                bestThreads));
        return best;
    }

    /**
     * The enqueue's ceiling: {@code jobs} rows as an enqueue writes them into a table made like {@code dq_job}, by
     * {@value #INSERT_CLIENTS} clients in JDBC batches of {@value #INSERT_BATCH} rows sent as multi-row INSERTs
     * ({@code reWriteBatchedInserts}, as DukeQueue's data source sends its own), one commit per batch (as the
     * enqueue's clients send {@code POST /jobs/batch} of 1000), timed on the database clock, connections open first.
     *
     * @return median jobs/s
     */
    private double plainInsert(Ceilings ceilings) throws Exception {
        ceilings.create(Ceilings.Table.SAME_WORK);
        List<Double> rates = new ArrayList<>();
        try {
            for (int run = 0; run < warmup + runs; run++) {
                db.execute("TRUNCATE bench_wide");
                db.execute("CHECKPOINT");
                double rate = insertOnce();
                if (run >= warmup) {
                    rates.add(rate);
                }
            }
        } finally {
            ceilings.drop(Ceilings.Table.SAME_WORK);
        }
        double rate = median(rates);
        figure.print("plain batched INSERT jobs/s", String.format(Locale.ROOT, "%.0f  runs %s  (%d clients, %d rows"
                + " per batch and commit)", rate, runs(rates), INSERT_CLIENTS, INSERT_BATCH));
        return rate;
    }

    private double insertOnce() throws Exception {
        int batches = jobs / INSERT_BATCH;
        AtomicInteger next = new AtomicInteger();
        CountDownLatch connected = new CountDownLatch(INSERT_CLIENTS);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(INSERT_CLIENTS);
        Instant start;
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < INSERT_CLIENTS; i++) {
                done.add(clients.submit(() -> {
                    try (Connection c = db.connectRewritingBatches(); PreparedStatement ps = c.prepareStatement(
                            "INSERT INTO bench_wide"
                            + " (id, type, queue, state, priority, max_attempts, timeout_ms, payload, created_at, run_at,"
                            + " updated_at) VALUES (?, 'demo.echo', 'bench', 'SCHEDULED', 2, 3, 60000, '{}', ?, ?, ?)")) {
                        c.setAutoCommit(false);
                        connected.countDown();
                        go.await();
                        while (next.getAndIncrement() < batches) {
                            Timestamp now = Timestamp.from(Instant.now());
                            for (int r = 0; r < INSERT_BATCH; r++) {
                                ps.setString(1, UUID.randomUUID().toString());
                                ps.setTimestamp(2, now);
                                ps.setTimestamp(3, now);
                                ps.setTimestamp(4, now);
                                ps.addBatch();
                            }
                            ps.executeBatch();
                            c.commit();
                        }
                    }
                    return null;
                }));
            }
            if (!connected.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("insert clients did not connect");
            }
            start = db.now();
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            go.countDown();
            clients.shutdownNow();
        }
        Instant end = db.now();
        long rows = db.count("SELECT COUNT(*) FROM bench_wide");
        if (rows != (long) batches * INSERT_BATCH) {
            throw new IllegalStateException("inserted " + rows + " rows, expected " + batches * INSERT_BATCH);
        }
        return rows / (java.time.Duration.between(start, end).toNanos() / 1e9);
    }
}
