package dev.dukequeue.engine.store;

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
import java.util.List;
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
     * Stores new jobs as SCHEDULED, in the caller's transaction. A request whose idempotency key already exists in
     * its queue returns the existing job instead.
     *
     * @param requests validated requests
     * @return one receipt per request, in order
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public List<JobReceipt> insert(List<JobRequest> requests) {
        try (Connection c = dataSource.getConnection()) {
            JobSql q = sql(c);
            List<JobReceipt> receipts = new ArrayList<>(requests.size());
            JobState initial = JobTransitions.target(null, JobEvent.SUBMIT);
            // A key repeated inside one batch means the same job: the later requests get the first one's receipt.
            java.util.Map<String, JobReceipt> batchKeys = new java.util.HashMap<>();
            try (PreparedStatement find = c.prepareStatement(q.findByIdempotencyKey);
                 PreparedStatement insert = c.prepareStatement(q.insertJob)) {
                int batched = 0;
                for (JobRequest r : requests) {
                    String batchKey = r.idempotencyKey() == null ? null : r.queue() + "\u0000" + r.idempotencyKey();
                    if (batchKey != null) {
                        JobReceipt seen = batchKeys.get(batchKey);
                        JobReceipt existing = seen != null ? new JobReceipt(seen.id(), seen.state(), false) : existing(find, r);
                        if (existing != null) {
                            receipts.add(existing);
                            continue;
                        }
                    }
                    JobId id = JobId.random();
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
                    insert.setLong(i, r.delay() == null ? 0 : r.delay().toMillis());
                    insert.addBatch();
                    batched++;
                    JobReceipt receipt = new JobReceipt(id, initial, true);
                    receipts.add(receipt);
                    if (batchKey != null) {
                        batchKeys.put(batchKey, receipt);
                    }
                }
                if (batched > 0) {
                    insert.executeBatch();
                }
            }
            return receipts;
        } catch (SQLException e) {
            throw new StoreException("insert of " + requests.size() + " job(s)", e);
        }
    }

    private static JobReceipt existing(PreparedStatement find, JobRequest r) throws SQLException {
        find.setString(1, r.queue());
        find.setString(2, r.idempotencyKey());
        try (ResultSet rs = find.executeQuery()) {
            return rs.next() ? new JobReceipt(JobId.parse(rs.getString(1)), JobState.valueOf(rs.getString(2)), false) : null;
        }
    }

    /**
     * Leases up to {@code limit} due jobs of the given types, highest priority first, then in submission order.
     * Rows locked by other claimers are skipped, never waited for. One attempt row is opened per claimed job.
     *
     * @param owner   the claiming node incarnation
     * @param types   the job types this node has handlers for
     * @param limit   at most this many (the node's free worker slots)
     * @param leaseMs lease duration, on the database clock
     * @return the claimed jobs in priority, then submission order
     */
    public List<ClaimedJob> claim(String owner, Collection<String> types, int limit, long leaseMs) {
        if (limit <= 0 || types.isEmpty()) {
            return List.of();
        }
        String token = UUID.randomUUID().toString();
        try (Connection c = dataSource.getConnection()) {
            JobSql q = sql(c);
            List<ClaimedJob> claimed = q.dialect.claimsWithReturning()
                    ? claimReturning(c, q, owner, token, types, limit, leaseMs)
                    : claimSelectThenUpdate(c, q, owner, token, types, limit, leaseMs);
            if (!claimed.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement(q.insertAttempt)) {
                    for (ClaimedJob job : claimed) {
                        ps.setString(1, job.lease().jobId().toString());
                        ps.setInt(2, job.lease().runNo());
                        ps.setInt(3, job.attempt());
                        ps.setString(4, owner);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            }
            return claimed;
        } catch (SQLException e) {
            throw new StoreException("claim", e);
        }
    }

    private static List<ClaimedJob> claimReturning(Connection c, JobSql q, String owner, String token,
            Collection<String> types, int limit, long leaseMs) throws SQLException {
        String statement = q.claimReturningPrefix + JobSql.placeholders(types.size()) + q.claimReturningSuffix;
        try (PreparedStatement ps = c.prepareStatement(statement)) {
            int i = 1;
            ps.setString(i++, owner);
            ps.setString(i++, token);
            ps.setLong(i++, leaseMs);
            for (String type : types) {
                ps.setString(i++, type);
            }
            ps.setInt(i, limit);
            List<ClaimedJob> claimed = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    // RETURNING yields the updated values: attempt and run_count already count this claim.
                    claimed.add(claimedJob(rs, owner, token, 0));
                }
            }
            claimed.sort(Comparator.comparingInt(ClaimedJob::priority).thenComparingLong(ClaimedJob::seq));
            return claimed;
        }
    }

    private static List<ClaimedJob> claimSelectThenUpdate(Connection c, JobSql q, String owner, String token,
            Collection<String> types, int limit, long leaseMs) throws SQLException {
        String select = q.selectDueForUpdatePrefix + JobSql.placeholders(types.size()) + q.selectDueForUpdateSuffix;
        List<ClaimedJob> locked = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(select)) {
            int i = 1;
            for (String type : types) {
                ps.setString(i++, type);
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

    private static ClaimedJob claimedJob(ResultSet rs, String owner, String token, int increment) throws SQLException {
        JobId id = JobId.parse(rs.getString("id"));
        int runNo = rs.getInt("run_count") + increment;
        return new ClaimedJob(new Lease(id, owner, token, runNo), rs.getString("type"), rs.getString("queue"),
                rs.getInt("priority"), rs.getLong("seq"), rs.getInt("attempt") + increment, rs.getInt("max_attempts"),
                rs.getLong("timeout_ms"), rs.getString("payload"));
    }

    /**
     * RUNNING -> COMPLETED with the result, in one transaction with the attempt row.
     *
     * @return false if the lease was lost (the rescuer, a cancel or another node got there first): nothing changed
     */
    public boolean complete(Lease lease, String resultJson) {
        try (Connection c = dataSource.getConnection()) {
            JobSql q = sql(c);
            JobTransitions.target(JobState.RUNNING, JobEvent.SUCCEED);
            try (PreparedStatement ps = c.prepareStatement(q.complete)) {
                ps.setString(1, resultJson);
                ps.setString(2, lease.jobId().toString());
                ps.setString(3, lease.token());
                if (ps.executeUpdate() == 0) {
                    return false;
                }
            }
            closeAttempt(c, q, lease.jobId(), lease.runNo(), AttemptOutcome.SUCCEEDED, null);
            return true;
        } catch (SQLException e) {
            throw new StoreException("completion of " + lease.jobId(), e);
        }
    }

    /**
     * Moves a job out of RUNNING after a failed attempt: FAIL_RETRYABLE or RESCUE (back to SCHEDULED after
     * {@code backoffMs}), FAIL_PERMANENT (FAILED), EXHAUST or RESCUE_EXHAUSTED (DEAD_LETTER).
     *
     * @return false if the lease was lost: nothing changed
     */
    public boolean fail(Lease lease, JobEvent event, Failure failure, long backoffMs) {
        try (Connection c = dataSource.getConnection()) {
            return leaveRunning(c, sql(c), lease.jobId(), lease.token(), lease.runNo(), event, failure, backoffMs);
        } catch (SQLException e) {
            throw new StoreException(event + " of " + lease.jobId(), e);
        }
    }

    /**
     * Gives a RUNNING job back without charging the attempt (a graceful shutdown that outlasted the drain timeout):
     * SCHEDULED, due now.
     *
     * @return false if the lease was lost: nothing changed
     */
    public boolean release(Lease lease, String reason) {
        try (Connection c = dataSource.getConnection()) {
            return leaveRunning(c, sql(c), lease.jobId(), lease.token(), lease.runNo(), JobEvent.RELEASE,
                    Failure.observed(AttemptOutcome.RELEASED, ErrorCategory.SYSTEM, reason), 0);
        } catch (SQLException e) {
            throw new StoreException("release of " + lease.jobId(), e);
        }
    }

    /** The one fenced path out of RUNNING for failures, rescues and releases. */
    private static boolean leaveRunning(Connection c, JobSql q, JobId id, String token, int runNo, JobEvent event,
            Failure failure, long backoffMs) throws SQLException {
        JobState target = JobTransitions.target(JobState.RUNNING, event);
        // A rescue means the worker vanished without an outcome: that is what the poison-pill count counts.
        int leaseLost = event == JobEvent.RESCUE || event == JobEvent.RESCUE_EXHAUSTED ? 1 : 0;
        PreparedStatement ps;
        int i = 1;
        if (event == JobEvent.RELEASE) {
            ps = c.prepareStatement(q.release);
        } else if (target == JobState.SCHEDULED) {
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
        closeAttempt(c, q, id, runNo, failure.outcome(), failure);
        return true;
    }

    private static void closeAttempt(Connection c, JobSql q, JobId id, int runNo, AttemptOutcome outcome,
            Failure failure) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(q.closeAttempt)) {
            ps.setString(1, outcome.name());
            ps.setString(2, failure == null ? null : failure.category().name());
            ps.setString(3, failure == null ? null : failure.message());
            ps.setString(4, failure == null ? null : failure.stackTrace());
            ps.setString(5, id.toString());
            ps.setInt(6, runNo);
            ps.executeUpdate();
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
            List<Lease> ordered = new ArrayList<>(leases);
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

    private record LostLease(JobId id, String owner, String token, int runNo, int attempt, int maxAttempts, int losses) {
    }

    private static List<LostLease> lockedLeases(PreparedStatement ps) throws SQLException {
        List<LostLease> rows = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                rows.add(new LostLease(JobId.parse(rs.getString(1)), rs.getString(2), rs.getString(3), rs.getInt(4),
                        rs.getInt(5), rs.getInt(6), rs.getInt(7)));
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
            if (leaveRunning(c, q, e.id(), e.token(), e.runNo(), event, failure, backoffMs.applyAsLong(e.attempt()))) {
                rescued.add(new RescuedJob(e.id(), e.owner(), JobTransitions.targetOf(event), poisoned));
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
            try (PreparedStatement ps = c.prepareStatement(q.selectStateForUpdate)) {
                ps.setString(1, id.toString());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return new Transition(false, null, null);
                    }
                    current = JobState.valueOf(rs.getString(1));
                    runNo = rs.getInt(2);
                }
            }
            if (!JobTransitions.allows(current, event)) {
                return new Transition(true, current, current);
            }
            JobState target = JobTransitions.target(current, event);
            try (PreparedStatement ps = c.prepareStatement(event == JobEvent.CANCEL ? q.cancel : q.redrive)) {
                ps.setString(1, id.toString());
                ps.setString(2, current.name());
                if (ps.executeUpdate() == 0) {
                    throw new SQLException("job " + id + " changed under its row lock");
                }
            }
            if (event == JobEvent.CANCEL && current == JobState.RUNNING) {
                closeAttempt(c, q, id, runNo, AttemptOutcome.CANCELLED,
                        Failure.observed(AttemptOutcome.CANCELLED, ErrorCategory.SYSTEM, "cancelled while running"));
            }
            LOG.fine(() -> "job " + id + ": " + current + " -> " + target + " (" + event + ")");
            return new Transition(true, current, target);
        } catch (SQLException e) {
            throw new StoreException(event + " of " + id, e);
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
