package dev.dukequeue.engine.submit;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Backpressure's estimate of a queue's waiting jobs between two counts, so that a submission far from its queue's limit
 * does not count the queue: the last count this node read, plus the jobs this node accepted since, for at most
 * {@link #FRESH_NANOS}.
 *
 * <p>Why: the count ({@code SELECT COUNT(*) ... WHERE queue = ? AND state IN ('SCHEDULED', 'PENDING')}) reads every
 * index entry of the queue's waiting jobs, and while a transaction holds the xmin horizon also every entry of the jobs
 * that waited there since, which nothing can remove yet: measured in the soak on stock PostgreSQL 15, it took 70 ms
 * and 7,345 buffers per submission three minutes into a held xmin, most of the database's two cores, and the drain fell
 * from 1,500 to about 800 jobs/s. Counted at most once a second per queue and node, it costs nothing that grows.
 *
 * <p>Exact where it matters: a submission counts whenever the estimate, with its jobs, is past half the limit (or past
 * the warning share if lower), or less than {@link #MIN_HEADROOM} below the limit, or older than a second. So small
 * limits are always counted, and a limit can only be passed by what other nodes accept within one second while this
 * node's estimate is more than half the limit and 10,000 jobs below it. The estimate never subtracts: jobs claimed or
 * cancelled since the count, or submissions rolled back, only make it higher, never refuse anything (a refusal is
 * always decided by a count). Thread-safe.
 */
final class WaitingEstimate {

    static final long FRESH_NANOS = 1_000_000_000L;
    static final long MIN_HEADROOM = 10_000;

    private record Count(long waiting, long at) {
    }

    private final Map<String, Count> counts = new ConcurrentHashMap<>();
    private final LongSupplier nanos;

    WaitingEstimate() {
        this(System::nanoTime);
    }

    /** @param nanos the clock (tests) */
    WaitingEstimate(LongSupplier nanos) {
        this.nanos = nanos;
    }

    /**
     * @return true if {@code incoming} more jobs keep the queue's estimate at most {@code skipUpTo} and at least
     *         {@link #MIN_HEADROOM} below {@code limit}; they are then added to it
     */
    boolean farBelow(String queue, long incoming, long skipUpTo, long limit) {
        long now = nanos.getAsLong();
        boolean[] far = new boolean[1];
        counts.computeIfPresent(queue, (q, c) -> {
            long after = c.waiting() + incoming;
            if (now - c.at() < FRESH_NANOS && after <= skipUpTo && limit - after >= MIN_HEADROOM) {
                far[0] = true;
                return new Count(after, c.at());
            }
            return c;
        });
        return far[0];
    }

    /** A submission counted {@code waiting} jobs and adds {@code incoming} (refused or not: an overestimate is safe). */
    void counted(String queue, long waiting, long incoming) {
        counts.put(queue, new Count(waiting + incoming, nanos.getAsLong()));
    }
}
