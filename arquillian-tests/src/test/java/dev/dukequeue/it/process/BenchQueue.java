package dev.dukequeue.it.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The benchmark's queue {@code bench}: filling it through the REST API, timing its drain on the database clock and
 * checking that every job completed exactly once (the one correctness check every figure makes).
 */
final class BenchQueue {

    static final String NAME = "bench";
    static final int SUBMIT_BATCH = 1000;
    static final int SUBMITTERS = 4;
    /** The states of jobs not finished yet (each read through a partial index). */
    static final String ACTIVE = "('PENDING', 'SCHEDULED', 'RUNNING')";

    /** One drain: jobs per second (resume to last completion, database clock) and WAL bytes written per job. */
    record Drain(double jobsPerSecond, double walPerJob) {
    }

    /** One enqueue and drain of the queue, emptied before it. */
    interface Round {
        /** @return the enqueue's jobs per second */
        double enqueue() throws Exception;

        Drain drain() throws Exception;
    }

    /** What the counted rounds measured, one value per round: enqueue and drain jobs/s, WAL bytes per job. */
    record Rounds(List<Double> enqueue, List<Double> drain, List<Double> wal) {
    }

    private final BenchDatabase db;
    private final int jobs;

    BenchQueue(BenchDatabase db, int jobs) {
        this.db = db;
        this.jobs = jobs;
    }

    /** Runs {@code warmup} rounds that are not counted, then {@code runs} that are, each on an emptied table. */
    Rounds rounds(int warmup, int runs, Round round) throws Exception {
        Rounds counted = new Rounds(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (int run = 0; run < warmup + runs; run++) {
            db.execute("TRUNCATE dq_job CASCADE");
            double enqueued = round.enqueue();
            Drain d = round.drain();
            if (run >= warmup) {
                counted.enqueue().add(enqueued);
                counted.drain().add(d.jobsPerSecond());
                counted.wal().add(d.walPerJob());
            }
        }
        return counted;
    }

    /** Submits the jobs to the paused queue through {@code POST /jobs/batch}. @return jobs per second */
    double enqueue(ServerProcess node, String queue) throws Exception {
        assertThat(node.post("/queues/" + queue + "/pause", "").statusCode()).isEqualTo(200);
        String job = "{\"type\":\"demo.echo\",\"queue\":\"" + queue + "\",\"maxAttempts\":3,\"payload\":{}}";
        StringBuilder body = new StringBuilder("{\"jobs\":[");
        for (int i = 0; i < SUBMIT_BATCH; i++) {
            body.append(i == 0 ? "" : ",").append(job);
        }
        String batch = body.append("]}").toString();
        return fromClients(() -> {
            HttpResponse<String> r = node.post("/jobs/batch", batch);
            if (r.statusCode() != 201) {
                throw new IllegalStateException("batch refused: " + r.statusCode() + " " + r.body());
            }
        });
    }

    /** A batch of {@link #SUBMIT_BATCH} submissions. */
    interface Batch {
        void submit() throws Exception;
    }

    /** Sends {@code jobs / SUBMIT_BATCH} batches from {@link #SUBMITTERS} clients. @return jobs per second */
    double fromClients(Batch batch) throws Exception {
        int batches = jobs / SUBMIT_BATCH;
        AtomicInteger next = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(SUBMITTERS);
        long begin = System.nanoTime();
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int c = 0; c < SUBMITTERS; c++) {
                done.add(clients.submit(() -> {
                    while (next.getAndIncrement() < batches) {
                        batch.submit();
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
     * Times the drain of the filled queue: from {@code resume} (the database clock before it) to the last completion,
     * after a {@code CHECKPOINT} (every drain and ceiling run pays the same full-page writes); checks exactly once.
     */
    Drain drain(Batch resume) throws Exception {
        return drain(() -> { }, resume);
    }

    /** Like {@link #drain(Batch)}, running {@code ready} right before the clock starts. */
    Drain drain(Batch ready, Batch resume) throws Exception {
        db.execute("VACUUM ANALYZE dq_job");
        db.execute("CHECKPOINT");
        String walStart = db.walPosition();
        ready.submit();
        Instant resumed = db.instant("SELECT CURRENT_TIMESTAMP");
        resume.submit();
        await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(500)).until(this::drained);
        Instant last = db.instant("SELECT MAX(finished_at) FROM dq_job WHERE queue = '" + NAME + "'");
        Drain d = new Drain(jobs / (Duration.between(resumed, last).toNanos() / 1e9),
                db.walBytesSince(walStart) / (double) jobs);
        assertExactlyOnce();
        return d;
    }

    /**
     * @return true once no job of the queue waits or runs. Read from the partial indexes of active rows: counting
     *     the completed rows instead took 25 ms of the database's CPU per poll, taken from the drain it measures
     */
    boolean drained() throws SQLException {
        return db.count("SELECT COUNT(*) FROM (SELECT 1 FROM dq_job WHERE queue = '" + NAME + "' AND state IN "
                + ACTIVE + " LIMIT 1) a") == 0;
    }

    /** Every job of the queue COMPLETED, with one recorded success and its every run in its history. */
    void assertExactlyOnce() throws SQLException {
        String queue = NAME;
        assertThat(db.count("SELECT COUNT(*) FROM dq_job WHERE queue = '" + queue + "' AND state <> 'COMPLETED'"))
                .isZero();
        assertThat(db.count("SELECT COUNT(*) FROM dq_attempt_history a JOIN dq_job j ON j.id = a.job_id WHERE j.queue = '"
                + queue + "' AND a.outcome = 'SUCCEEDED'")).as("one recorded success per job").isEqualTo(db.count(
                "SELECT COUNT(*) FROM dq_job WHERE queue = '" + queue + "'"));
        assertThat(db.count("SELECT COUNT(*) FROM dq_job j WHERE j.queue = '" + queue + "' AND j.run_count <>"
                + " (SELECT COUNT(*) FROM dq_attempt_history h WHERE h.job_id = j.id)"))
                .as("jobs with a run missing from their history").isZero();
    }
}
