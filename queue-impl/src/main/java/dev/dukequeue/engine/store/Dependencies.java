package dev.dukequeue.engine.store;

import dev.dukequeue.JobId;
import dev.dukequeue.JobState;
import dev.dukequeue.engine.job.JobEvent;
import dev.dukequeue.engine.job.JobTransitions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

/**
 * What a job's end means for the jobs that wait on it, always in the transaction of that end, so a dependency's
 * outcome and its dependents' moves commit together:
 * <ul>
 *   <li>COMPLETED: each PENDING dependent counts down under its row lock and becomes SCHEDULED at zero;</li>
 *   <li>FAILED or DEAD_LETTER: the PENDING dependents, and theirs in turn, go to DEAD_LETTER with
 *       "dependency not satisfiable: &lt;id&gt;"; CANCELLED: they are cancelled with the same reason.</li>
 * </ul>
 * A dependency that ended while its dependent's submission was still uncommitted cannot see that dependent; the
 * periodic {@link #repair} finds such jobs and settles them the same way (crash-only: it also finishes what a node
 * that died mid-way left).
 */
final class Dependencies {

    private static final Logger LOG = Logger.getLogger(Dependencies.class.getName());
    /** The expiry's warning keeps the category it had when the store was one class. */
    private static final Logger STORE_LOG = Logger.getLogger(JdbcJobStore.class.getName());
    static final String UNSATISFIABLE = "dependency not satisfiable: ";

    private Dependencies() {
    }

