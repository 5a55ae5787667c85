package dev.dukequeue.engine.store;

import dev.dukequeue.JobState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Map;
import java.util.Set;

/**
 * Queue settings and what the queues hold: pause and resume for every node, the cluster-wide RUNNING limits (which
 * {@link Claims} honours), and the counts backpressure and the depth metrics read. Only the store's classes call it.
 */
final class QueueSettings {

    private QueueSettings() {
    }

    /** See {@link JdbcJobStore#setPaused}. */
    static void setPaused(Connection c, JobSql q, String queue, boolean paused) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(q.updateQueuePaused)) {
            update.setBoolean(1, paused);
            update.setString(2, queue);
            if (update.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement insert = c.prepareStatement(q.insertQueue)) {
            insert.setString(1, queue);
            insert.setBoolean(2, paused);
            insert.executeUpdate();
        }
    }

    /** See {@link JdbcJobStore#setMaxRunning}. */
    static void setMaxRunning(Connection c, JobSql q, String queue, Integer maxRunning) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(q.updateQueueMaxRunning)) {
            setNullableInt(update, 1, maxRunning);
            update.setString(2, queue);
            if (update.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement insert = c.prepareStatement(q.insertQueueWithMaxRunning)) {
            insert.setString(1, queue);
            setNullableInt(insert, 2, maxRunning);
            insert.executeUpdate();
        }
    }

    private static void setNullableInt(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }

    /** See {@link JdbcJobStore#queueLimits()}. */
    static Map<String, Integer> queueLimits(Connection c, JobSql q) throws SQLException {
        Map<String, Integer> limits = new java.util.TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(q.selectQueueLimits); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                limits.put(rs.getString(1), rs.getInt(2));
            }
        }
        return limits;
    }

    /** See {@link JdbcJobStore#pausedQueues}. */
    static Set<String> paused(Connection c, JobSql q) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(q.selectPausedQueues); ResultSet rs = ps.executeQuery()) {
            Set<String> paused = new java.util.TreeSet<>();
            while (rs.next()) {
                paused.add(rs.getString(1));
            }
            return paused;
        }
    }

    /** See {@link JdbcJobStore#waitingCount}. */
    static long waitingCount(Connection c, JobSql q, String queue) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(q.countWaiting)) {
            ps.setString(1, queue);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** See {@link JdbcJobStore#activeCounts}. */
    static Map<String, Map<JobState, Long>> activeCounts(Connection c, JobSql q) throws SQLException {
        Map<String, Map<JobState, Long>> counts = new java.util.TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(q.countActive); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.computeIfAbsent(rs.getString(1), k -> new java.util.EnumMap<>(JobState.class))
                        .put(JobState.valueOf(rs.getString(2)), rs.getLong(3));
            }
            return counts;
        }
    }
}
