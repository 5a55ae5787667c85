package dev.dukequeue.engine.store;

import dev.dukequeue.engine.store.IndexReport.IndexSize;
import java.time.Duration;

/**
 * When the index upkeep rebuilds an index ({@link JdbcJobStore#rebuildBloatedIndexes}).
 *
 * @param bloat    rebuild an index taking more than this many times its estimate
 * @param minBytes and at least this many bytes (small indexes are left alone whatever their ratio)
 * @param maxWait  how long a rebuild waits for a lock or an older snapshot; a transaction that has held a snapshot
 *                 for longer skips the whole run
 * @param dryRun   report, rebuild nothing
 */
public record IndexPolicy(double bloat, long minBytes, Duration maxWait, boolean dryRun) {

    /** @return true if {@code index} is to be rebuilt: large enough, an estimate known, and over the ratio */
    public boolean isBloated(IndexSize index) {
        return index.estimatedBytes() > 0 && index.bytes() >= minBytes && index.bloat() > bloat;
    }

    /** @return this policy, reporting only */
    public IndexPolicy dry() {
        return new IndexPolicy(bloat, minBytes, maxWait, true);
    }
}
