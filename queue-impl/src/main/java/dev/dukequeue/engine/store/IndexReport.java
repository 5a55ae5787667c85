package dev.dukequeue.engine.store;

import java.util.List;

/**
 * What one index upkeep run found and did ({@link JdbcJobStore#rebuildBloatedIndexes}).
 *
 * @param skipped  why nothing was rebuilt (another node's run, a transaction holding the xmin horizon, a database
 *                 without {@code REINDEX CONCURRENTLY}), or null if the run looked at the indexes
 * @param leftovers invalid indexes an interrupted rebuild had left, dropped by this run
 * @param indexes  every index of DukeQueue's tables with its size and estimate, largest first (empty when skipped)
 * @param rebuilt  the indexes rebuilt, with their sizes before and after
 */
public record IndexReport(String skipped, List<String> leftovers, List<IndexSize> indexes, List<Rebuild> rebuilt) {

    /**
     * One index as the catalog describes it.
     *
     * @param name           schema-qualified, quoted as needed
     * @param bytes          its file's size
     * @param estimatedBytes what its live entries would take when freshly built, or -1 without statistics yet
     */
    public record IndexSize(String name, long bytes, long estimatedBytes) {

        /** @return how many times the estimate the index takes; 0 without an estimate */
        public double bloat() {
            return estimatedBytes > 0 ? (double) bytes / estimatedBytes : 0;
        }
    }

    /** One rebuilt index. */
    public record Rebuild(String name, long bytesBefore, long bytesAfter, long millis) {
    }

    static IndexReport skipped(String why) {
        return new IndexReport(why, List.of(), List.of(), List.of());
    }
}
