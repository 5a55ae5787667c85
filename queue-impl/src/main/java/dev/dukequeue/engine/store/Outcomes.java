package dev.dukequeue.engine.store;

import dev.dukequeue.JobId;
import dev.dukequeue.JobState;
import dev.dukequeue.engine.database.SqlDialect;
import dev.dukequeue.engine.job.JobEvent;
import dev.dukequeue.engine.job.JobTransitions;
import dev.dukequeue.engine.job.Lease;
import dev.dukequeue.engine.store.JdbcJobStore.Completion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Outcomes: the fenced moves out of RUNNING (completions in batches, failures, and the path charged releases and
 * rescues share), the attempt rows of runs that ended without success, and the running attempt's own fenced writes
 * (checkpoint, progress). Every statement carries the lease fence and its row count is checked: 0 rows means the lease
 * was lost (the rescuer, a cancel or another node got there first) and nothing changed. Releases are in
 * {@link Releases}. Only the store's classes call it.
 */
final class Outcomes {

    private Outcomes() {
    }

    /** See {@link JdbcJobStore#completeAll}. */
    static boolean[] completeAll(Connection c, JobSql q, List<Completion> completions) throws SQLException {
        boolean[] written = new boolean[completions.size()];
        Integer[] order = new Integer[completions.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        String[] ids = new String[order.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = completions.get(i).lease().jobId().toString();
        }
        java.util.Arrays.sort(order, java.util.Comparator.comparing(i -> ids[i]));
        JobTransitions.target(JobState.RUNNING, JobEvent.SUCCEED);
        completeOn(c, q, completions, order, ids, written);
        return written;
    }

    private static void completeOn(Connection c, JobSql q, List<Completion> completions, Integer[] order, String[] ids,
            boolean[] written) throws SQLException {
        List<String> done = new ArrayList<>();
        List<String> dependedOn = new ArrayList<>(); // completed jobs that others wait on
        if (q.dialect == SqlDialect.POSTGRESQL) {
            // One statement for the whole batch (arrays), each row still behind its own lease fence: a row counts
            // as written for the lease that wrote it (id and token), never for a stale lease of the same job.
            java.util.Set<String> completed = new java.util.HashSet<>();
            try (PreparedStatement ps = c.prepareStatement(q.completeMany)) {
                ps.setArray(1, c.createArrayOf("varchar", java.util.Arrays.stream(order).map(i -> ids[i]).toArray()));
                ps.setArray(2, c.createArrayOf("varchar", java.util.Arrays.stream(order)
                        .map(i -> completions.get(i).lease().token()).toArray()));
                ps.setArray(3, c.createArrayOf("text", java.util.Arrays.stream(order)
                        .map(i -> completions.get(i).resultJson()).toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        completed.add(rs.getString(1) + ' ' + rs.getString(2));
                        if (rs.getBoolean(3)) {
                            dependedOn.add(rs.getString(1));
                        }
                    }
                }
            }
            for (int i : order) {
                Lease lease = completions.get(i).lease();
                written[i] = completed.contains(ids[i] + " " + lease.token());
                if (written[i]) {
                    done.add(ids[i]);
                }
            }
        } else {
            completeOneByOne(c, q, completions, order, written, done);
            dependedOn.addAll(Dependencies.withDependents(c, q, done));
        }
        java.util.Collections.sort(dependedOn); // their dependents' rows are locked in a stable order
        for (String id : dependedOn) {
            Dependencies.completed(c, q, JobId.parse(id));
        }
    }

    /** H2 and MariaDB: a statement per row (JDBC batches where the driver reports each row count). */
    private static void completeOneByOne(Connection c, JobSql q, List<Completion> completions, Integer[] order,
            boolean[] written, List<String> done) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(q.complete)) {
            if (q.dialect == SqlDialect.MARIADB) {
                // MariaDB's driver may answer a batch without per-statement counts: one statement at a time.
                for (int i : order) {
                    bindCompletion(ps, completions.get(i));
                    written[i] = ps.executeUpdate() > 0;
                }
            } else {
                for (int i : order) {
                    bindCompletion(ps, completions.get(i));
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                for (int k = 0; k < order.length; k++) {
                    if (counts[k] < 0) {
                        throw new SQLException("the driver did not report the row count of a completion");
                    }
                    written[order[k]] = counts[k] > 0;
                }
            }
        }
        for (int i : order) {
            if (written[i]) {
                done.add(completions.get(i).lease().jobId().toString());
            }
        }
    }

