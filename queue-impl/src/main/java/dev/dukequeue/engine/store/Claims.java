package dev.dukequeue.engine.store;

import dev.dukequeue.JobId;
import dev.dukequeue.JobState;
import dev.dukequeue.engine.job.ClaimedJob;
import dev.dukequeue.engine.job.JobEvent;
import dev.dukequeue.engine.job.JobTransitions;
import dev.dukequeue.engine.job.Lease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Claims: leasing due jobs with {@code FOR UPDATE SKIP LOCKED}, in priority then submission order, honouring the
 * queues' cluster-wide and per-node limits. Only {@link JdbcJobStore} calls it.
 */
final class Claims {

    /** The claim statements move SCHEDULED rows to RUNNING: the transition table must allow it (checked once). */
    static final JobState CLAIMED = JobTransitions.target(JobState.SCHEDULED, JobEvent.CLAIM);

    private Claims() {
    }

    /**
     * Types whose handler takes jobs from one queue only, as a condition appended to a claim's {@code type IN (...)}:
     * {@code AND (type NOT IN (restricted) OR (queue = ? AND type IN (its types)) OR ...)}, one group per queue.
     *
     * @param sql    the condition, empty when no type is restricted
     * @param params its parameters, in order
     */
    record Restriction(String sql, List<String> params) {

        static final Restriction NONE = new Restriction("", List.of());

        /** @param onlyQueue per type, its one queue; types the claim does not ask for are left out */
        static Restriction of(Collection<String> types, Map<String, String> onlyQueue) {
            Map<String, List<String>> byQueue = new java.util.TreeMap<>();
            List<String> restricted = new ArrayList<>();
            for (String type : types) {
                String queue = onlyQueue.get(type);
                if (queue != null) {
                    restricted.add(type);
                    byQueue.computeIfAbsent(queue, q -> new ArrayList<>()).add(type);
                }
            }
            if (restricted.isEmpty()) {
                return NONE;
            }
            StringBuilder sql = new StringBuilder(JobSql.TYPES_NOT_RESTRICTED_PREFIX)
                    .append(JobSql.placeholders(restricted.size()));
            List<String> params = new ArrayList<>(restricted);
            byQueue.forEach((queue, its) -> {
                sql.append(JobSql.OR_QUEUE_AND_TYPES_PREFIX).append(JobSql.placeholders(its.size())).append(')');
                params.add(queue);
                params.addAll(its);
            });
            return new Restriction(sql.append(')').toString(), List.copyOf(params));
        }

        /** @return this restriction, then {@code condition} */
        String and(String condition) {
            return sql + condition;
        }

        /** @return this restriction's parameters, then {@code more} */
        List<String> paramsThen(List<String> more) {
            if (params.isEmpty()) {
                return more;
            }
            List<String> all = new ArrayList<>(params);
            all.addAll(more);
            return all;
        }
    }

    /**
     * See {@link JdbcJobStore#claim(String, Collection, int, long, Map)}: in the caller's transaction when the
     * connection has one, else on its own.
     */
    static List<ClaimedJob> claim(Connection c, JobSql q, String owner, Collection<String> types, int limit,
            long leaseMs, Map<String, Integer> nodeFree, Restriction only, ClaimFloor floor) throws SQLException {
        if (!c.getAutoCommit()) {
            return claimOn(c, q, owner, types, limit, leaseMs, nodeFree, only); // the caller's transaction
        }
        return claimAutonomously(c, q, owner, types, limit, leaseMs, nodeFree, only, floor);
    }

