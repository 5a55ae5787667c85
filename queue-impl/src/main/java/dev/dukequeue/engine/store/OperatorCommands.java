package dev.dukequeue.engine.store;

import dev.dukequeue.ErrorCategory;
import dev.dukequeue.JobId;
import dev.dukequeue.JobState;
import dev.dukequeue.engine.job.AttemptOutcome;
import dev.dukequeue.engine.job.JobEvent;
import dev.dukequeue.engine.job.JobTransitions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Operator commands: cancel and re-drive of one job, guarded by the transition table under the job's row lock, and
 * the selection a bulk re-drive works through. (Purging finished jobs is {@link Retention}.) Only {@link JdbcJobStore}
 * calls it.
 */
final class OperatorCommands {

    /** The store's category, as before the statements had classes of their own. */
    private static final Logger LOG = Logger.getLogger(JdbcJobStore.class.getName());

    private OperatorCommands() {
    }

    /** See {@link JdbcJobStore#apply}. */
    static Transition apply(Connection c, JobSql q, JobId id, JobEvent event) throws SQLException {
        if (event != JobEvent.CANCEL && event != JobEvent.REDRIVE) {
            throw new IllegalArgumentException("not an operator event: " + event);
        }
        JobState current;
        int runNo;
        long lifetimeMs;
        String owner;
        try (PreparedStatement ps = c.prepareStatement(q.selectStateForUpdate)) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Transition(false, null, null);
                }
                current = JobState.valueOf(rs.getString(1));
                runNo = rs.getInt(2);
                lifetimeMs = rs.getLong(3);
                owner = rs.getString(4);
            }
        }
        if (!JobTransitions.allows(current, event)) {
            return new Transition(true, current, current);
        }
        JobState target;
        if (event == JobEvent.CANCEL) {
            target = JobTransitions.target(current, event);
            try (PreparedStatement ps = c.prepareStatement(q.cancel)) {
                ps.setString(1, id.toString());
                ps.setString(2, current.name());
                if (ps.executeUpdate() == 0) {
                    throw new SQLException("job " + id + " changed under its row lock");
                }
            }
            if (current == JobState.RUNNING) {
                Outcomes.recordEndedAttempt(c, q, id, owner, runNo, 0,
                        Failure.observed(AttemptOutcome.CANCELLED, ErrorCategory.SYSTEM, "cancelled while running"));
            }
            Dependencies.unsatisfiable(c, q, id, target);
        } else {
            // A re-drive waits again for dependencies that have not completed, and is refused while one of them
            // can never complete (it would only be dead-lettered again).
            Map<String, JobState> deps = Dependencies.dependencyStates(c, q, id.toString());
            Map.Entry<String, JobState> dead = Dependencies.firstUnsatisfiable(deps);
            if (dead != null) {
                return new Transition(true, current, current, "its dependency " + dead.getKey() + " is "
                        + dead.getValue() + "; re-drive or replace that job first");
            }
            long open = deps.values().stream().filter(st -> st != JobState.COMPLETED).count();
            JobEvent applied = open > 0 ? JobEvent.REDRIVE_PENDING : JobEvent.REDRIVE;
            target = JobTransitions.target(current, applied);
            try (PreparedStatement ps = c.prepareStatement(open > 0 ? q.redrivePending : q.redrive)) {
                int i = 1;
                if (open > 0) {
                    ps.setLong(i++, open);
                    ps.setLong(i++, lifetimeMs);
                }
                ps.setString(i++, id.toString());
                ps.setString(i, current.name());
                if (ps.executeUpdate() == 0) {
                    throw new SQLException("job " + id + " changed under its row lock");
                }
            }
        }
        LOG.fine(() -> "job " + id + ": " + current + " -> " + target + " (" + event + ")");
        return new Transition(true, current, target);
    }

    /** See {@link JdbcJobStore#selectForRedrive}. */
    static List<JobId> selectForRedrive(Connection c, JobSql q, String state, String queue, String type,
            Instant finishedFrom, Instant finishedTo, int limit) throws SQLException {
        List<Object> params = new ArrayList<>(List.of(state));
        if (queue != null) {
            params.add(queue);
        }
        if (type != null) {
            params.add(type);
        }
        if (finishedFrom != null) {
            params.add(Timestamp.from(finishedFrom));
        }
        if (finishedTo != null) {
            params.add(Timestamp.from(finishedTo));
        }
        params.add(limit);
        try (PreparedStatement ps = c.prepareStatement(q.selectForRedrive(queue != null, type != null,
                finishedFrom != null, finishedTo != null))) {
            for (int i = 0; i < params.size(); i++) {
                ps.setObject(i + 1, params.get(i));
            }
            List<JobId> ids = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    ids.add(JobId.parse(rs.getString(1)));
                }
            }
            return ids;
        }
    }
}
