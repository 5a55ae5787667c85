package dev.dukequeue.engine.store;

import dev.dukequeue.ErrorCategory;
import dev.dukequeue.JobId;
import dev.dukequeue.engine.job.AttemptOutcome;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntToLongFunction;

/**
 * Leases: renewal (the heartbeat's fenced extension), the rescue of expired leases and start-up recovery of an
 * earlier incarnation's jobs, both through the fenced failure path of {@link Outcomes}, with the poison-pill count.
 * Only {@link JdbcJobStore} calls it.
 */
final class Leases {

    private Leases() {
    }

    /** See {@link JdbcJobStore#renewLeases}. */
    static Set<JobId> renew(Connection c, JobSql q, Collection<Lease> leases, long leaseMs) throws SQLException {
        Set<JobId> lost = new HashSet<>();
        try (PreparedStatement ps = c.prepareStatement(q.renewLease)) {
            // In job-id order, as completions write their rows: a renewal and a completion batch wait for each other's
            // row locks at most, never in opposite orders (a deadlock, which PostgreSQL breaks after a second by
            // aborting one of them).
            List<Lease> ordered = new ArrayList<>(leases);
            ordered.sort(Comparator.comparing(l -> l.jobId().toString()));
            for (Lease lease : ordered) {
                ps.setLong(1, leaseMs);
                ps.setString(2, lease.jobId().toString());
                ps.setString(3, lease.token());
                ps.addBatch();
            }
            int[] counts = ps.executeBatch();
            for (int n = 0; n < counts.length; n++) {
                // 0 rows: the lease is gone. SUCCESS_NO_INFO (-2) tells nothing; the fence still guards the outcome.
                if (counts[n] == 0) {
                    lost.add(ordered.get(n).jobId());
                }
            }
            return lost;
        }
    }

    /** See {@link JdbcJobStore#rescueExpiredLeases}. */
    static List<RescuedJob> rescueExpired(Connection c, JobSql q, int limit, IntToLongFunction backoffMs,
            int poisonThreshold) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(q.selectExpiredLeases)) {
            ps.setInt(1, limit);
            return takeBack(c, q, lockedLeases(ps), "lease expired: node %s stopped renewing it during attempt %d",
                    backoffMs, poisonThreshold);
        }
    }

    /** See {@link JdbcJobStore#reclaimEarlierIncarnations}. */
    static List<RescuedJob> reclaimEarlierIncarnations(Connection c, JobSql q, String nodeName, String currentOwner,
            int limit, IntToLongFunction backoffMs, int poisonThreshold) throws SQLException {
        String prefix = nodeName + "#";
        try (PreparedStatement ps = c.prepareStatement(q.selectEarlierIncarnationLeases)) {
            ps.setInt(1, prefix.length());
            ps.setString(2, prefix);
            ps.setString(3, currentOwner);
            ps.setInt(4, limit);
            return takeBack(c, q, lockedLeases(ps), "node %s restarted while running attempt %d (start-up recovery)",
                    backoffMs, poisonThreshold);
        }
    }

    private record LostLease(JobId id, String owner, String token, int runNo, int attempt, int maxAttempts, int losses,
            String queue, String type) {
    }

    private static List<LostLease> lockedLeases(PreparedStatement ps) throws SQLException {
        List<LostLease> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new LostLease(JobId.parse(rs.getString(1)), rs.getString(2), rs.getString(3), rs.getInt(4),
                        rs.getInt(5), rs.getInt(6), rs.getInt(7), rs.getString(8), rs.getString(9)));
            }
        }
        return rows;
    }

    private static List<RescuedJob> takeBack(Connection c, JobSql q, List<LostLease> rows, String reason,
            IntToLongFunction backoffMs, int poisonThreshold) throws SQLException {
        List<RescuedJob> rescued = new ArrayList<>();
        for (LostLease e : rows) {
            boolean poisoned = e.losses() + 1 >= poisonThreshold;
            boolean exhausted = e.attempt() >= e.maxAttempts();
            JobEvent event = poisoned || exhausted ? JobEvent.RESCUE_EXHAUSTED : JobEvent.RESCUE;
            String message = String.format(reason, e.owner(), e.attempt());
            if (poisoned) {
                // lease_losses counts since the last re-drive; the history keeps older losses too.
                List<String> history = lostWorkers(c, q, e.id());
                List<String> workers = new ArrayList<>(history.subList(Math.max(0, history.size() - e.losses()),
                        history.size()));
                workers.add(e.owner());
                message = "poison pill: lost its worker " + workers.size() + " times without an outcome (nodes "
                        + String.join(", ", workers) + "); " + message;
            } else if (exhausted) {
                message += "; no attempts left";
            }
            Failure failure = Failure.observed(AttemptOutcome.LEASE_EXPIRED, ErrorCategory.SYSTEM, message);
            // We hold the row lock, so the fence cannot fail here; checking it keeps the rule uniform.
            if (Outcomes.leaveRunning(c, q, e.id(), e.owner(), e.token(), e.runNo(), event, failure,
                    backoffMs.applyAsLong(e.attempt()))) {
                rescued.add(new RescuedJob(e.id(), e.owner(), JobTransitions.targetOf(event), poisoned, e.queue(),
                        e.type(), e.attempt(), message));
            }
        }
        return rescued;
    }

    private static List<String> lostWorkers(Connection c, JobSql q, JobId id) throws SQLException {
        List<String> nodes = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(q.lostWorkers)) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    nodes.add(rs.getString(1));
                }
            }
        }
        return nodes;
    }
}
