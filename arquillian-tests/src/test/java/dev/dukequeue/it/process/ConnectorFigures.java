package dev.dukequeue.it.process;

import static dev.dukequeue.it.process.BenchDatabase.median;
import static dev.dukequeue.it.process.BenchDatabase.runs;

import dev.dukequeue.it.connector.ConnectorBenchmarkNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The drain through the resource adapter: {@code dukequeue.rar} on Payara Micro with a no-op message-driven bean
 * ({@code JobListener} returning null, container transaction, {@code maxConcurrency} = the workers, the node's
 * {@code dukequeue.workers} too) on the same database, the same number of jobs submitted through the adapter's
 * connection factory into a paused queue, resumed, timed like the jar's drain. Each delivery commits its job's
 * completion in the bean's transaction (one commit per job); the jar's CDI handler's outcomes are group-committed.
 */
final class ConnectorFigures {

    private final BenchDatabase db;
    private final BenchQueue queue;
    private final BenchFigure figure;
    private final int workers;
    private final int runs;
    private final int warmup;

    ConnectorFigures(BenchDatabase db, BenchQueue queue, BenchFigure figure, int workers, int runs, int warmup) {
        this.db = db;
        this.queue = queue;
        this.figure = figure;
        this.workers = workers;
        this.runs = runs;
        this.warmup = warmup;
    }

    /** @param cdi the jar's drain in this run (0 if it did not run) */
    void report(Path dir, String url, double cdi) throws Exception {
        try (ConnectorBenchmarkNode node = ConnectorBenchmarkNode.start(dir, url, "bench-rar", workers)) {
            long starting = System.nanoTime();
            node.awaitReady(Duration.ofSeconds(180));
            figure.print("MDB node (dukequeue.rar on Payara Micro)", String.format(Locale.ROOT, "Payara Micro,"
                    + " dukequeue.rar, no-op MDB with maxConcurrency %d, %d workers, pool of %d; ready in %.1f s",
                    workers, workers, ConnectorBenchmarkNode.maxPoolSize(workers), (System.nanoTime() - starting) / 1e9));
            BenchQueue.Rounds r = queue.rounds(warmup, runs, new BenchQueue.Round() {
                @Override
                public double enqueue() throws Exception {
                    node.pause(BenchQueue.NAME);
                    return queue.fromClients(() -> node.submit(BenchQueue.NAME, BenchQueue.SUBMIT_BATCH));
                }

                @Override
                public BenchQueue.Drain drain() throws Exception {
                    return queue.drain(() -> node.resume(BenchQueue.NAME));
                }
            });
            List<Double> enqueue = r.enqueue();
            List<Double> drain = r.drain();
            List<Double> wal = r.wal();
            figure.print("enqueue via connection factory jobs/s", String.format(Locale.ROOT, "%.0f  runs %s",
                    median(enqueue), runs(enqueue)));
            figure.print("drain MDB: WAL written per job, bytes", String.format(Locale.ROOT, "%.0f  runs %s",
                    median(wal), runs(wal)));
            double mdb = median(drain);
            figure.print("drain MDB jobs/s", String.format(Locale.ROOT, "%.0f  runs %s", mdb, runs(drain)));
            if (cdi > 0) {
                figure.print("drain MDB / CDI", String.format(Locale.ROOT, "%.0f %%  (%.0f / %.0f jobs/s, same run)",
                        100 * mdb / cdi, mdb, cdi));
            }
        }
        db.execute("TRUNCATE dq_job CASCADE");
    }
}
