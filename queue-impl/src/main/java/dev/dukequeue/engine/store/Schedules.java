package dev.dukequeue.engine.store;

import dev.dukequeue.JobRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * Schedules: registering recurring jobs and firing their due instants, each schedule under its row lock, each instant
 * submitted as a job through {@link Submissions}; and the database clock they are measured on. Only
 * {@link JdbcJobStore} calls it.
 */
final class Schedules {

    /** The store's category, as before the statements had classes of their own. */
    private static final Logger LOG = Logger.getLogger(JdbcJobStore.class.getName());

    /** Stands for "never again" in a schedule's NOT NULL next_run_at (an expression with no instant left). */
    static final Instant NEVER = Instant.parse("9999-01-01T00:00:00Z");

    private Schedules() {
    }

    /** See {@link JdbcJobStore#registerSchedule}. */
    static Instant register(Connection c, JobSql q, ScheduleDefinition definition) throws SQLException {
        String signature = null;
        Instant known = null;
        try (PreparedStatement ps = c.prepareStatement(q.lockSchedule)) {
            ps.setString(1, definition.name());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    signature = rs.getString(1);
                    known = rs.getTimestamp(2).toInstant();
                }
            }
        }
        if (definition.signature().equals(signature)) {
            return known;
        }
        Instant next = definition.next().apply(databaseTime(c, q));
        next = next == null ? NEVER : next;
        try (PreparedStatement ps = c.prepareStatement(signature == null ? q.insertSchedule : q.resetSchedule)) {
            if (signature == null) {
                ps.setString(1, definition.name());
                ps.setString(2, definition.signature());
                ps.setTimestamp(3, Timestamp.from(next));
            } else {
                ps.setString(1, definition.signature());
                ps.setTimestamp(2, Timestamp.from(next));
                ps.setString(3, definition.name());
            }
            ps.executeUpdate();
        }
        Instant first = next;
        String before = signature;
        LOG.info(() -> "recurring job '" + definition.name() + "' (" + definition.signature() + ") "
                + (before == null ? "registered" : "changed from " + before) + "; next run " + first);
        return next;
    }

    /** See {@link JdbcJobStore#fireDueSchedules}. */
    static List<FiredJob> fireDue(Connection c, JobSql q, Map<String, ScheduleDefinition> definitions, QueueRoom room,
            int maxInstants) throws SQLException {
        Instant now = databaseTime(c, q);
        List<String> names = List.copyOf(definitions.keySet());
        Map<String, Instant> due = new java.util.LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(q.selectDueSchedulesPrefix + JobSql.placeholders(names.size())
                + q.selectDueSchedulesSuffix)) {
            for (int i = 0; i < names.size(); i++) {
                ps.setString(i + 1, names.get(i));
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    due.put(rs.getString(1), rs.getTimestamp(2).toInstant());
                }
            }
        }
        List<FiredJob> fired = new ArrayList<>();
        // Room left per queue in this firing: counted once, under the row locks, then used up by each new job.
        Map<String, Long> left = new java.util.HashMap<>();
        for (Map.Entry<String, Instant> e : due.entrySet()) {
            ScheduleDefinition d = definitions.get(e.getKey());
            Instant at = e.getValue();
            FiredJob last = null;
            if (!d.catchUp()) {
                // Only the latest due instant stands for the missed ones.
                for (Instant next = d.next().apply(at); next != null && !next.isAfter(now); next = d.next().apply(next)) {
                    at = next;
                }
            }
            String queue = d.template().queue();
            for (int n = 0; at != null && !at.isAfter(now) && n < maxInstants; n++) {
                Long space = left.get(queue);
                if (space == null) {
                    space = room.room(queue, QueueSettings.waitingCount(c, q, queue));
                }
                if (space <= 0) {
                    // Refused like a submission into a full queue, but there is no client to retry: the schedule
                    // moves past the instant without a job (the caller logs and counts it).
                    fired.add(FiredJob.refused(d.name(), at));
                    left.put(queue, 0L);
                } else {
                    JobRequest t = d.template();
                    JobRequest job = new JobRequest(t.type(), t.payloadJson(), t.queue(), t.priority(), at, null,
                            t.maxAttempts(), t.timeout(), "recurring:" + d.name() + ":" + at, null, List.of(),
                            List.of(), null);
                    // A template has no dependencies (RecurringJob refuses them), so the dependency limits never apply.
                    Submission s = Submissions.submit(c, q, List.of(job), List.of(0), SubmitRules.DEFAULTS, null);
                    last = new FiredJob(d.name(), at, s.receipts().get(0));
                    fired.add(last);
                    left.put(queue, last.created() ? space - 1 : space);
                }
                at = d.next().apply(at);
            }
            Timestamp next = Timestamp.from(at == null ? NEVER : at);
            if (last == null) {
                // Every instant was refused: the last enqueued instant and its job stay what they were.
                try (PreparedStatement ps = c.prepareStatement(q.advanceScheduleOnly)) {
                    ps.setTimestamp(1, next);
                    ps.setString(2, d.name());
                    ps.executeUpdate();
                }
            } else {
                try (PreparedStatement ps = c.prepareStatement(q.advanceSchedule)) {
                    ps.setTimestamp(1, next);
                    ps.setTimestamp(2, Timestamp.from(last.instant()));
                    ps.setString(3, last.receipt().id().toString());
                    ps.setString(4, d.name());
                    ps.executeUpdate();
                }
            }
        }
        return fired;
    }

    /** See {@link JdbcJobStore#schedules}. */
    static List<ScheduleState> all(Connection c, JobSql q) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(q.selectSchedules); ResultSet rs = ps.executeQuery()) {
            List<ScheduleState> states = new ArrayList<>();
            while (rs.next()) {
                Timestamp last = rs.getTimestamp(3);
                states.add(new ScheduleState(rs.getString(1), rs.getTimestamp(2).toInstant(),
                        last == null ? null : last.toInstant(), rs.getString(4)));
            }
            return states;
        }
    }

    /** @return the database's current time, the clock every lease and due time is measured on */
    static Instant databaseTime(Connection c, JobSql q) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(q.databaseTime)) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }
}
