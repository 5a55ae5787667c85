package dev.dukequeue.engine.store;

import dev.dukequeue.engine.database.StoreException;
import dev.dukequeue.engine.database.SqlDialect;
import dev.dukequeue.engine.database.TransactionBoundary;
import dev.dukequeue.engine.database.TransactionBoundary.Attribute;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * The cluster tables ({@code dq_node}, {@code dq_stat}): node heartbeats and activity over time, written by each node
 * for its own rows only and read by the admin UI. Every method runs in a transaction of its own (in the container) and
 * uses the database clock, so nodes with skewed clocks still line up. Its statements are in {@link ClusterSql}.
 *
 * <p>Thread-safe: it holds no state but its data source and lazily detected dialect.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class ClusterStore {

    @Resource(lookup = "java:app/jdbc/dukequeue")
    private DataSource dataSource;

    private volatile ClusterSql sql;
    /** The container demarcates by the attributes; a hand-built host's boundary does it from the same attribute. */
    private TransactionBoundary transactions = TransactionBoundary.CONTAINER;

    /** For the container. */
    public ClusterStore() {
    }

    /** For use outside a container, on a data source whose connections the caller puts in a transaction. */
    public ClusterStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** For a host without an EJB container: each method's transaction is demarcated by {@code transactions}. */
    public ClusterStore(DataSource dataSource, TransactionBoundary transactions) {
        this.dataSource = dataSource;
        this.transactions = transactions;
    }

    /**
     * Records this node's heartbeat: its row's phase, workers and heartbeat time, created at the first beat.
     *
     * @param owner the node's lease owner ({@code name#incarnation})
     */
    public void heartbeat(String owner, String name, String phase, int workers) {
        transactions.run(Attribute.REQUIRES_NEW, () -> {
            try (Connection c = dataSource.getConnection()) {
                ClusterSql q = sql(c);
                try (PreparedStatement ps = c.prepareStatement(q.touchNode)) {
                    ps.setString(1, phase);
                    ps.setInt(2, workers);
                    ps.setString(3, owner);
                    if (ps.executeUpdate() == 1) {
                        return null;
                    }
                }
                // Only this node writes its row: no other inserter to race with.
                try (PreparedStatement ps = c.prepareStatement(q.insertNode)) {
                    ps.setString(1, owner);
                    ps.setString(2, name);
                    ps.setString(3, phase);
                    ps.setInt(4, workers);
                    ps.executeUpdate();
                }
            } catch (SQLException | java.lang.reflect.UndeclaredThrowableException e) {
                throw new StoreException("heartbeat of node " + owner, e);
            }
            return null;
        });
    }

    /** @return every node with a row, with the jobs it holds a lease on, and the database time they were read at */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Nodes nodes() {
        return transactions.run(Attribute.SUPPORTS, () -> {
            try (Connection c = dataSource.getConnection()) {
                ClusterSql q = sql(c);
                Instant now = now(c, q);
                Map<String, Long> running = new HashMap<>();
                try (PreparedStatement ps = c.prepareStatement(q.runningByOwner); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        running.put(rs.getString(1), rs.getLong(2));
                    }
                }
                List<NodeRecord> nodes = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(q.selectNodes); ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String owner = rs.getString(1);
                        nodes.add(new NodeRecord(owner, rs.getString(2), rs.getString(3), rs.getInt(4),
                                rs.getTimestamp(5).toInstant(), rs.getTimestamp(6).toInstant(),
                                running.getOrDefault(owner, 0L)));
                    }
                }
                return new Nodes(now, nodes);
            } catch (SQLException | java.lang.reflect.UndeclaredThrowableException e) {
                throw new StoreException("reading the nodes", e);
            }
        });
    }

    /**
     * The smallest name among the nodes that are alive (not stopped, heartbeat younger than {@code aliveMs} on the
     * database clock): the node that exports the cluster-wide queue depth gauges. One index-free scan of the small
     * {@code dq_node} table per rescuer interval.
     *
     * @return that name, or null if no node is alive
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public String smallestAliveName(long aliveMs) {
        return transactions.run(Attribute.SUPPORTS, () -> {
            try (Connection c = dataSource.getConnection();
                 PreparedStatement ps = c.prepareStatement(sql(c).smallestAliveName)) {
                ps.setLong(1, -aliveMs);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            } catch (SQLException | java.lang.reflect.UndeclaredThrowableException e) {
                throw new StoreException("reading the alive nodes", e);
            }
        });
    }

    /** The node rows and the database time they were read at (to tell how old each heartbeat is). */
    public record Nodes(Instant now, List<NodeRecord> nodes) {
    }

    /**
     * Writes one activity row per queue for this node, all with the same database time.
     *
     * @param rows the rows to write; their {@code sampledAt} is ignored
     */
    public void writeStats(String owner, List<StatRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        transactions.run(Attribute.REQUIRES_NEW, () -> {
            try (Connection c = dataSource.getConnection()) {
                ClusterSql q = sql(c);
                Timestamp at = Timestamp.from(now(c, q));
                try (PreparedStatement ps = c.prepareStatement(q.insertStat)) {
                    for (StatRow r : rows) {
                        ps.setString(1, owner);
                        ps.setTimestamp(2, at);
                        ps.setString(3, r.queue());
                        ps.setLong(4, r.submitted());
                        ps.setLong(5, r.completed());
                        ps.setLong(6, r.failed());
                        ps.setLong(7, r.deadLettered());
                        ps.setLong(8, r.waiting());
                        ps.setLong(9, r.running());
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            } catch (SQLException | java.lang.reflect.UndeclaredThrowableException e) {
                throw new StoreException("writing activity of node " + owner, e);
            }
            return null;
        });
    }

    /**
     * @param windowMs how far back from the database's now
     * @return the activity rows of every node in the window, oldest first, and the database time they were read at
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Stats stats(long windowMs) {
        return transactions.run(Attribute.SUPPORTS, () -> {
            try (Connection c = dataSource.getConnection()) {
                ClusterSql q = sql(c);
                Instant now = now(c, q);
                List<StatRow> rows = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement(q.selectStatsSince)) {
                    ps.setTimestamp(1, Timestamp.from(now.minusMillis(windowMs)));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            rows.add(new StatRow(rs.getString(1), rs.getTimestamp(2).toInstant(), rs.getString(3),
                                    rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9)));
                        }
                    }
                }
                return new Stats(now, rows);
            } catch (SQLException | java.lang.reflect.UndeclaredThrowableException e) {
                throw new StoreException("reading activity", e);
            }
        });
    }

    /** Activity rows and the database time they were read at. */
    public record Stats(Instant now, List<StatRow> rows) {
    }

    /**
     * Deletes activity rows older than {@code statsAgeMs} and the rows of nodes silent for longer than
     * {@code nodeAgeMs}.
     *
     * @return how many rows were deleted
     */
    public int forget(long statsAgeMs, long nodeAgeMs) {
        return transactions.run(Attribute.REQUIRES_NEW, () -> {
            try (Connection c = dataSource.getConnection()) {
                ClusterSql q = sql(c);
                int n;
                try (PreparedStatement ps = c.prepareStatement(q.deleteOldStats)) {
                    ps.setLong(1, -statsAgeMs);
                    n = ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement(q.deleteOldNodes)) {
                    ps.setLong(1, -nodeAgeMs);
                    n += ps.executeUpdate();
                }
                return n;
            } catch (SQLException | java.lang.reflect.UndeclaredThrowableException e) {
                throw new StoreException("deleting old activity and nodes", e);
            }
        });
    }

    private static Instant now(Connection c, ClusterSql q) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(q.databaseTime); ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    private ClusterSql sql(Connection c) throws SQLException {
        ClusterSql q = sql;
        if (q == null) {
            q = new ClusterSql(SqlDialect.of(c));
            sql = q;
        }
        return q;
    }
}