    /**
     * A claim on a connection in auto-commit mode (the dispatcher's: no transaction around it): with no queue limited,
     * the claim is one statement, its own transaction (one round trip less than BEGIN ... COMMIT); otherwise the
     * limited queues are claimed under their row locks in a local transaction, committed here. The one statement
     * reads the claim index from the loop's {@link ClaimFloor}; the limited queues' claims from its start.
     */
    private static List<ClaimedJob> claimAutonomously(Connection c, JobSql q, String owner, Collection<String> types,
            int limit, long leaseMs, Map<String, Integer> nodeFree, Restriction only, ClaimFloor floor)
            throws SQLException {
        if (nodeFree.isEmpty() && q.dialect.claimsWithReturning()) {
            // One statement that claims only while no queue is limited (its NOT EXISTS sees the limits as of the
            // statement): rows claimed mean no limit applied. No rows: nothing due, or limited queues, which the
            // transaction below handles under their row locks.
            long now = System.nanoTime();
            ClaimFloor.Key from = floor.next(now);
            List<ClaimedJob> claimed = claimReturning(c, q, owner, UUID.randomUUID().toString(), types,
                    only.and(q.noQueueLimited), only.params(), from, limit, leaseMs);
            floor.claimed(claimed, from, now);
            if (!claimed.isEmpty()) {
                claimed.sort(Comparator.comparingInt(ClaimedJob::priority).thenComparingLong(ClaimedJob::seq));
                return claimed;
            }
            if (QueueSettings.queueLimits(c, q).isEmpty()) {
                return claimed; // nothing due
            }
        }
        c.setAutoCommit(false);
        try {
            List<ClaimedJob> claimed = claimOn(c, q, owner, types, limit, leaseMs, nodeFree, only);
            c.commit();
            return claimed;
        } catch (SQLException | RuntimeException e) {
            c.rollback();
            throw e;
        } finally {
            c.setAutoCommit(true);
        }
    }

    /** The claim, on a connection whose transaction does nothing else (see the commit note below). */
    private static List<ClaimedJob> claimOn(Connection c, JobSql q, String owner, Collection<String> types, int limit,
            long leaseMs, Map<String, Integer> nodeFree, Restriction only) throws SQLException {
        String token = UUID.randomUUID().toString();
        Map<String, Integer> global = QueueSettings.queueLimits(c, q);
        java.util.SortedSet<String> limited = new java.util.TreeSet<>(global.keySet());
        limited.addAll(nodeFree.keySet());
        List<ClaimedJob> claimed = new ArrayList<>();
        for (String queue : limited) {
            int room = Math.min(limit - claimed.size(), nodeFree.getOrDefault(queue, Integer.MAX_VALUE));
            if (room > 0 && global.containsKey(queue)) {
                room = Math.min(room, globalRoom(c, q, queue));
            }
            if (room > 0) {
                claimed.addAll(claimWhere(c, q, owner, token, types, only.and(q.inQueue),
                        only.paramsThen(List.of(queue)), room, leaseMs));
            }
        }
        int rest = limit - claimed.size();
        if (rest > 0) {
            String others = limited.isEmpty() ? "" : q.notInQueuesPrefix + JobSql.placeholders(limited.size());
            claimed.addAll(claimWhere(c, q, owner, token, types, only.and(others),
                    only.paramsThen(List.copyOf(limited)), rest, leaseMs));
        }
        // No attempt row: while the job runs, its row's lease is the attempt (node, start, run number); a row is
        // written only when the attempt ends without success (see insertEndedAttempt).
        //
        // On PostgreSQL the claim's commit does not wait for the WAL flush (the claim statement sets it for its
        // transaction, which does nothing else). Safe to lose in a database crash, so not worth an fsync: a lost claim leaves the job
        // SCHEDULED, and it runs again (as after a node crash). Nothing can be recorded for a claim the database
        // lost: every outcome is fenced on the claim's lease token, and an outcome's commit waits for the flush,
        // which writes all WAL before it, the claim's included. Submissions and outcomes stay fully durable.
        claimed.sort(Comparator.comparingInt(ClaimedJob::priority).thenComparingLong(ClaimedJob::seq));
        return claimed;
    }

