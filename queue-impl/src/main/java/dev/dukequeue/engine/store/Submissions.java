package dev.dukequeue.engine.store;

import dev.dukequeue.JobId;
import dev.dukequeue.JobReceipt;
import dev.dukequeue.JobRequest;
import dev.dukequeue.JobState;
import dev.dukequeue.engine.database.SqlDialect;
import dev.dukequeue.engine.job.JobEvent;
import dev.dukequeue.engine.job.JobTransitions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Submissions: inserting new jobs (initial state, idempotency keys, dependency rows and the rules on dependencies on
 * existing jobs) and looking up which idempotency keys exist. Runs on the caller's connection and transaction; only
 * {@link JdbcJobStore} calls it (recurring jobs through {@link Schedules}).
 */
final class Submissions {

    private Submissions() {
    }

    /** See {@link JdbcJobStore#submit}. */
    static Submission submit(Connection c, JobSql q, List<JobRequest> requests, List<Integer> order, SubmitRules rules,
            String traceparent) throws SQLException {
        return new Inserter(c, q, requests, rules, traceparent).run(order);
    }

    /** See {@link JdbcJobStore#existingKeys}. */
    static Set<String> existingKeys(Connection c, JobSql q, String queue, List<String> keys) throws SQLException {
        Set<String> found = new HashSet<>();
        for (int from = 0; from < keys.size(); from += 500) {
            List<String> chunk = keys.subList(from, Math.min(keys.size(), from + 500));
            try (PreparedStatement ps = c.prepareStatement(q.selectExistingKeysPrefix
                    + JobSql.placeholders(chunk.size()))) {
                ps.setString(1, queue);
                for (int k = 0; k < chunk.size(); k++) {
                    ps.setString(k + 2, chunk.get(k));
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

    /** One submission's insert: dependency targets, idempotency, initial states, then the dependency rows. */
    private static final class Inserter {
        private final Connection c;
        private final JobSql q;
        private final List<JobRequest> requests;
        private final SubmitRules rules;
        private final String traceparent;
        private final JobReceipt[] receipts;
        private final int[] depth;
        private final Map<JobId, Target> targets = new HashMap<>();
        private final Map<String, JobReceipt> batchKeys = new HashMap<>();
        private final List<String[]> edges = new ArrayList<>();
        private final Map<String, Integer> keyIndex = new HashMap<>();
        private PreparedStatement insert;
        private int batched;
        private boolean wrote;

        private record Target(JobState state, int depth) {
        }

        Inserter(Connection c, JobSql q, List<JobRequest> requests, SubmitRules rules, String traceparent) {
            this.c = c;
            this.traceparent = traceparent;
            this.q = q;
            this.requests = requests;
            this.rules = rules;
            this.receipts = new JobReceipt[requests.size()];
            this.depth = new int[requests.size()];
            for (int i = 0; i < requests.size(); i++) {
                if (requests.get(i).key() != null) {
                    keyIndex.putIfAbsent(requests.get(i).key(), i);
                }
            }
        }

        private String prefix(int i) {
            return requests.size() == 1 ? "" : "jobs[" + i + "].";
        }

        Submission run(List<Integer> order) throws SQLException {
            Submission refused = readTargets();
            if (refused == null) {
                refused = checkDepth(order);
            }
            if (refused != null) {
                return refused;
            }
            try (PreparedStatement ps = c.prepareStatement(q.insertJob)) {
                insert = ps;
                for (int i : order) {
                    refused = insertOne(i);
                    if (refused != null) {
                        return refused;
                    }
                }
                flush();
            }
            // No NOTIFY here: PostgreSQL cannot PREPARE a transaction that sent one, so it would break every
            // submission made in a two-phase (XA) transaction. The submitter announces the jobs after its commit
            // (JdbcJobStore.announceSubmitted, sent by the claim loop).
            if (!edges.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(q.insertDependency)) {
                    for (String[] edge : edges) {
                        ps.setString(1, edge[0]);
                        ps.setString(2, edge[1]);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            return Submission.accepted(List.of(receipts));
        }

        /** Reads the existing jobs the batch depends on (a plain read: see {@link Dependencies} for the race). */
        private Submission readTargets() throws SQLException {
            Map<JobId, Integer> newEdges = new HashMap<>();
            for (JobRequest r : requests) {
                for (JobId id : r.dependsOn()) {
                    newEdges.merge(id, 1, Integer::sum);
                }
            }
            if (newEdges.isEmpty()) {
                return null;
            }
            List<JobId> ids = new ArrayList<>(newEdges.keySet());
            Map<String, Long> dependents = new HashMap<>();
            for (int from = 0; from < ids.size(); from += 500) {
                List<JobId> chunk = ids.subList(from, Math.min(ids.size(), from + 500));
                try (PreparedStatement ps = c.prepareStatement(q.selectDependencyTargetsPrefix
                        + JobSql.placeholders(chunk.size()))) {
                    for (int k = 0; k < chunk.size(); k++) {
                        ps.setString(k + 1, chunk.get(k).toString());
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            targets.put(JobId.parse(rs.getString(1)),
                                    new Target(JobState.valueOf(rs.getString(2)), rs.getInt(3)));
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(q.countDependentsPrefix
                        + JobSql.placeholders(chunk.size()) + q.countDependentsSuffix)) {
                    for (int k = 0; k < chunk.size(); k++) {
                        ps.setString(k + 1, chunk.get(k).toString());
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            dependents.put(rs.getString(1), rs.getLong(2));
                        }
                    }
                }
            }
            for (int i = 0; i < requests.size(); i++) {
                List<JobId> deps = requests.get(i).dependsOn();
                for (int k = 0; k < deps.size(); k++) {
                    JobId id = deps.get(k);
                    Target t = targets.get(id);
                    String field = prefix(i) + "dependsOn[" + k + "]";
                    if (t == null) {
                        return Submission.rejected(field, "names no existing job: " + id, false);
                    }
                    if (unsatisfiable(t.state())) {
                        return Submission.rejected(field, Dependencies.UNSATISFIABLE + id + " is " + t.state()
                                + " and can never complete", false);
                    }
                    long total = dependents.getOrDefault(id.toString(), 0L) + newEdges.get(id);
                    if (total > rules.maxDependents()) {
                        return Submission.rejected(field, "job " + id + " would have " + total
                                + " dependents; at most " + rules.maxDependents() + " are allowed", false);
                    }
                }
            }
            return null;
        }

        /**
         * The depth limit, before anything is written (taking every batch job as new), so that a chain too deep is
         * refused without dooming the caller's transaction. Only a batch key that turns out to be an existing job
         * (through its idempotency key) can change a depth later: {@link #insertOne} applies the same rule
         * ({@link #depthRule}) to the depth it writes.
         */
        private Submission checkDepth(List<Integer> order) {
            int[] planned = new int[requests.size()];
            for (int i : order) {
                planned[i] = depthOf(requests.get(i), planned);
                Submission refused = depthRule(i, planned[i], false);
                if (refused != null) {
                    return refused;
                }
            }
            return null;
        }

        /**
         * @param batchDepths the depth of each batch job this one may depend on (planned, or as inserted)
         * @return the longest chain of dependencies below the job: one more than its deepest dependency's
         */
        private int depthOf(JobRequest r, int[] batchDepths) {
            int d = 0;
            for (JobId id : r.dependsOn()) {
                d = Math.max(d, targets.get(id).depth() + 1);
            }
            for (String key : r.dependsOnKeys()) {
                d = Math.max(d, batchDepths[indexOfKey(key)] + 1);
            }
            return d;
        }

        /** @return the refusal of job {@code i} if a chain of {@code d} is past the limit, else null */
        private Submission depthRule(int i, int d, boolean wrote) {
            if (d <= rules.maxDepth()) {
                return null;
            }
            return Submission.rejected(prefix(i) + "dependsOn", "makes a chain of " + d + " dependencies; at most "
                    + rules.maxDepth() + " are allowed", wrote);
        }

        private Submission insertOne(int i) throws SQLException {
            JobRequest r = requests.get(i);
            int open = 0;
            List<String> dependsOn = new ArrayList<>();
            for (JobId id : r.dependsOn()) {
                open += targets.get(id).state() == JobState.COMPLETED ? 0 : 1;
                dependsOn.add(id.toString());
            }
            for (String key : r.dependsOnKeys()) {
                int j = indexOfKey(key);
                JobReceipt dep = receipts[j];
                if (unsatisfiable(dep.state())) {
                    // Only possible when the key resolved to an existing job through its idempotency key.
                    return Submission.rejected(prefix(i) + "dependsOnKeys", Dependencies.UNSATISFIABLE + dep.id()
                            + " (key '" + key + "') is " + dep.state() + " and can never complete", wrote);
                }
                open += dep.state() == JobState.COMPLETED ? 0 : 1;
                dependsOn.add(dep.id().toString());
            }
            int d = depthOf(r, depth);
            Submission tooDeep = depthRule(i, d, wrote);
            if (tooDeep != null) {
                return tooDeep;
            }
            JobState initial = JobTransitions.target(null, open > 0 ? JobEvent.SUBMIT_PENDING : JobEvent.SUBMIT);
            String batchKey = r.idempotencyKey() == null ? null : r.queue() + "\u0000" + r.idempotencyKey();
            if (batchKey != null) {
                // A key repeated inside one batch means the same job: the later requests get the first one's receipt.
                JobReceipt seen = batchKeys.get(batchKey);
                if (seen != null) {
                    receipts[i] = new JobReceipt(seen.id(), seen.state(), false);
                    depth[i] = d;
                    return null;
                }
            }
            JobId id = JobId.random();
            if (batchKey == null) {
                bind(insert, r, id, initial, open, d);
                insert.addBatch();
                batched++;
            } else {
                flush(); // keeps submission order, and lets a duplicate key be told apart from other errors
                Object[] existing = insertUnlessKeyExists(r, id, initial, open, d);
                if (existing != null) {
                    receipts[i] = new JobReceipt((JobId) existing[0], (JobState) existing[1], false);
                    depth[i] = (Integer) existing[2];
                    batchKeys.put(batchKey, receipts[i]);
                    return null;
                }
            }
            wrote = true;
            receipts[i] = new JobReceipt(id, initial, true);
            depth[i] = d;
            if (batchKey != null) {
                batchKeys.put(batchKey, receipts[i]);
            }
            for (String target : dependsOn) {
                edges.add(new String[] {id.toString(), target});
            }
            return null;
        }

        private int indexOfKey(String key) {
            Integer j = keyIndex.get(key);
            if (j == null) {
                throw new IllegalArgumentException("no job with key " + key + " (the batch graph was not checked)");
            }
            return j;
        }

        private void bind(PreparedStatement insert, JobRequest r, JobId id, JobState initial, int open, int d)
                throws SQLException {
            int i = 1;
            insert.setString(i++, id.toString());
            insert.setString(i++, r.type());
            insert.setString(i++, r.queue());
            insert.setString(i++, initial.name());
            insert.setInt(i++, r.priority());
            insert.setInt(i++, r.maxAttempts());
            insert.setLong(i++, r.timeout().toMillis());
            insert.setString(i++, r.payloadJson());
            insert.setString(i++, r.idempotencyKey());
            if (r.runAt() != null) {
                insert.setTimestamp(i++, Timestamp.from(r.runAt()));
            } else {
                insert.setNull(i++, Types.TIMESTAMP);
            }
            insert.setLong(i++, r.delay() == null ? 0 : r.delay().toMillis());
            insert.setInt(i++, open);
            insert.setInt(i++, d);
            if (r.hasDependencies()) {
                long lifetime = r.lifetime() == null ? rules.defaultLifetimeMs() : r.lifetime().toMillis();
                insert.setLong(i++, lifetime);
                insert.setLong(i++, lifetime);
                insert.setLong(i++, lifetime);
            } else {
                insert.setNull(i++, Types.BIGINT);
                insert.setNull(i++, Types.BIGINT);
                insert.setLong(i++, 0);
            }
            insert.setString(i, traceparent);
        }

        private void flush() throws SQLException {
            if (batched > 0) {
                insert.executeBatch();
                batched = 0;
            }
        }

        /**
         * Inserts the bound job unless its idempotency key exists. A concurrent uncommitted insert of the same key
         * makes every database wait here until that transaction ends.
         *
         * @return {id, state, depth} of the existing job, or null if this one was inserted
         */
        private Object[] insertUnlessKeyExists(JobRequest r, JobId id, JobState initial, int open, int d)
                throws SQLException {
            if (q.dialect == SqlDialect.POSTGRESQL) {
                // PostgreSQL: a failed statement would abort the whole transaction, so never let the insert fail.
                try (PreparedStatement ps = c.prepareStatement(q.insertJobUnlessKeyExists)) {
                    bind(ps, r, id, initial, open, d);
                    if (ps.executeUpdate() == 1) {
                        return null;
                    }
                }
            } else {
                // H2 and MariaDB roll back only the failed statement: the caller's transaction goes on.
                try {
                    bind(insert, r, id, initial, open, d);
                    insert.executeUpdate();
                    return null;
                } catch (SQLException e) {
                    if (!SqlDialect.isUniqueViolation(e)) {
                        throw e;
                    }
                }
            }
            Object[] existing = findByKey(r);
            if (existing == null) {
                throw new SQLException("idempotency key '" + r.idempotencyKey() + "' in queue " + r.queue()
                        + " collided, but no job holds it");
            }
            return existing;
        }

        private Object[] findByKey(JobRequest r) throws SQLException {
            try (PreparedStatement find = c.prepareStatement(q.findByIdempotencyKey)) {
                find.setString(1, r.queue());
                find.setString(2, r.idempotencyKey());
                try (ResultSet rs = find.executeQuery()) {
                    return rs.next() ? new Object[] {JobId.parse(rs.getString(1)), JobState.valueOf(rs.getString(2)),
                        rs.getInt(3)} : null;
                }
            }
        }
    }

    private static boolean unsatisfiable(JobState state) {
        return state == JobState.FAILED || state == JobState.DEAD_LETTER || state == JobState.CANCELLED;
    }
}