    /** A dependency completed: count its PENDING dependents down (the last one schedules them: DEPENDENCIES_MET). */
    /**
     * @return those of the given jobs that other jobs depend on (most jobs have none: their completion then needs no
     *         count-down statement at all)
     */
    static List<String> withDependents(Connection c, JobSql q, List<String> ids) throws SQLException {
        List<String> found = new ArrayList<>();
        for (int from = 0; from < ids.size(); from += 500) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
            try (PreparedStatement ps = c.prepareStatement(q.selectDependedOnPrefix + JobSql.placeholders(chunk.size()))) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        found.add(rs.getString(1));
                    }
                }
            }
        }
        return found;
    }

    static void completed(Connection c, JobSql q, JobId id) throws SQLException {
        JobTransitions.target(JobState.PENDING, JobEvent.DEPENDENCIES_MET); // the statement's CASE moves only PENDING rows
        try (PreparedStatement ps = c.prepareStatement(q.dependencyCompleted)) {
            ps.setString(1, id.toString());
            ps.executeUpdate();
        }
    }

    /**
     * A job ended without completing: every PENDING job that waits on it, directly or through a chain, ends too.
     *
     * @param ended the state it ended in (FAILED, DEAD_LETTER or CANCELLED)
     * @return how many dependents were ended
     */
    static int unsatisfiable(Connection c, JobSql q, JobId root, JobState ended) throws SQLException {
        JobEvent event = ended == JobState.CANCELLED ? JobEvent.DEPENDENCY_CANCELLED : JobEvent.DEPENDENCY_FAILED;
        JobState target = JobTransitions.target(JobState.PENDING, event);
        Deque<String> frontier = new ArrayDeque<>();
        frontier.add(root.toString());
        Map<String, String> chain = new LinkedHashMap<>(); // dependent -> the dependency that ended it
        int count = 0;
        try (PreparedStatement select = c.prepareStatement(q.selectPendingDependents);
             PreparedStatement update = c.prepareStatement(q.dependencyUnsatisfiable)) {
            while (!frontier.isEmpty()) {
                String dependency = frontier.poll();
                List<String> dependents = new ArrayList<>();
                select.setString(1, dependency);
                try (ResultSet rs = select.executeQuery()) {
                    while (rs.next()) {
                        dependents.add(rs.getString(1));
                    }
                }
                for (String dependent : dependents) {
                    update.setString(1, target.name());
                    update.setString(2, UNSATISFIABLE + dependency + " ended "
                            + (dependency.equals(root.toString()) ? ended : target));
                    update.setString(3, dependent);
                    if (update.executeUpdate() == 1) {
                        count++;
                        chain.put(dependent, dependency);
                        frontier.add(dependent);
                    }
                }
            }
        }
        for (Map.Entry<String, String> e : chain.entrySet()) {
            LOG.warning(() -> "Dependency not satisfiable: job " + e.getKey() + " -> " + target + "; chain "
                    + describe(e.getKey(), chain) + " (" + root + " ended " + ended + ")");
        }
        return count;
    }

    /** @return {@code root <- a <- b}: who waited on whom, for the log (playbook 6: chains logged for diagnosis) */
    private static String describe(String job, Map<String, String> chain) {
        StringBuilder path = new StringBuilder(job);
        for (String at = chain.get(job); at != null; at = chain.get(at)) {
            path.insert(0, at + " <- ");
        }
        return path.toString();
    }

    /** The dependencies of a job and their states, oldest first. */
    static Map<String, JobState> dependencyStates(Connection c, JobSql q, String id) throws SQLException {
        Map<String, JobState> states = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement(q.selectDependencyStates)) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    states.put(rs.getString(1), JobState.valueOf(rs.getString(2)));
                }
            }
        }
        return states;
    }

    /** @return the first dependency that can never complete, or null */
    static Map.Entry<String, JobState> firstUnsatisfiable(Map<String, JobState> states) {
        for (Map.Entry<String, JobState> e : states.entrySet()) {
            if (e.getValue() == JobState.FAILED || e.getValue() == JobState.DEAD_LETTER
                    || e.getValue() == JobState.CANCELLED) {
                return e;
            }
        }
        return null;
    }

    /**
     * Settles one PENDING job from its dependencies' committed states: under its row lock (so a completion that is
     * counting it down waits, or has finished), recount; schedule it at zero, end it when a dependency can never
     * complete.
     *
     * @return true if the job changed
     */
    static boolean settle(Connection c, JobSql q, String id) throws SQLException {
        int counted;
        try (PreparedStatement lock = c.prepareStatement(q.lockPending)) {
            lock.setString(1, id);
            try (ResultSet rs = lock.executeQuery()) {
                if (!rs.next()) {
                    return false; // not PENDING any more
                }
                counted = rs.getInt(1);
            }
        }
        // A statement after the lock: sees every dependency outcome committed before it.
        Map<String, JobState> states = dependencyStates(c, q, id);
        Map.Entry<String, JobState> dead = firstUnsatisfiable(states);
        if (dead != null) {
            JobEvent event = dead.getValue() == JobState.CANCELLED ? JobEvent.DEPENDENCY_CANCELLED
                    : JobEvent.DEPENDENCY_FAILED;
            JobState target = JobTransitions.target(JobState.PENDING, event);
            try (PreparedStatement ps = c.prepareStatement(q.dependencyUnsatisfiable)) {
                ps.setString(1, target.name());
                ps.setString(2, UNSATISFIABLE + dead.getKey() + " ended " + dead.getValue());
                ps.setString(3, id);
                ps.executeUpdate();
            }
            LOG.warning(() -> "Dependency not satisfiable: job " + id + " -> " + target + "; chain " + dead.getKey()
                    + " <- " + id + " (" + dead.getKey() + " ended " + dead.getValue() + "; found by the repair sweep)");
            unsatisfiable(c, q, JobId.parse(id), target);
            return true;
        }
        long open = states.values().stream().filter(s -> s != JobState.COMPLETED).count();
        if (open == counted) {
            return false;
        }
        if (open == 0) {
            JobTransitions.target(JobState.PENDING, JobEvent.DEPENDENCIES_MET);
        }
        try (PreparedStatement ps = c.prepareStatement(q.recountPending)) {
            ps.setLong(1, open);
            ps.setLong(2, open);
            ps.setString(3, id);
            ps.executeUpdate();
        }
        LOG.info(() -> "job " + id + ": dependency count repaired from " + counted + " to " + open
                + (open == 0 ? "; PENDING -> SCHEDULED" : ""));
        return true;
    }

    /**
     * The repair sweep: settles PENDING jobs whose count disagrees with their dependencies, or that wait on a
     * dependency that can never complete.
     *
     * @return how many jobs changed
     */
    static int repair(Connection c, JobSql q, int limit) throws SQLException {
        List<String> candidates = new ArrayList<>();
        for (String sql : List.of(q.selectPendingWithUnsatisfiableDependency, q.selectMiscountedPending)) {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setInt(1, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        if (!candidates.contains(rs.getString(1))) {
                            candidates.add(rs.getString(1));
                        }
                    }
                }
            }
        }
        int changed = 0;
        for (String id : candidates) {
            if (settle(c, q, id)) {
                changed++;
            }
        }
        return changed;
    }

    /** See {@link JdbcJobStore#expirePending}. */
    static List<JobId> expirePending(Connection c, JobSql q, int limit) throws SQLException {
        List<String[]> expired = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(q.selectExpiredPending)) {
            ps.setInt(1, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    expired.add(new String[] {rs.getString(1), java.time.Duration.ofMillis(rs.getLong(2)).toString()});
                }
            }
        }
        List<JobId> ended = new ArrayList<>();
        JobState target = JobTransitions.target(JobState.PENDING, JobEvent.DEPENDENCY_FAILED);
        for (String[] e : expired) {
            Map<String, JobState> deps = Dependencies.dependencyStates(c, q, e[0]);
            List<String> waitingFor = deps.entrySet().stream().filter(d -> d.getValue() != JobState.COMPLETED)
                    .map(d -> d.getKey() + " (" + d.getValue() + ")").toList();
            String reason = Dependencies.UNSATISFIABLE + "lifetime " + e[1] + " ran out while waiting for "
                    + String.join(", ", waitingFor);
            try (PreparedStatement ps = c.prepareStatement(q.dependencyUnsatisfiable)) {
                ps.setString(1, target.name());
                ps.setString(2, reason.length() > 2000 ? reason.substring(0, 2000) : reason);
                ps.setString(3, e[0]);
                if (ps.executeUpdate() == 0) {
                    continue;
                }
            }
            STORE_LOG.warning(() -> "Dependency not satisfiable: job " + e[0] + " -> " + target + "; its " + reason);
            JobId id = JobId.parse(e[0]);
            ended.add(id);
            Dependencies.unsatisfiable(c, q, id, target);
        }
        return ended;
    }
}