    /** Locks the queue's row until this claim commits, then counts what runs: the places left in the cluster. */
    private static int globalRoom(Connection c, JobSql q, String queue) throws SQLException {
        int max;
        try (PreparedStatement ps = c.prepareStatement(q.lockQueueLimit)) {
            ps.setString(1, queue);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || rs.getObject(1) == null) {
                    return 0; // paused, or the limit was removed under us: claim it with the others next round
                }
                max = rs.getInt(1);
            }
        }
        try (PreparedStatement ps = c.prepareStatement(q.countRunningInQueue)) {
            ps.setString(1, queue);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return (int) Math.max(0, max - rs.getLong(1));
            }
        }
    }

    private static List<ClaimedJob> claimWhere(Connection c, JobSql q, String owner, String token,
            Collection<String> types, String queueCondition, List<String> queueParams, int limit, long leaseMs)
            throws SQLException {
        return q.dialect.claimsWithReturning()
                ? claimReturning(c, q, owner, token, types, queueCondition, queueParams, null, limit, leaseMs)
                : claimSelectThenUpdate(c, q, owner, token, types, queueCondition, queueParams, limit, leaseMs);
    }

    /** @param from where to read the claim index from (see {@link ClaimFloor}), null for its start */
    private static List<ClaimedJob> claimReturning(Connection c, JobSql q, String owner, String token,
            Collection<String> types, String queueCondition, List<String> queueParams, ClaimFloor.Key from, int limit,
            long leaseMs) throws SQLException {
        String statement = q.claimReturningPrefix + JobSql.placeholders(types.size()) + queueCondition
                + (from == null ? "" : q.claimFromFloor) + q.claimReturningSuffix;
        try (PreparedStatement ps = c.prepareStatement(statement)) {
            int i = 1;
            ps.setString(i++, owner);
            ps.setString(i++, token);
            ps.setLong(i++, leaseMs);
            for (String type : types) {
                ps.setString(i++, type);
            }
            for (String queue : queueParams) {
                ps.setString(i++, queue);
            }
            if (from != null) {
                ps.setInt(i++, from.priority());
                ps.setLong(i++, from.seq());
            }
            ps.setInt(i, limit);
            List<ClaimedJob> claimed = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // RETURNING yields the updated values: attempt and run_count already count this claim.
                    claimed.add(claimedJob(rs, owner, token, 0));
                }
            }
            return claimed;
        }
    }

    private static List<ClaimedJob> claimSelectThenUpdate(Connection c, JobSql q, String owner, String token,
            Collection<String> types, String queueCondition, List<String> queueParams, int limit, long leaseMs)
            throws SQLException {
        String select = q.selectDueForUpdatePrefix + JobSql.placeholders(types.size()) + queueCondition
                + q.selectDueForUpdateSuffix;
        List<ClaimedJob> locked = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(select)) {
            int i = 1;
            for (String type : types) {
                ps.setString(i++, type);
            }
            for (String queue : queueParams) {
                ps.setString(i++, queue);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // The row still holds the old counters: this claim adds one to each.
                    locked.add(claimedJob(rs, owner, token, 1));
                }
            }
        }
        if (locked.isEmpty()) {
            return locked;
        }
        try (PreparedStatement ps = c.prepareStatement(q.leaseOne)) {
            for (ClaimedJob job : locked) {
                ps.setString(1, owner);
                ps.setString(2, token);
                ps.setLong(3, leaseMs);
                ps.setString(4, job.lease().jobId().toString());
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int n = 0; n < counts.length; n++) {
                if (counts[n] == 0) {
                    // Cannot happen while we hold the row lock; fail loudly rather than run an unleased job.
                    throw new SQLException("claimed row " + locked.get(n).lease().jobId() + " was not SCHEDULED any more");
                }
            }
        }
        return locked;
    }

    /** Reads a claimed row by position: both claim statements return JobSql's claim columns, then run_at, db_now and
     * traceparent. */
    private static ClaimedJob claimedJob(ResultSet rs, String owner, String token, int increment) throws SQLException {
        JobId id = JobId.parse(rs.getString(1));
        int runNo = rs.getInt(8) + increment;
        return new ClaimedJob(new Lease(id, owner, token, runNo), rs.getString(2), rs.getString(3),
                rs.getInt(4), rs.getLong(5), rs.getInt(6) + increment, rs.getInt(7),
                rs.getLong(9), rs.getString(10), rs.getString(11),
                Math.max(0, rs.getTimestamp(13).getTime() - rs.getTimestamp(12).getTime()), rs.getString(14));
    }
}
