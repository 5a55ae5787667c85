package dev.dukequeue.engine.store;

import dev.dukequeue.engine.database.JobNotifications;
import dev.dukequeue.engine.database.SqlDialect;
import dev.dukequeue.engine.database.StoreException;
import dev.dukequeue.ErrorCategory;
import dev.dukequeue.JobId;
import dev.dukequeue.JobReceipt;
import dev.dukequeue.JobRequest;
import dev.dukequeue.JobState;
import dev.dukequeue.engine.job.AttemptOutcome;
import dev.dukequeue.engine.job.ClaimedJob;
import dev.dukequeue.engine.job.JobEvent;
import dev.dukequeue.engine.job.JobTransitions;
import dev.dukequeue.engine.job.Lease;
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
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.IntToLongFunction;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The job store: every write the engine makes to the database, as native statements ({@link JobSql}) with the
 * database's clock, {@code FOR UPDATE SKIP LOCKED} claims and lease-fenced transitions whose affected-row counts are
 * checked.
 *
 * <p><b>Transactions.</b> In the container this is an EJB with container-managed transactions: {@link #insert} joins the
 * caller's transaction (that is what makes a submission roll back with the application's work); every other method
 * runs in a transaction of its own. An EJB, not a CDI bean with {@code @Transactional}, on purpose: the dispatcher calls
 * the store from threads of the container's ManagedThreadFactory, and on such threads Payara begins the JTA transaction
 * but does not enlist the JDBC connection in it (each statement then commits on its own); an EJB invocation gives the
 * connection its transaction on any thread ({@code StoreTransactionsIT} proves it). Outside a container (the store
 * tests) the caller supplies the transaction on the connections of the given data source. SQL errors surface as
 * {@link StoreException}, which rolls the transaction back.
 *
 * <p>Thread-safe: it holds no state but its data source and lazily detected dialect.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class JdbcJobStore {

    private static final Logger LOG = Logger.getLogger(JdbcJobStore.class.getName());

    @Resource(lookup = "java:app/jdbc/dukequeue")
    private DataSource dataSource;

    private volatile JobSql sql;

    /** For the container. */
    public JdbcJobStore() {
    }

    /** For use outside a container, on a data source whose connections the caller puts in a transaction. */
    public JdbcJobStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Stores new jobs without dependencies between them, in the caller's transaction (see
     * {@link #submit(List, List, SubmitRules)}).
     *
     * @return one receipt per request, in order
     * @throws StoreException if a request broke a dependency rule
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public List<JobReceipt> insert(List<JobRequest> requests) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            order.add(i);
        }
        Submission s = submit(requests, order, SubmitRules.DEFAULTS);
        if (s.rejected()) {
            throw new StoreException(s.field() + " " + s.rule(), new SQLException("rejected"));
        }
        return s.receipts();
    }

    /**
     * Stores new jobs in the caller's transaction: SCHEDULED, or PENDING while a dependency has not completed.
     * A request whose idempotency key already exists in its queue returns the existing job instead; if another
     * transaction is inserting the same key right now, this waits for it: its commit returns its job, its rollback
     * lets this one create the job (race-free on every database).
     *
     * @param requests requests whose batch graph {@code DependencyGraph} has checked
     * @param order    the order to insert them in (dependencies first)
     * @param rules    the limits for dependencies on existing jobs
     * @return the receipts in request order, or the rule a request broke
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public Submission submit(List<JobRequest> requests, List<Integer> order, SubmitRules rules) {
        try (Connection c = dataSource.getConnection()) {
            return new Inserter(c, sql(c), requests, rules).run(order);
        } catch (SQLException e) {
            throw new StoreException("insert of " + requests.size() + " job(s)", e);
        }
    }

    /** One submission's insert: dependency targets, idempotency, initial states, then the dependency rows. */
    private static final class Inserter {
        private final Connection c;
        private final JobSql q;
        private final List<JobRequest> requests;
        private final SubmitRules rules;
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

        Inserter(Connection c, JobSql q, List<JobRequest> requests, SubmitRules rules) {
            this.c = c;
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
            if (q.dialect == SqlDialect.POSTGRESQL && java.util.Arrays.stream(receipts)
                    .anyMatch(r -> r.created() && r.state() == JobState.SCHEDULED)) {
                // Delivered at commit (not at all on rollback): idle nodes wake now, not at their next poll.
                try (Statement s = c.createStatement()) {
                    s.execute("NOTIFY " + JobNotifications.CHANNEL);
                }
            }
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
                        + JobSql.placeholders(chunk.size()) + " GROUP BY depends_on")) {
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
         * The depth limit, before anything is written (taking every batch job as new). Only a batch key that turns out
         * to be an existing job (through its idempotency key) can change a depth later; that rare case is checked
         * again while inserting.
         */
        private Submission checkDepth(List<Integer> order) {
            int[] planned = new int[requests.size()];
            for (int i : order) {
                JobRequest r = requests.get(i);
                int d = 0;
                for (JobId id : r.dependsOn()) {
                    d = Math.max(d, targets.get(id).depth() + 1);
                }
                for (String key : r.dependsOnKeys()) {
                    d = Math.max(d, planned[indexOfKey(key)] + 1);
                }
                if (d > rules.maxDepth()) {
                    return Submission.rejected(prefix(i) + "dependsOn", "makes a chain of " + d
                            + " dependencies; at most " + rules.maxDepth() + " are allowed", false);
                }
                planned[i] = d;
            }
            return null;
        }

        private Submission insertOne(int i) throws SQLException {
            JobRequest r = requests.get(i);
            int open = 0;
            int d = 0;
            List<String> dependsOn = new ArrayList<>();
            for (JobId id : r.dependsOn()) {
                Target t = targets.get(id);
                open += t.state() == JobState.COMPLETED ? 0 : 1;
                d = Math.max(d, t.depth() + 1);
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
                d = Math.max(d, depth[j] + 1);
                dependsOn.add(dep.id().toString());
            }
            if (d > rules.maxDepth()) {
                return Submission.rejected(prefix(i) + "dependsOn", "makes a chain of " + d
                        + " dependencies; at most " + rules.maxDepth() + " are allowed", wrote);
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
                insert.setLong(i, lifetime);
            } else {
                insert.setNull(i++, Types.BIGINT);
                insert.setNull(i++, Types.BIGINT);
                insert.setLong(i, 0);
            }
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

    /**
     * Leases up to {@code limit} due jobs of the given types, highest priority first, then in submission order.
     * Rows locked by other claimers are skipped, never waited for. The claimed row itself records the attempt it starts
     * (lease owner, start, run number): nothing else is written.
     *
     * @param owner   the claiming node incarnation
     * @param types   the job types this node has handlers for
     * @param limit   at most this many (the node's free worker slots)
     * @param leaseMs lease duration, on the database clock
     * @return the claimed jobs in priority, then submission order
     */
    public List<ClaimedJob> claim(String owner, Collection<String> types, int limit, long leaseMs) {
        return claim(owner, types, limit, leaseMs, Map.of());
    }

    /**
     * Like {@link #claim(String, Collection, int, long)}, honouring queue limits: a queue with a cluster-wide
     * {@code max_running} is claimed under its dq_queue row lock, after counting its RUNNING jobs, so that no two nodes
     * can both take its last free place; {@code nodeFree} caps queues limited on this node. Limited queues are claimed
     * first (they cannot take more than their limit), the rest of the free slots go to the other queues.
     *
     * @param nodeFree free places per queue limited on this node
     */
    public List<ClaimedJob> claim(String owner, Collection<String> types, int limit, long leaseMs,
            Map<String, Integer> nodeFree) {
        if (limit <= 0 || types.isEmpty()) {
            return List.of();
        }
        try (Connection c = dataSource.getConnection()) {
            if (!c.getAutoCommit()) {
                return claimOn(c, sql(c), owner, types, limit, leaseMs, nodeFree); // the caller's transaction
            }
            return claimAutonomously(c, sql(c), owner, types, limit, leaseMs, nodeFree);
        } catch (SQLException e) {
            throw new StoreException("claim", e);
        }
    }

    /**
     * A claim on a connection in auto-commit mode (the dispatcher's: no transaction around it): with no queue limited,
     * the claim is one statement, its own transaction (one round trip less than BEGIN ... COMMIT); otherwise the
     * limited queues are claimed under their row locks in a local transaction, committed here.
     */
    private static List<ClaimedJob> claimAutonomously(Connection c, JobSql q, String owner, Collection<String> types,
            int limit, long leaseMs, Map<String, Integer> nodeFree) throws SQLException {
        if (nodeFree.isEmpty() && q.dialect.claimsWithReturning()) {
            // One statement that claims only while no queue is limited (its NOT EXISTS sees the limits as of the
            // statement): rows claimed mean no limit applied. No rows: nothing due, or limited queues, which the
            // transaction below handles under their row locks.
            List<ClaimedJob> claimed = claimWhere(c, q, owner, UUID.randomUUID().toString(), types, q.noQueueLimited,
                    List.of(), limit, leaseMs);
            if (!claimed.isEmpty()) {
                claimed.sort(Comparator.comparingInt(ClaimedJob::priority).thenComparingLong(ClaimedJob::seq));
                return claimed;
            }
            if (queueLimits(c, q).isEmpty()) {
                return claimed; // nothing due
            }
        }
        c.setAutoCommit(false);
        try {
            List<ClaimedJob> claimed = claimOn(c, q, owner, types, limit, leaseMs, nodeFree);
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
            long leaseMs, Map<String, Integer> nodeFree) throws SQLException {
        String token = UUID.randomUUID().toString();
        Map<String, Integer> global = queueLimits(c, q);
        java.util.SortedSet<String> limited = new java.util.TreeSet<>(global.keySet());
        limited.addAll(nodeFree.keySet());
        List<ClaimedJob> claimed = new ArrayList<>();
        for (String queue : limited) {
            int room = Math.min(limit - claimed.size(), nodeFree.getOrDefault(queue, Integer.MAX_VALUE));
            if (room > 0 && global.containsKey(queue)) {
                room = Math.min(room, globalRoom(c, q, queue));
            }
            if (room > 0) {
                claimed.addAll(claimWhere(c, q, owner, token, types, " AND queue = ?", List.of(queue), room, leaseMs));
            }
        }
        int rest = limit - claimed.size();
        if (rest > 0) {
            String others = limited.isEmpty() ? "" : " AND queue NOT IN " + JobSql.placeholders(limited.size());
            claimed.addAll(claimWhere(c, q, owner, token, types, others, List.copyOf(limited), rest, leaseMs));
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

    private static Map<String, Integer> queueLimits(Connection c, JobSql q) throws SQLException {
        Map<String, Integer> limits = new java.util.TreeMap<>();
        try (PreparedStatement ps = c.prepareStatement(q.selectQueueLimits); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                limits.put(rs.getString(1), rs.getInt(2));
            }
        }
        return limits;
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
                ? claimReturning(c, q, owner, token, types, queueCondition, queueParams, limit, leaseMs)
                : claimSelectThenUpdate(c, q, owner, token, types, queueCondition, queueParams, limit, leaseMs);
    }

    private static List<ClaimedJob> claimReturning(Connection c, JobSql q, String owner, String token,
            Collection<String> types, String queueCondition, List<String> queueParams, int limit, long leaseMs)
            throws SQLException {
        String statement = q.claimReturningPrefix + JobSql.placeholders(types.size()) + queueCondition
                + q.claimReturningSuffix;
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

    /** Reads a claimed row by position: both claim statements return JobSql's claim columns, then run_at and db_now. */
    private static ClaimedJob claimedJob(ResultSet rs, String owner, String token, int increment) throws SQLException {
        JobId id = JobId.parse(rs.getString(1));
        int runNo = rs.getInt(8) + increment;
        return new ClaimedJob(new Lease(id, owner, token, runNo), rs.getString(2), rs.getString(3),
                rs.getInt(4), rs.getLong(5), rs.getInt(6) + increment, rs.getInt(7),
                rs.getLong(9), rs.getString(10), rs.getString(11),
                Math.max(0, rs.getTimestamp(13).getTime() - rs.getTimestamp(12).getTime()));
    }

    /**
     * RUNNING -> COMPLETED with the result; the row is the record of the successful attempt.
     *
     * @return false if the lease was lost (the rescuer, a cancel or another node got there first): nothing changed
     */
    public boolean complete(Lease lease, String resultJson) {
        return completeAll(List.of(new Completion(lease, resultJson)))[0];
    }

    /** One successful attempt's outcome, for {@link #completeAll}. */
    public record Completion(Lease lease, String resultJson) {
    }

    /**
     * RUNNING -> COMPLETED for many jobs in one transaction (one commit), each through its own lease fence: a job
     * whose lease was lost is left alone and reported false, the others complete (each row then records its successful
     * attempt, with the node that ran it in {@code ran_on}: no attempt row is written), and the
     * jobs that wait on them are counted down, in the same transaction. Rows are written in job-id order, so two
     * batches never wait on each other's rows in opposite orders.
     *
     * @return per completion, in the given order, true if it was written
     */
    public boolean[] completeAll(List<Completion> completions) {
        boolean[] written = new boolean[completions.size()];
        if (completions.isEmpty()) {
            return written;
        }
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
        try (Connection c = dataSource.getConnection()) {
            completeOn(c, sql(c), completions, order, ids, written);
            return written;
        } catch (SQLException e) {
            throw new StoreException("completion of " + completions.size() + " job(s)", e);
        }
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

    /**
     * Moves a job out of RUNNING after a failed attempt: FAIL_RETRYABLE or RESCUE (back to SCHEDULED after
     * {@code backoffMs}), FAIL_PERMANENT (FAILED), EXHAUST or RESCUE_EXHAUSTED (DEAD_LETTER).
     *
     * @return false if the lease was lost: nothing changed
     */
    public boolean fail(Lease lease, JobEvent event, Failure failure, long backoffMs) {
        try (Connection c = dataSource.getConnection()) {
            return leaveRunning(c, sql(c), lease.jobId(), lease.owner(), lease.token(), lease.runNo(), event, failure,
                    backoffMs);
        } catch (SQLException e) {
            throw new StoreException(event + " of " + lease.jobId(), e);
        }
    }

    /**
     * Gives a RUNNING job back at this node's shutdown (its handler ended on the stop request): SCHEDULED, due now,
     * without charging the attempt, while the job has been released fewer than {@code maxReleases} times; after that
     * the release charges the attempt like a failure ({@link Releases}).
     *
     * @param maxReleases {@code dukequeue.release.max}: how many releases a job gets for free (0: none)
     * @param backoffMs   the retry delay for a given attempt number, for a charged release
     * @return what happened; {@link ReleaseOutcome#LEASE_LOST} if the lease was lost: nothing changed
     */
    public ReleaseOutcome release(Lease lease, String reason, int maxReleases, IntToLongFunction backoffMs) {
        try (Connection c = dataSource.getConnection()) {
            return Releases.release(c, sql(c), lease, reason, maxReleases, backoffMs);
        } catch (SQLException e) {
            throw new StoreException("release of " + lease.jobId(), e);
        }
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

    /**
     * Saves a running job's checkpoint, through its lease fence.
     *
     * @return false if the lease is gone: nothing was saved
     */
    public boolean saveCheckpoint(Lease lease, String json) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql(c).saveCheckpoint)) {
            ps.setString(1, json);
            ps.setString(2, lease.jobId().toString());
            ps.setString(3, lease.token());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("checkpoint of " + lease.jobId(), e);
        }
    }

    /**
     * Saves a running job's progress, through its lease fence.
     *
     * @return false if the lease is gone: nothing was saved
     */
    public boolean saveProgress(Lease lease, int percent, String message) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql(c).saveProgress)) {
            ps.setInt(1, percent);
            ps.setString(2, message);
            ps.setString(3, lease.jobId().toString());
            ps.setString(4, lease.token());
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new StoreException("progress of " + lease.jobId(), e);
        }
    }

    /**
     * Extends the leases this node still holds.
     *
     * @return the jobs whose lease is gone (cancelled, rescued, or otherwise moved on): their handlers must stop
     */
    public Set<JobId> renewLeases(Collection<Lease> leases, long leaseMs) {
        Set<JobId> lost = new HashSet<>();
        if (leases.isEmpty()) {
            return lost;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql(c).renewLease)) {
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
        } catch (SQLException e) {
            throw new StoreException("lease renewal of " + leases.size() + " job(s)", e);
        }
    }

    /**
     * Takes back up to {@code limit} jobs whose lease expired (their node died, stalled or lost the database): back to
     * SCHEDULED with the attempt counted and a backoff, or DEAD_LETTER when no attempts remain or the job has now lost
     * its worker {@code poisonThreshold} times (a poison pill).
     *
     * @param backoffMs the retry delay for a given attempt number
     * @return what was rescued
     */
    public List<RescuedJob> rescueExpiredLeases(int limit, IntToLongFunction backoffMs, int poisonThreshold) {
        try (Connection c = dataSource.getConnection()) {
            JobSql q = sql(c);
            try (PreparedStatement ps = c.prepareStatement(q.selectExpiredLeases)) {
                ps.setInt(1, limit);
                return takeBack(c, q, lockedLeases(ps), "lease expired: node %s stopped renewing it during attempt %d",
                        backoffMs, poisonThreshold);
            }
        } catch (SQLException e) {
            throw new StoreException("rescue of expired leases", e);
        }
    }

    /**
     * Start-up recovery: takes back, at once, the RUNNING jobs that earlier incarnations of this node held when they
     * died (kill -9, power loss, a handler that halted the JVM), instead of waiting for their leases to expire. Jobs
     * leased by other nodes are left alone. Same outcome rules as {@link #rescueExpiredLeases}.
     *
     * @param nodeName     this node's stable name
     * @param currentOwner this incarnation's owner string, whose leases are kept
     * @return what was reclaimed
     */
    public List<RescuedJob> reclaimEarlierIncarnations(String nodeName, String currentOwner, int limit,
            IntToLongFunction backoffMs, int poisonThreshold) {
        String prefix = nodeName + "#";
        try (Connection c = dataSource.getConnection()) {
            JobSql q = sql(c);
            try (PreparedStatement ps = c.prepareStatement(q.selectEarlierIncarnationLeases)) {
                ps.setInt(1, prefix.length());
                ps.setString(2, prefix);
                ps.setString(3, currentOwner);
                ps.setInt(4, limit);
                return takeBack(c, q, lockedLeases(ps), "node %s restarted while running attempt %d (start-up recovery)",
                        backoffMs, poisonThreshold);
            }
        } catch (SQLException e) {
            throw new StoreException("start-up recovery of node " + nodeName, e);
        }
    }

    private record LostLease(JobId id, String owner, String token, int runNo, int attempt, int maxAttempts, int losses,
            String queue) {
    }

    private static List<LostLease> lockedLeases(PreparedStatement ps) throws SQLException {
        List<LostLease> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new LostLease(JobId.parse(rs.getString(1)), rs.getString(2), rs.getString(3), rs.getInt(4),
                        rs.getInt(5), rs.getInt(6), rs.getInt(7), rs.getString(8)));
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
            if (leaveRunning(c, q, e.id(), e.owner(), e.token(), e.runNo(), event, failure,
                    backoffMs.applyAsLong(e.attempt()))) {
                rescued.add(new RescuedJob(e.id(), e.owner(), JobTransitions.targetOf(event), poisoned, e.queue()));
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

    /**
     * Applies an operator's event (CANCEL, REDRIVE) to one job, guarded by the transition table under a row lock.
     *
     * @return what happened: not found, not allowed in the job's state (nothing changed), or applied
     */
    public Transition apply(JobId id, JobEvent event) {
        if (event != JobEvent.CANCEL && event != JobEvent.REDRIVE) {
            throw new IllegalArgumentException("not an operator event: " + event);
        }
        try (Connection c = dataSource.getConnection()) {
            JobSql q = sql(c);
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
                    recordEndedAttempt(c, q, id, owner, runNo, 0,
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
        } catch (SQLException e) {
            throw new StoreException(event + " of " + id, e);
        }
    }

    /**
     * Dead-letters PENDING jobs whose lifetime ran out before their dependencies completed (playbook 6: blocked jobs
     * do not wait forever), and the jobs that wait on them.
     *
     * @return the ids dead-lettered directly (not counting their dependents)
     */
    public List<JobId> expirePending(int limit) {
        try (Connection c = dataSource.getConnection()) {
            JobSql q = sql(c);
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
                LOG.warning(() -> "Dependency not satisfiable: job " + e[0] + " -> " + target + "; its " + reason);
                JobId id = JobId.parse(e[0]);
                ended.add(id);
                Dependencies.unsatisfiable(c, q, id, target);
            }
            return ended;
        } catch (SQLException e) {
            throw new StoreException("expiry of pending jobs", e);
        }
    }

    /**
     * Settles PENDING jobs whose dependency count is off (a dependency ended while their submission was still
     * uncommitted, so it could not see them) or that wait on a dependency that can never complete.
     *
     * @return how many jobs changed
     */
    public int repairDependencies(int limit) {
        try (Connection c = dataSource.getConnection()) {
            return Dependencies.repair(c, sql(c), limit);
        } catch (SQLException e) {
            throw new StoreException("dependency repair", e);
        }
    }

    /**
     * Pauses or resumes a queue for every node: a paused queue keeps accepting submissions, and no node claims its jobs.
     * Running jobs are not touched.
     */
    public void setPaused(String queue, boolean paused) {
        try (Connection c = dataSource.getConnection()) {
            JobSql q = sql(c);
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
        } catch (SQLException e) {
            // A concurrent first pause of the same queue loses on the primary key; the guard's retry then updates.
            throw new StoreException((paused ? "pause" : "resume") + " of queue " + queue, e);
        }
    }

    /**
     * Sets or removes (null) a queue's cluster-wide limit on RUNNING jobs.
     */
    public void setMaxRunning(String queue, Integer maxRunning) {
        try (Connection c = dataSource.getConnection()) {
            JobSql q = sql(c);
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
        } catch (SQLException e) {
            throw new StoreException("limit of queue " + queue, e);
        }
    }

    private static void setNullableInt(PreparedStatement ps, int index, Integer value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, value);
        }
    }

    /** @return the cluster-wide RUNNING limit of each limited queue */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Map<String, Integer> queueLimits() {
        try (Connection c = dataSource.getConnection()) {
            return queueLimits(c, sql(c));
        } catch (SQLException e) {
            throw new StoreException("reading queue limits", e);
        }
    }

    /**
     * @return the ids of finished jobs a bulk re-drive takes, oldest first (dependencies before their dependents)
     */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<JobId> selectForRedrive(String state, String queue, String type, Instant finishedFrom,
            Instant finishedTo, int limit) {
        StringBuilder select = new StringBuilder("SELECT id FROM dq_job WHERE state = ?");
        List<Object> params = new ArrayList<>(List.of(state));
        if (queue != null) {
            select.append(" AND queue = ?");
            params.add(queue);
        }
        if (type != null) {
            select.append(" AND type = ?");
            params.add(type);
        }
        if (finishedFrom != null) {
            select.append(" AND finished_at >= ?");
            params.add(Timestamp.from(finishedFrom));
        }
        if (finishedTo != null) {
            select.append(" AND finished_at < ?");
            params.add(Timestamp.from(finishedTo));
        }
        select.append(" ORDER BY seq LIMIT ?");
        params.add(limit);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(select.toString())) {
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
        } catch (SQLException e) {
            throw new StoreException("selecting jobs to re-drive", e);
        }
    }

    /** Stands for "never again" in a schedule's NOT NULL next_run_at (an expression with no instant left). */
    static final Instant NEVER = Instant.parse("9999-01-01T00:00:00Z");

    /**
     * Registers a recurring job: a new schedule fires first at its next instant after now (database clock); a known one
     * keeps its next run (so instants missed while every node was down are still enqueued), unless its timing changed.
     *
     * @return the schedule's next run
     */
    public Instant registerSchedule(ScheduleDefinition definition) {
        try (Connection c = dataSource.getConnection()) {
            JobSql q = sql(c);
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
        } catch (SQLException e) {
            throw new StoreException("registration of recurring job " + definition.name(), e);
        }
    }

    /**
     * Enqueues every due instant of the given schedules, each schedule under its row lock (schedules another node is
     * firing right now are skipped), each instant as a job with the idempotency key {@code recurring:<name>:<instant>}
     * (so an instant is one job even if two nodes ever raced for it). Catches up on missed instants, at most
     * {@code maxInstants} per schedule per call.
     *
     * @return the jobs enqueued
     */
    public List<FiredJob> fireDueSchedules(Map<String, ScheduleDefinition> definitions, int maxInstants) {
        if (definitions.isEmpty()) {
            return List.of();
        }
        try (Connection c = dataSource.getConnection()) {
            JobSql q = sql(c);
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
                for (int n = 0; at != null && !at.isAfter(now) && n < maxInstants; n++) {
                    JobRequest t = d.template();
                    JobRequest job = new JobRequest(t.type(), t.payloadJson(), t.queue(), t.priority(), at, null,
                            t.maxAttempts(), t.timeout(), "recurring:" + d.name() + ":" + at, null, List.of(), List.of(),
                            null);
                    Submission s = new Inserter(c, q, List.of(job), SubmitRules.DEFAULTS).run(List.of(0));
                    last = new FiredJob(d.name(), at, s.receipts().get(0));
                    fired.add(last);
                    at = d.next().apply(at);
                }
                try (PreparedStatement ps = c.prepareStatement(q.advanceSchedule)) {
                    ps.setTimestamp(1, Timestamp.from(at == null ? NEVER : at));
                    ps.setTimestamp(2, last == null ? null : Timestamp.from(last.instant()));
                    ps.setString(3, last == null ? null : last.receipt().id().toString());
                    ps.setString(4, d.name());
                    ps.executeUpdate();
                }
            }
            return fired;
        } catch (SQLException e) {
            throw new StoreException("firing recurring jobs", e);
        }
    }

    /** @return every schedule's row */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<ScheduleState> schedules() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql(c).selectSchedules);
             ResultSet rs = ps.executeQuery()) {
            List<ScheduleState> states = new ArrayList<>();
            while (rs.next()) {
                Timestamp last = rs.getTimestamp(3);
                states.add(new ScheduleState(rs.getString(1), rs.getTimestamp(2).toInstant(),
                        last == null ? null : last.toInstant(), rs.getString(4)));
            }
            return states;
        } catch (SQLException e) {
            throw new StoreException("reading schedules", e);
        }
    }

    private static Instant databaseTime(Connection c, JobSql q) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(q.databaseTime)) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    /** @return the queues paused now */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Set<String> pausedQueues() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql(c).selectPausedQueues);
             ResultSet rs = ps.executeQuery()) {
            Set<String> paused = new java.util.TreeSet<>();
            while (rs.next()) {
                paused.add(rs.getString(1));
            }
            return paused;
        } catch (SQLException e) {
            throw new StoreException("reading paused queues", e);
        }
    }

    /** @return jobs waiting in a queue (SCHEDULED or PENDING), read in the caller's transaction if there is one */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public long waitingCount(String queue) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql(c).countWaiting)) {
            ps.setString(1, queue);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new StoreException("counting waiting jobs of queue " + queue, e);
        }
    }

    /**
     * Retention: the next finished jobs of a state that finished before the cutoff, oldest first, after the given
     * position (keyset on finish time and id). Outside any transaction (see {@link #purge}).
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public List<PurgeCandidate> selectPurgeCandidates(String state, Instant cutoff, String queue, Instant afterFinishedAt,
            String afterId, int limit) {
        StringBuilder select = new StringBuilder("SELECT id, finished_at FROM dq_job WHERE state = ? AND finished_at < ?");
        if (queue != null) {
            select.append(" AND queue = ?");
        }
        if (afterFinishedAt != null) {
            select.append(" AND (finished_at > ? OR (finished_at = ? AND id > ?))");
        }
        select.append(" ORDER BY finished_at, id LIMIT ?");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(select.toString())) {
            int i = 1;
            ps.setString(i++, state);
            ps.setTimestamp(i++, Timestamp.from(cutoff));
            if (queue != null) {
                ps.setString(i++, queue);
            }
            if (afterFinishedAt != null) {
                ps.setTimestamp(i++, Timestamp.from(afterFinishedAt));
                ps.setTimestamp(i++, Timestamp.from(afterFinishedAt));
                ps.setString(i++, afterId);
            }
            ps.setInt(i, limit);
            List<PurgeCandidate> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new PurgeCandidate(rs.getString(1), state, rs.getTimestamp(2).toInstant()));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new StoreException("selecting " + state + " jobs to purge", e);
        }
    }

    /**
     * Retention: deletes the given finished jobs (their attempts and dependency rows go with them), re-checking state
     * and finish time, in a transaction of its own. (Not in the batch chunk's transaction: the batch runtime's job
     * repository is a second non-XA resource, which one local transaction cannot hold. Deleting is idempotent, so a
     * chunk that is redone after a crash finds its rows gone.)
     *
     * @return how many were deleted
     */
    public int purge(List<String> ids, String state, Instant cutoff) {
        if (ids.isEmpty()) {
            return 0;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "DELETE FROM dq_job WHERE state = ? AND finished_at < ? AND id IN " + JobSql.placeholders(ids.size()))) {
            ps.setString(1, state);
            ps.setTimestamp(2, Timestamp.from(cutoff));
            for (int k = 0; k < ids.size(); k++) {
                ps.setString(k + 3, ids.get(k));
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new StoreException("purge of " + ids.size() + " " + state + " job(s)", e);
        }
    }

    /** @return which of the idempotency keys already name a job in the queue */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Set<String> existingKeys(String queue, List<String> keys) {
        Set<String> found = new HashSet<>();
        try (Connection c = dataSource.getConnection()) {
            for (int from = 0; from < keys.size(); from += 500) {
                List<String> chunk = keys.subList(from, Math.min(keys.size(), from + 500));
                try (PreparedStatement ps = c.prepareStatement("SELECT idempotency_key FROM dq_job WHERE queue = ?"
                        + " AND idempotency_key IN " + JobSql.placeholders(chunk.size()))) {
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
        } catch (SQLException e) {
            throw new StoreException("looking up idempotency keys of queue " + queue, e);
        }
    }

    /** @return PENDING, SCHEDULED and RUNNING jobs per queue and state (the metrics' depth snapshot) */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Map<String, Map<JobState, Long>> activeCounts() {
        Map<String, Map<JobState, Long>> counts = new java.util.TreeMap<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(sql(c).countActive);
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                counts.computeIfAbsent(rs.getString(1), q -> new java.util.EnumMap<>(JobState.class))
                        .put(JobState.valueOf(rs.getString(2)), rs.getLong(3));
            }
            return counts;
        } catch (SQLException e) {
            throw new StoreException("counting active jobs", e);
        }
    }

    /** @return the database's current time, the clock every lease and due time is measured on */
    public Instant databaseTime() {
        try (Connection c = dataSource.getConnection();
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql(c).databaseTime)) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        } catch (SQLException e) {
            throw new StoreException("reading the database time", e);
        }
    }

    /**
     * @return a listener for stored work (PostgreSQL's {@code LISTEN}), or null on databases without notifications
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public JobNotifications notifications() {
        return dialect() == SqlDialect.POSTGRESQL ? new JobNotifications(dataSource) : null;
    }

    /** @return the dialect of the database behind this store */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public SqlDialect dialect() {
        try (Connection c = dataSource.getConnection()) {
            return sql(c).dialect;
        } catch (SQLException e) {
            throw new StoreException("detecting the database", e);
        }
    }

    private JobSql sql(Connection c) throws SQLException {
        JobSql q = sql;
        if (q == null) {
            q = new JobSql(SqlDialect.of(c));
            sql = q;
        }
        return q;
    }
}