    private static void bindCompletion(PreparedStatement ps, Completion completion) throws SQLException {
        ps.setString(1, completion.resultJson());
        ps.setString(2, completion.lease().jobId().toString());
        ps.setString(3, completion.lease().token());
    }

    /** See {@link JdbcJobStore#fail}. */
    static boolean fail(Connection c, JobSql q, Lease lease, JobEvent event, Failure failure, long backoffMs)
            throws SQLException {
        return leaveRunning(c, q, lease.jobId(), lease.owner(), lease.token(), lease.runNo(), event, failure,
                backoffMs);
    }

    /** The one fenced path out of RUNNING for failures, rescues and charged releases. */
    static boolean leaveRunning(Connection c, JobSql q, JobId id, String owner, String token, int runNo,
            JobEvent event, Failure failure, long backoffMs) throws SQLException {
        if (event == JobEvent.RELEASE) {
            throw new IllegalArgumentException("a release goes through release(), which counts it and applies its"
                    + " limit");
        }
        JobState target = JobTransitions.target(JobState.RUNNING, event);
        // A rescue means the worker vanished without an outcome: that is what the poison-pill count counts.
        int leaseLost = event == JobEvent.RESCUE || event == JobEvent.RESCUE_EXHAUSTED ? 1 : 0;
        PreparedStatement ps;
        int i = 1;
        if (target == JobState.SCHEDULED) {
            ps = c.prepareStatement(q.retryLater);
            ps.setLong(i++, backoffMs);
            ps.setString(i++, failure.category().name());
            ps.setString(i++, failure.message());
            ps.setInt(i++, leaseLost);
        } else {
            ps = c.prepareStatement(q.finishFailed);
            ps.setString(i++, target.name());
            ps.setString(i++, failure.category().name());
            ps.setString(i++, failure.message());
            ps.setInt(i++, leaseLost);
        }
        try (ps) {
            ps.setString(i++, id.toString());
            ps.setString(i, token);
            if (ps.executeUpdate() == 0) {
                return false;
            }
        }
        recordEndedAttempt(c, q, id, owner, runNo, 0, failure);
        if (target.isTerminal()) {
            Dependencies.unsatisfiable(c, q, id, target);
        }
        return true;
    }

    /**
     * Records an attempt that ended without success. Called after the fenced update, under its row lock: the row still
     * holds the run's number and start. A run claimed by a version-8 node has an open attempt row already: that row is
     * closed instead.
     *
     * @param givenBack 1 when the update gave the attempt back (a release), else 0
     */
    static void recordEndedAttempt(Connection c, JobSql q, JobId id, String owner, int runNo, int givenBack,
            Failure failure) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(q.closeAttempt)) {
            ps.setString(1, failure.outcome().name());
            ps.setString(2, failure.category().name());
            ps.setString(3, failure.message());
            ps.setString(4, failure.stackTrace());
            ps.setString(5, id.toString());
            ps.setInt(6, runNo);
            if (ps.executeUpdate() > 0) {
                return;
            }
        }
        try (PreparedStatement ps = c.prepareStatement(q.insertEndedAttempt)) {
            ps.setInt(1, givenBack);
            ps.setString(2, owner);
            ps.setString(3, failure.outcome().name());
            ps.setString(4, failure.category().name());
            ps.setString(5, failure.message());
            ps.setString(6, failure.stackTrace());
            ps.setString(7, id.toString());
            ps.executeUpdate();
        }
    }

    /** See {@link JdbcJobStore#saveCheckpoint}. */
    static boolean saveCheckpoint(Connection c, JobSql q, Lease lease, String json) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(q.saveCheckpoint)) {
            ps.setString(1, json);
            ps.setString(2, lease.jobId().toString());
            ps.setString(3, lease.token());
            return ps.executeUpdate() == 1;
        }
    }

    /** See {@link JdbcJobStore#saveProgress}. */
    static boolean saveProgress(Connection c, JobSql q, Lease lease, int percent, String message) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(q.saveProgress)) {
            ps.setInt(1, percent);
            ps.setString(2, message);
            ps.setString(3, lease.jobId().toString());
            ps.setString(4, lease.token());
            return ps.executeUpdate() == 1;
        }
    }
}
