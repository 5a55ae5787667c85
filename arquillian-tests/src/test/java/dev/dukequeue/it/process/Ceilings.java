package dev.dukequeue.it.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ceilings the drain is held against: plain JDBC loops that do what a DukeQueue node does to a job, without the
 * node, with its commit policy, measured as the drain is. Same policy: a claim leases up to
 * {@value #CLAIM_BATCH} rows in one auto-committed statement that does not wait for the WAL flush (as
 * {@code dukequeue.claim.batch} and {@code JobSql}'s claim), the claimed jobs go to {@value #WRITERS} completion
 * threads through a bounded queue (the node's completion writers, their backpressure), which complete up to
 * {@value #COMPLETION_BATCH} per commit, waiting for the flush (as {@code CompletionWriter}). Same measure: every
 * connection is open before the clock starts; the time is on the database clock, from the start to the last
 * {@code finished_at}; the run starts right after a {@code CHECKPOINT}, as the drain's.
 *
 * <p>Two tables:
 * <ul>
 * <li>{@link Table#NARROW}: a 5-column row with one partial index, leased by owner (the least a queue can do);</li>
 * <li>{@link Table#SAME_WORK}: {@code bench_wide}, made {@code LIKE dq_job} with its defaults, constraints and
 * indexes, holding the rows an enqueue writes, and the columns DukeQueue's claim and completion write (attempt,
 * counters, lease owner, token and expiry, times, version; the completion clears the lease and keeps the node in
 * {@code ran_on}), fenced by the lease token as DukeQueue's.</li>
 * </ul>
 * Each is run at 4, 8, 16 and 32 claiming threads; its figure is the best thread count's median.
 */
final class Ceilings {

    static final int CLAIM_BATCH = 32;
    static final int COMPLETION_BATCH = 256;
    static final int WRITERS = 2;
    static final int[] THREADS = {4, 8, 16, 32};

    /** The row a ceiling works on. */
    enum Table {
        NARROW("bench_narrow"), SAME_WORK("bench_wide");

        final String name;

        Table(String name) {
            this.name = name;
        }
    }

    /** One measured run. */
    record Run(double jobsPerSecond, double walPerJob) {
    }

    /** One claimed job on its way to a completion thread. */
    private record Claimed(String id, String fence) {
    }

    private static final Claimed END = new Claimed(null, null);

    private final BenchDatabase db;

    Ceilings(BenchDatabase db) {
        this.db = db;
    }

    /** Creates the table (again): empty, analysed. */
    void create(Table table) throws SQLException {
        db.execute("DROP TABLE IF EXISTS " + table.name);
        if (table == Table.NARROW) {
            db.execute("CREATE TABLE bench_narrow (id BIGSERIAL PRIMARY KEY, state VARCHAR(16) NOT NULL,"
                    + " payload TEXT NOT NULL, lease_owner VARCHAR(64), finished_at TIMESTAMPTZ)");
            db.execute("CREATE INDEX bench_narrow_due ON bench_narrow (id) WHERE state = 'SCHEDULED'");
        } else {
            db.execute("CREATE TABLE bench_wide (LIKE dq_job INCLUDING DEFAULTS INCLUDING CONSTRAINTS INCLUDING INDEXES)");
        }
    }

    void drop(Table table) throws SQLException {
        db.execute("DROP TABLE IF EXISTS " + table.name);
    }

    /** Empties the table and writes {@code jobs} due rows, as an enqueue of no-op jobs does. */
    void fill(Table table, int jobs) throws SQLException {
        db.execute("TRUNCATE " + table.name);
        if (table == Table.NARROW) {
            db.execute("INSERT INTO bench_narrow (state, payload) SELECT 'SCHEDULED', '{}' FROM generate_series(1, "
                    + jobs + ")");
        } else {
            db.execute("INSERT INTO bench_wide (id, type, queue, state, priority, max_attempts, timeout_ms, payload,"
                    + " created_at, run_at, updated_at) SELECT gen_random_uuid()::text, 'demo.echo', 'bench',"
                    + " 'SCHEDULED', 2, 3, 60000, '{}', now(), now(), now() FROM generate_series(1, " + jobs + ")");
        }
        db.execute("VACUUM ANALYZE " + table.name);
    }

    /** One run with {@code threads} claiming threads over {@code jobs} rows; checks each completed once. */
    Run run(Table table, int jobs, int threads) throws Exception {
        fill(table, jobs);
        db.execute("CHECKPOINT");
        String walStart = db.walPosition();
        BlockingQueue<Claimed> claimed = new ArrayBlockingQueue<>(Math.max(64, 4 * threads));
        AtomicLong completed = new AtomicLong();
        CountDownLatch connected = new CountDownLatch(threads + WRITERS);
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads + WRITERS);
        List<Future<?>> claimers = new ArrayList<>();
        List<Future<?>> writers = new ArrayList<>();
        Instant start;
        try {
            for (int t = 0; t < threads; t++) {
                String owner = "ceiling#" + t;
                claimers.add(pool.submit(() -> claim(table, owner, claimed, connected, go)));
            }
            for (int w = 0; w < WRITERS; w++) {
                writers.add(pool.submit(() -> complete(table, claimed, completed, connected, go)));
            }
            assertThat(connected.await(60, TimeUnit.SECONDS)).as("ceiling threads connected").isTrue();
            start = db.now();
            go.countDown();
            for (Future<?> f : claimers) {
                f.get();
            }
            for (int w = 0; w < WRITERS; w++) {
                claimed.put(END);
            }
            for (Future<?> f : writers) {
                f.get();
            }
        } finally {
            go.countDown();
            pool.shutdownNow();
        }
        assertThat(completed.get()).as("jobs completed by the ceiling").isEqualTo(jobs);
        assertThat(db.count("SELECT COUNT(*) FROM " + table.name + " WHERE state = 'COMPLETED'")).isEqualTo(jobs);
        Instant last = db.instant("SELECT MAX(finished_at) FROM " + table.name);
        return new Run(jobs / (Duration.between(start, last).toNanos() / 1e9),
                db.walBytesSince(walStart) / (double) jobs);
    }

    private Void claim(Table table, String owner, BlockingQueue<Claimed> claimed, CountDownLatch connected,
            CountDownLatch go) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(claimSql(table))) {
            c.setAutoCommit(true); // one statement, its own transaction, as DukeQueue's claim
            connected.countDown();
            go.await();
            while (true) {
                String token = UUID.randomUUID().toString();
                ps.setString(1, owner);
                if (table == Table.SAME_WORK) {
                    ps.setString(2, token);
                }
                List<Claimed> batch = new ArrayList<>(CLAIM_BATCH);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        batch.add(new Claimed(rs.getString(1), table == Table.SAME_WORK ? token : owner));
                    }
                }
                if (batch.isEmpty()) {
                    return null; // every row was inserted before the start: nothing due means all claimed
                }
                for (Claimed job : batch) {
                    claimed.put(job); // full: the claimer waits, as a node's workers wait for its writers
                }
            }
        }
    }

    private Void complete(Table table, BlockingQueue<Claimed> claimed, AtomicLong completed, CountDownLatch connected,
            CountDownLatch go) throws Exception {
        try (Connection c = db.connect(); PreparedStatement ps = c.prepareStatement(completeSql(table))) {
            c.setAutoCommit(false);
            connected.countDown();
            go.await();
            List<Claimed> batch = new ArrayList<>(COMPLETION_BATCH);
            while (true) {
                batch.clear();
                batch.add(claimed.take());
                claimed.drainTo(batch, COMPLETION_BATCH - 1);
                boolean end = batch.remove(END);
                while (batch.remove(END)) {
                    claimed.put(END); // another writer's
                }
                if (!batch.isEmpty()) {
                    String type = table == Table.NARROW ? "bigint" : "varchar";
                    ps.setArray(1, c.createArrayOf(type, batch.stream().map(j -> table == Table.NARROW
                            ? (Object) Long.valueOf(j.id()) : j.id()).toArray()));
                    ps.setArray(2, c.createArrayOf("varchar", batch.stream().map(Claimed::fence).toArray()));
                    completed.addAndGet(ps.executeUpdate());
                    c.commit(); // waits for the flush, as every outcome's commit
                }
                if (end) {
                    return null;
                }
            }
        }
    }

    private static String claimSql(Table table) {
        String relaxed = ", (SELECT set_config('synchronous_commit', 'off', true) AS relaxed) commit_setting";
        if (table == Table.NARROW) {
            return "UPDATE bench_narrow j SET state = 'RUNNING', lease_owner = ? FROM (SELECT id FROM bench_narrow"
                    + " WHERE state = 'SCHEDULED' ORDER BY id LIMIT " + CLAIM_BATCH + " FOR UPDATE SKIP LOCKED) due"
                    + relaxed + " WHERE j.id = due.id RETURNING j.id";
        }
        return "UPDATE bench_wide j SET state = 'RUNNING', attempt = j.attempt + 1, run_count = j.run_count + 1,"
                + " started_at = now(), updated_at = now(), lease_owner = ?, lease_token = ?,"
                + " lease_expires_at = now() + interval '30 seconds', version = j.version + 1"
                + " FROM (SELECT id FROM bench_wide WHERE state = 'SCHEDULED' AND run_at <= now()"
                + " ORDER BY priority, seq LIMIT " + CLAIM_BATCH + " FOR UPDATE SKIP LOCKED) due" + relaxed
                + " WHERE j.id = due.id RETURNING j.id, j.type, j.queue, j.priority, j.seq, j.attempt, j.max_attempts,"
                + " j.run_count, j.timeout_ms, j.payload, j.checkpoint_data, j.run_at, now()";
    }

    private static String completeSql(Table table) {
        if (table == Table.NARROW) {
            return "UPDATE bench_narrow j SET state = 'COMPLETED', finished_at = now()"
                    + " FROM unnest(CAST(? AS BIGINT[]), CAST(? AS VARCHAR[])) AS v(id, owner)"
                    + " WHERE j.id = v.id AND j.state = 'RUNNING' AND j.lease_owner = v.owner";
        }
        return "UPDATE bench_wide j SET state = 'COMPLETED', result = NULL, finished_at = now(), updated_at = now(),"
                + " ran_on = j.lease_owner, lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL,"
                + " version = j.version + 1 FROM unnest(CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[])) AS v(id, token)"
                + " WHERE j.id = v.id AND j.state = 'RUNNING' AND j.lease_token = v.token";
    }
}
