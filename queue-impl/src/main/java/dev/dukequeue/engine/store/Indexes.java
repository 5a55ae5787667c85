package dev.dukequeue.engine.store;

import dev.dukequeue.engine.database.SqlDialect;
import dev.dukequeue.engine.store.IndexReport.IndexSize;
import dev.dukequeue.engine.store.IndexReport.Rebuild;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The index upkeep (PostgreSQL): rebuilds, with {@code REINDEX INDEX CONCURRENTLY}, the indexes of DukeQueue's tables
 * that take more than {@code bloat} times what their live entries need, so that the space a burst or a long
 * transaction left in them (index files never shrink by themselves) comes back without stopping the queue. Only
 * {@link JdbcJobStore} calls it, on a connection outside any transaction (a concurrent rebuild cannot run inside one).
 *
 * <p>The estimate needs no extension: an index's live entries ({@code pg_class.reltuples}, kept by autovacuum and
 * analyze) times the size of one entry (the tuple header and the statistics' average width of its key columns,
 * aligned, plus its line pointer), packed as a fresh build packs them (90 % of each leaf page). Every rule that makes
 * a rebuild safe is here:
 * <ul>
 * <li>one run at a time in the whole cluster (a session advisory lock, released when the connection ends too);</li>
 * <li>the invalid {@code _ccnew}/{@code _ccold} indexes an interrupted rebuild left (a node killed, a timeout) are
 * dropped first: they cost every write and serve no read;</li>
 * <li>nothing is rebuilt while a transaction has held a snapshot for longer than {@code maxWait}: the rebuild would
 * wait for it and could only build the same dead entries back; the run says who holds it;</li>
 * <li>each rebuild waits at most {@code maxWait} for a lock or an older snapshot ({@code lock_timeout}) and runs at
 * most an hour; the session's limits are reset before the pooled connection is given back.</li>
 * </ul>
 */
final class Indexes {

    private static final int PAGE = 8192;
    /** A leaf page's room for entries when an index is built: fillfactor 90 less the page header and special space. */
    private static final double LEAF_ROOM = PAGE * 0.9 - 24 - 16;
    private static final long STATEMENT_TIMEOUT_MS = Duration.ofHours(1).toMillis();

    private Indexes() {
    }

    /** See {@link JdbcJobStore#rebuildBloatedIndexes}. */
    static IndexReport rebuild(Connection c, JobSql q, IndexPolicy policy, BooleanSupplier stop) throws SQLException {
        if (q.dialect != SqlDialect.POSTGRESQL) {
            return IndexReport.skipped("the index upkeep is PostgreSQL's only (" + q.dialect + " manages its own)");
        }
        if (one(c, IndexSql.SERVER_VERSION) < 120000) {
            return IndexReport.skipped("REINDEX CONCURRENTLY needs PostgreSQL 12 or later");
        }
        if (one(c, IndexSql.TRY_LOCK) == 0) {
            return IndexReport.skipped("another node's index upkeep is running");
        }
        try {
            return locked(c, policy, stop);
        } finally {
            try (Statement s = c.createStatement()) {
                s.execute(IndexSql.UNLOCK);
            }
        }
    }

    private static IndexReport locked(Connection c, IndexPolicy policy, BooleanSupplier stop) throws SQLException {
        String holder = holder(c, policy.maxWait());
        List<String> leftovers = new ArrayList<>();
        if (holder != null) {
            return new IndexReport("a transaction holds the xmin horizon: " + holder, leftovers, sizes(c), List.of());
        }
        try {
            limits(c, policy.maxWait());
            for (IndexSize leftover : read(c, IndexSql.LEFTOVERS)) {
                run(c, IndexSql.dropLeftover(leftover.name()));
                leftovers.add(leftover.name());
            }
            List<IndexSize> indexes = sizes(c);
            List<Rebuild> rebuilt = new ArrayList<>();
            for (IndexSize index : indexes) {
                if (stop.getAsBoolean()) {
                    break;
                }
                if (policy.dryRun() || !policy.isBloated(index)) {
                    continue;
                }
                long begin = System.nanoTime();
                try {
                    run(c, IndexSql.reindex(index.name()));
                } catch (SQLException e) {
                    // A failed concurrent rebuild leaves its new index invalid: drop it now, not at the next run.
                    for (IndexSize left : read(c, IndexSql.LEFTOVERS)) {
                        run(c, IndexSql.dropLeftover(left.name()));
                        leftovers.add(left.name());
                    }
                    throw e;
                }
                rebuilt.add(new Rebuild(index.name(), index.bytes(), size(c, index.name()),
                        (System.nanoTime() - begin) / 1_000_000));
            }
            return new IndexReport(null, leftovers, indexes, rebuilt);
        } finally {
            run(c, IndexSql.RESET_LIMITS);
        }
    }

    /** @return the oldest transaction holding a snapshot for longer than {@code maxWait}, described; or null */
    private static String holder(Connection c, Duration maxWait) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(IndexSql.HOLDER)) {
            double seconds = maxWait.toMillis() / 1000.0;
            ps.setDouble(1, seconds);
            ps.setDouble(2, seconds);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private static void limits(Connection c, Duration maxWait) throws SQLException {
        run(c, IndexSql.limits(maxWait.toMillis(), STATEMENT_TIMEOUT_MS));
    }

    private static List<IndexSize> sizes(Connection c) throws SQLException {
        return read(c, IndexSql.VALID_INDEXES);
    }

    private static List<IndexSize> read(Connection c, String sql) throws SQLException {
        List<IndexSize> found = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                double tuples = rs.getDouble(3);
                long width = rs.getLong(6);
                boolean known = tuples >= 0 && rs.getLong(7) == 0;
                found.add(new IndexSize(rs.getString(1), rs.getLong(2), known ? estimate(tuples, width) : -1));
            }
        }
        return found;
    }

    /**
     * @return the bytes a fresh build of {@code tuples} entries with keys {@code keyWidth} bytes wide takes: the
     *         entries (an 8-byte tuple header and the key, aligned to 8, and a 4-byte line pointer each) on leaf pages
     *         filled to 90 %, plus the meta page and the root
     */
    static long estimate(double tuples, long keyWidth) {
        long entry = ((8 + keyWidth + 7) / 8) * 8 + 4;
        long leaves = (long) Math.ceil(tuples * entry / LEAF_ROOM);
        return (Math.max(leaves, 1) + 1 + leaves / 200) * (long) PAGE;
    }

    private static long size(Connection c, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(IndexSql.SIZE)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    private static long one(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            Object v = rs.getObject(1);
            return v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).longValue();
        }
    }

    private static void run(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
