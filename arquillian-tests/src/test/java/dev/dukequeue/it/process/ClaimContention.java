package dev.dukequeue.it.process;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;

/**
 * How much the nodes of one database get in each other's way during a drain (issue 18's contention figure): the
 * nodes' own claim counters ({@code dukequeue_claims_total} by result: full, short, empty), read before and after, and
 * the database's view, sampled every 100 ms from {@code pg_stat_activity}: backends waiting on a lock (claims skip
 * locked rows, so these are other waits: the queue rows, the sequence, relation extension) and backends active.
 *
 * <p>A short claim got fewer jobs than its node asked for while the queue was deep: the rows it would have taken were
 * locked by another node's claim and skipped. Their share, with jobs per claim, is what grows when nodes contend.
 */
final class ClaimContention implements AutoCloseable {

    private static final String SAMPLE = "SELECT COUNT(*) FILTER (WHERE wait_event_type = 'Lock'),"
            + " COUNT(*) FILTER (WHERE state = 'active') FROM pg_stat_activity"
            + " WHERE datname = current_database() AND pid <> pg_backend_pid()";

    private final List<ServerProcess> nodes;
    private final double[] before;
    private final Thread sampler;
    private volatile boolean sampling = true;
    private long samples;
    private long lockWaiting;
    private long maxLockWaiting;
    private long active;

    private ClaimContention(BenchDatabase database, List<ServerProcess> nodes) {
        this.nodes = nodes;
        this.before = claims();
        this.sampler = new Thread(() -> sample(database), "bench-contention");
        sampler.setDaemon(true);
        sampler.start();
    }

    /** Starts counting: call right before the nodes start draining. */
    static ClaimContention during(BenchDatabase database, List<ServerProcess> nodes) {
        return new ClaimContention(database, nodes);
    }

    private void sample(BenchDatabase database) {
        try (Connection c = database.connect(); Statement s = c.createStatement()) {
            while (sampling) {
                try (ResultSet rs = s.executeQuery(SAMPLE)) {
                    rs.next();
                    long waiting = rs.getLong(1);
                    synchronized (this) {
                        samples++;
                        lockWaiting += waiting;
                        maxLockWaiting = Math.max(maxLockWaiting, waiting);
                        active += rs.getLong(2);
                    }
                }
                Thread.sleep(100); // a sampling period, not a wait for a condition
            }
        } catch (SQLException e) {
            throw new IllegalStateException("sampling pg_stat_activity: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** @return full, short and empty claims of all nodes so far */
    private double[] claims() {
        double[] sum = new double[3];
        for (ServerProcess n : nodes) {
            sum[0] += n.metric("dukequeue_claims_total", "result=\"full\"");
            sum[1] += n.metric("dukequeue_claims_total", "result=\"short\"");
            sum[2] += n.metric("dukequeue_claims_total", "result=\"empty\"");
        }
        return sum;
    }

    /** @return the figure's text for the drain of {@code jobs} jobs that just ended */
    String figure(long jobs) {
        close();
        double[] after = claims();
        double full = after[0] - before[0];
        double shortOnes = after[1] - before[1];
        double empty = after[2] - before[2];
        double taking = full + shortOnes;
        synchronized (this) {
            return String.format(Locale.ROOT, "%.0f claims that took jobs, %.1f jobs each; short %.1f %%, empty %.0f;"
                    + " lock waits mean %.2f max %d backends, %.1f active", taking, taking == 0 ? 0 : jobs / taking,
                    taking == 0 ? 0 : 100 * shortOnes / taking, empty, samples == 0 ? 0 : lockWaiting / (double) samples,
                    maxLockWaiting, samples == 0 ? 0 : active / (double) samples);
        }
    }

    @Override
    public void close() {
        sampling = false;
        try {
            sampler.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
