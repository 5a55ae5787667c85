package dev.dukequeue.engine.store;

import dev.dukequeue.engine.job.ClaimedJob;
import java.time.Duration;
import java.util.List;

/**
 * Where one claim loop's claims start reading the claim index ({@code dq_job_claim_ix}: priority, then seq, of the
 * SCHEDULED rows), so that a claim does not walk the index entries of jobs claimed before it.
 *
 * <p>Why: a claim moves its rows out of the index's predicate, but their old index entries stay until VACUUM removes
 * the old row versions, and a first scan marks them dead only once no transaction can still see those versions. While
 * one transaction holds the xmin horizon (a forgotten session, a long report), nothing is marked or removed, and a
 * claim that reads from the start of the index visits every job claimed since that transaction began: measured on
 * PostgreSQL 15 with 300,000 such entries, 23 ms and 6,104 buffers per claim, against 0.17 ms and 37 buffers from the
 * floor. In the soak test, a held xmin cut the drain from 1,490 to about 150 jobs/s.
 *
 * <p>The floor is the key of the first job the loop's last claim took, less {@link #MARGIN} in seq (for submissions
 * that committed after a later one: sequence values are taken at insert, not at commit). Rows under it were not
 * claimable when that claim read them (claimed, locked, not due, another node's type); rows that become claimable
 * under it later (a retry or a delay coming due, a release, a re-drive, a dependency met, a job more urgent than the
 * floor's priority) are found by the next claim from the start of the index, which a loop makes:
 * <ul>
 * <li>before it has a floor, and at least once per {@code fullEvery} (the poll interval): the bound on how late such
 * rows can be claimed while the node is busy (an idle node's turns are that far apart anyway);</li>
 * <li>at once after {@link #submitted(int)} with a priority more urgent than the floor's (this node's submissions,
 * and other nodes' through the PostgreSQL notification), and after {@link #reset()} (operator actions).</li>
 * </ul>
 *
 * <p>Used by PostgreSQL's one-statement claim only (MariaDB and H2 claim without it; a claim under queue limits reads
 * from the start). One claim loop thread calls {@link #next} and {@link #claimed}; {@link #submitted} and
 * {@link #reset} are safe from any thread.
 */
public final class ClaimFloor {

    /** Seq values under the first claimed job that a claim from the floor still reads. */
    static final long MARGIN = 1_000;

    /** The key a claim reads the index from (inclusive). */
    record Key(int priority, long seq) {
    }

    private final long fullEveryNanos;
    private volatile boolean fromStartNext = true;
    private volatile int floorPriority = -1; // none yet: every priority is "more urgent"
    private Key floor;
    private long lastFromStart;

    /** @param fullEvery the longest time between two claims from the start of the index */
    public ClaimFloor(Duration fullEvery) {
        this.fullEveryNanos = fullEvery.toNanos();
    }

    /** A floor that is never used: every claim reads from the start (transacted claims, tests). */
    static ClaimFloor none() {
        return new ClaimFloor(Duration.ZERO);
    }

    /** Jobs of this priority were submitted (committed): a claim from the start comes next if it is more urgent. */
    public void submitted(int priority) {
        if (priority < floorPriority) {
            fromStartNext = true;
        }
    }

    /** Jobs became claimable under the floor (a re-drive, a retry by hand, a queue resumed): read from the start. */
    public void reset() {
        fromStartNext = true;
    }

    /** @return where the next claim starts, or null for the start of the index */
    Key next(long nowNanos) {
        if (floor == null || fromStartNext || nowNanos - lastFromStart >= fullEveryNanos) {
            fromStartNext = false; // before the claim: a submission during it asks for the next one again
            return null;
        }
        return floor;
    }

    /** Records a claim's result: its first job (by priority, then seq) is the new floor; none leaves it. */
    void claimed(List<ClaimedJob> jobs, Key from, long nowNanos) {
        if (from == null) {
            lastFromStart = nowNanos;
        }
        ClaimedJob first = null;
        for (ClaimedJob job : jobs) {
            if (first == null || job.priority() < first.priority()
                    || job.priority() == first.priority() && job.seq() < first.seq()) {
                first = job;
            }
        }
        if (first != null) {
            floor = new Key(first.priority(), Math.max(0, first.seq() - MARGIN));
            floorPriority = first.priority();
        }
    }
}
