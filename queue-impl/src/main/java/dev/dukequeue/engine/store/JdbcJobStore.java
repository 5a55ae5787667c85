package dev.dukequeue.engine.store;

import dev.dukequeue.JobId;
import dev.dukequeue.JobReceipt;
import dev.dukequeue.JobRequest;
import dev.dukequeue.JobState;
import dev.dukequeue.engine.database.JobNotifications;
import dev.dukequeue.engine.database.SqlDialect;
import dev.dukequeue.engine.database.StoreException;
import dev.dukequeue.engine.database.TransactionBoundary;
import dev.dukequeue.engine.database.TransactionBoundary.Attribute;
import dev.dukequeue.engine.job.ClaimedJob;
import dev.dukequeue.engine.job.JobEvent;
import dev.dukequeue.engine.job.Lease;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntToLongFunction;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * The job store: every read and write the engine makes to its job, queue and schedule tables, as native statements
 * ({@link JobSql}) with the database's clock, {@code FOR UPDATE SKIP LOCKED} claims and lease-fenced transitions whose
 * affected-row counts are checked. This class is the facade: it holds the transaction attributes and takes the
 * connection; the statements are run by one package-private class per concern ({@link Submissions}, {@link Claims},
 * {@link Outcomes} with {@link Releases}, {@link Leases}, {@link OperatorCommands}, {@link Dependencies},
 * {@link QueueSettings}, {@link Schedules}, {@link Retention}, {@link Indexes}).
 *
 * <p><b>Transactions.</b> In the container this is an EJB with container-managed transactions: {@link #insert} and
 * {@link #submit} join the caller's transaction (that is what makes a submission roll back with the application's
 * work); the reads marked {@code SUPPORTS} join one if there is one, those marked {@code NOT_SUPPORTED} run outside
 * any; every other method runs in a transaction of its own. An EJB, not a CDI bean with {@code @Transactional}, on
 * purpose: the dispatcher calls the store from threads of the container's ManagedThreadFactory, and on such threads
 * Payara begins the JTA transaction but does not enlist the JDBC connection in it (each statement then commits on its
 * own); an EJB invocation gives the connection its transaction on any thread ({@code StoreTransactionsIT} proves it).
 * Outside a container (the store tests) the caller supplies the transaction on the connections of the given data
 * source. SQL errors surface as {@link StoreException}, which rolls the transaction back.
 *
 * <p>In a host without an EJB container (the hand-built engine of a resource adapter) the attributes have no
 * container to read them: each method passes its attribute, with its statements, to the {@link TransactionBoundary}
 * the store was built with ({@code HostTransactions}: join the caller's JTA transaction, or a local transaction of its
 * own). In the container that boundary does nothing. The two must agree: a method's {@code @TransactionAttribute} and
 * the attribute it passes to {@code run} are the same (no attribute: the class's {@code REQUIRES_NEW}).
 *
 * <p>Thread-safe: it holds no state but its data source and lazily detected dialect.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
public class JdbcJobStore {

    @Resource(lookup = "java:app/jdbc/dukequeue")
    private DataSource dataSource;

    private volatile JobSql sql;
    private TransactionBoundary transactions = TransactionBoundary.CONTAINER;

    /** For the container. */
    public JdbcJobStore() {
    }

    /** For use outside a container, on a data source whose connections the caller puts in a transaction. */
    public JdbcJobStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * For a host without an EJB container: each method's transaction is demarcated by {@code transactions} from the
     * method's attribute.
     */
    public JdbcJobStore(DataSource dataSource, TransactionBoundary transactions) {
        this.dataSource = dataSource;
        this.transactions = transactions;
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
        return submit(requests, order, rules, null);
    }

    /**
     * As {@link #submit(List, List, SubmitRules)}, each job keeping the submitter's trace context.
     *
     * @param traceparent the W3C {@code traceparent} of the submitting span, or null
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public Submission submit(List<JobRequest> requests, List<Integer> order, SubmitRules rules, String traceparent) {
        return run(Attribute.REQUIRED, () -> "insert of " + requests.size() + " job(s)",
                (c, q) -> Submissions.submit(c, q, requests, order, rules, traceparent));
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
        return claim(owner, types, limit, leaseMs, nodeFree, Map.of());
    }

    /**
     * Like {@link #claim(String, Collection, int, long, Map)}; a job of a type in {@code onlyQueue} is claimed only
     * from that queue (its handler takes no other: a message-driven bean's {@code queue}).
     *
     * @param onlyQueue per restricted type, its one queue; types not in {@code types} are ignored
     */
    public List<ClaimedJob> claim(String owner, Collection<String> types, int limit, long leaseMs,
            Map<String, Integer> nodeFree, Map<String, String> onlyQueue) {
        return claim(owner, types, limit, leaseMs, nodeFree, onlyQueue, ClaimFloor.none());
    }

    /** Like {@link #claim(String, Collection, int, long, Map, Map)}, reading the claim index from a claim loop's floor. */
    public List<ClaimedJob> claim(String owner, Collection<String> types, int limit, long leaseMs,
            Map<String, Integer> nodeFree, Map<String, String> onlyQueue, ClaimFloor floor) {
        if (limit <= 0 || types.isEmpty()) {
            return List.of();
        }
        return run(() -> "claim", (c, q) -> Claims.claim(c, q, owner, types, limit, leaseMs, nodeFree,
                Claims.Restriction.of(types, onlyQueue), floor));
    }

    /**
     * RUNNING -> COMPLETED with the result; the row is the record of the successful attempt.
     * @return false if the lease was lost (the rescuer, a cancel or another node got there first): nothing changed
     */
    public boolean complete(Lease lease, String resultJson) {
        return completeAll(List.of(new Completion(lease, resultJson)))[0];
    }

    /**
     * RUNNING -> COMPLETED in the caller's transaction ({@code REQUIRED} in both hosts: joined when the caller has one,
     * else a transaction of its own), fenced by the lease exactly as {@link #complete} is. For a handler that writes
     * its job's outcome in the same transaction as its own work (a message-driven bean's delivery), so that the work
     * and the outcome commit or roll back together; the handler then tells the dispatcher it settled the job.
     *
     * @return false if the fence refused it (the lease was lost: rescued, cancelled or taken over): nothing changed
     */
    @TransactionAttribute(TransactionAttributeType.REQUIRED)
    public boolean completeInCallerTransaction(Lease lease, String resultJson) {
        return run(Attribute.REQUIRED, () -> "completion of " + lease.jobId() + " in the caller's transaction",
                (c, q) -> Outcomes.completeAll(c, q, List.of(new Completion(lease, resultJson))))[0];
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
     * @return per completion, in the given order, true if it was written
     */
    public boolean[] completeAll(List<Completion> completions) {
        if (completions.isEmpty()) {
            return new boolean[0];
        }
        return run(() -> "completion of " + completions.size() + " job(s)",
                (c, q) -> Outcomes.completeAll(c, q, completions));
    }

    /**
     * Moves a job out of RUNNING after a failed attempt: FAIL_RETRYABLE or RESCUE (back to SCHEDULED after
     * {@code backoffMs}), FAIL_PERMANENT (FAILED), EXHAUST or RESCUE_EXHAUSTED (DEAD_LETTER).
     * @return false if the lease was lost: nothing changed
     */
    public boolean fail(Lease lease, JobEvent event, Failure failure, long backoffMs) {
        return run(() -> event + " of " + lease.jobId(),
                (c, q) -> Outcomes.fail(c, q, lease, event, failure, backoffMs));
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
        return run(() -> "release of " + lease.jobId(),
                (c, q) -> Releases.release(c, q, lease, reason, maxReleases, backoffMs));
    }

    /** Saves a running job's checkpoint, through its lease fence. @return false if the lease is gone: nothing saved */
    public boolean saveCheckpoint(Lease lease, String json) {
        return run(() -> "checkpoint of " + lease.jobId(), (c, q) -> Outcomes.saveCheckpoint(c, q, lease, json));
    }

    /** Saves a running job's progress, through its lease fence. @return false if the lease is gone: nothing saved */
    public boolean saveProgress(Lease lease, int percent, String message) {
        return run(() -> "progress of " + lease.jobId(),
                (c, q) -> Outcomes.saveProgress(c, q, lease, percent, message));
    }

    /** Extends the leases this node still holds. @return the jobs whose lease is gone: their handlers must stop */
    public Set<JobId> renewLeases(Collection<Lease> leases, long leaseMs) {
        if (leases.isEmpty()) {
            return new java.util.HashSet<>();
        }
        return run(() -> "lease renewal of " + leases.size() + " job(s)",
                (c, q) -> Leases.renew(c, q, leases, leaseMs));
    }

    /**
     * Takes back up to {@code limit} jobs whose lease expired (their node died, stalled or lost the database): back to
     * SCHEDULED with the attempt counted and a backoff, or DEAD_LETTER when no attempts remain or the job has now lost
     * its worker {@code poisonThreshold} times (a poison pill).
     * @param backoffMs the retry delay for a given attempt number
     * @return what was rescued
     */
    public List<RescuedJob> rescueExpiredLeases(int limit, IntToLongFunction backoffMs, int poisonThreshold) {
        return run(() -> "rescue of expired leases",
                (c, q) -> Leases.rescueExpired(c, q, limit, backoffMs, poisonThreshold));
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
        return run(() -> "start-up recovery of node " + nodeName, (c, q) -> Leases.reclaimEarlierIncarnations(c, q,
                nodeName, currentOwner, limit, backoffMs, poisonThreshold));
    }

    /**
     * Applies an operator's event (CANCEL, REDRIVE) to one job, guarded by the transition table under a row lock.
     * @return what happened: not found, not allowed in the job's state (nothing changed), or applied
     */
    public Transition apply(JobId id, JobEvent event) {
        return run(() -> event + " of " + id, (c, q) -> OperatorCommands.apply(c, q, id, event));
    }

    /**
     * Dead-letters PENDING jobs whose lifetime ran out before their dependencies completed (playbook 6: blocked jobs
     * do not wait forever), and the jobs that wait on them.
     * @return the ids dead-lettered directly (not counting their dependents)
     */
    public List<JobId> expirePending(int limit) {
        return run(() -> "expiry of pending jobs", (c, q) -> Dependencies.expirePending(c, q, limit));
    }

    /**
     * Settles PENDING jobs whose dependency count is off (a dependency ended while their submission was still
     * uncommitted, so it could not see them) or that wait on a dependency that can never complete.
     * @return how many jobs changed
     */
    public int repairDependencies(int limit) {
        return run(() -> "dependency repair", (c, q) -> Dependencies.repair(c, q, limit));
    }

    /**
     * Pauses or resumes a queue for every node: a paused queue keeps accepting submissions, and no node claims its jobs.
     * Running jobs are not touched. A concurrent first pause of the same queue loses on the primary key; the guard's
     * retry then updates.
     */
    public void setPaused(String queue, boolean paused) {
        run(() -> (paused ? "pause" : "resume") + " of queue " + queue, (c, q) -> {
            QueueSettings.setPaused(c, q, queue, paused);
            return null;
        });
    }

    /** Sets or removes (null) a queue's cluster-wide limit on RUNNING jobs. */
    public void setMaxRunning(String queue, Integer maxRunning) {
        run(() -> "limit of queue " + queue, (c, q) -> {
            QueueSettings.setMaxRunning(c, q, queue, maxRunning);
            return null;
        });
    }

    /** @return the cluster-wide RUNNING limit of each limited queue */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Map<String, Integer> queueLimits() {
        return run(Attribute.SUPPORTS, () -> "reading queue limits", QueueSettings::queueLimits);
    }

    /** @return the ids of finished jobs a bulk re-drive takes, oldest first (dependencies before their dependents) */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<JobId> selectForRedrive(String state, String queue, String type, Instant finishedFrom,
            Instant finishedTo, int limit) {
        return run(Attribute.SUPPORTS, () -> "selecting jobs to re-drive", (c, q) -> OperatorCommands.selectForRedrive(
                c, q, state, queue, type, finishedFrom, finishedTo, limit));
    }

    /**
     * Registers a recurring job: a new schedule fires first at its next instant after now (database clock); a known one
     * keeps its next run (so instants missed while every node was down are still enqueued), unless its timing changed.
     * @return the schedule's next run
     */
    public Instant registerSchedule(ScheduleDefinition definition) {
        return run(() -> "registration of recurring job " + definition.name(),
                (c, q) -> Schedules.register(c, q, definition));
    }

    /**
     * Enqueues every due instant of the given schedules, each schedule under its row lock (schedules another node is
     * firing right now are skipped), each instant as a job with the idempotency key {@code recurring:<name>:<instant>}
     * (so an instant is one job even if two nodes ever raced for it). Catches up on missed instants, at most
     * {@code maxInstants} per schedule per call. An instant whose queue has no {@code room} (counted under the row
     * locks, then used up by each new job) is refused: no job, and the schedule moves past it.
     * @return the instants enqueued and refused
     */
    public List<FiredJob> fireDueSchedules(Map<String, ScheduleDefinition> definitions, QueueRoom room,
            int maxInstants) {
        if (definitions.isEmpty()) {
            return List.of();
        }
        return run(() -> "firing recurring jobs", (c, q) -> Schedules.fireDue(c, q, definitions, room, maxInstants));
    }

    /** @return every schedule's row */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<ScheduleState> schedules() {
        return run(Attribute.SUPPORTS, () -> "reading schedules", Schedules::all);
    }

    /** @return the queues paused now */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Set<String> pausedQueues() {
        return run(Attribute.SUPPORTS, () -> "reading paused queues", QueueSettings::paused);
    }

    /** @return jobs waiting in a queue (SCHEDULED or PENDING), read in the caller's transaction if there is one */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public long waitingCount(String queue) {
        return run(Attribute.SUPPORTS, () -> "counting waiting jobs of queue " + queue,
                (c, q) -> QueueSettings.waitingCount(c, q, queue));
    }

    /**
     * Retention: the next finished jobs of a state that finished before the cutoff, oldest first, after the given
     * position (keyset on finish time and id). Outside any transaction (see {@link #purge}).
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public List<PurgeCandidate> selectPurgeCandidates(String state, Instant cutoff, String queue, Instant afterFinishedAt,
            String afterId, int limit) {
        return run(Attribute.NOT_SUPPORTED, () -> "selecting " + state + " jobs to purge",
                (c, q) -> Retention.candidates(c, q, state, cutoff, queue, afterFinishedAt, afterId, limit));
    }

    /**
     * Retention: deletes the given finished jobs (their attempts and dependency rows go with them), re-checking state
     * and finish time, in a transaction of its own. (Not in the batch chunk's transaction: the batch runtime's job
     * repository is a second non-XA resource, which one local transaction cannot hold. Deleting is idempotent, so a
     * chunk that is redone after a crash finds its rows gone.)
     * @return how many were deleted
     */
    public int purge(List<String> ids, String state, Instant cutoff) {
        if (ids.isEmpty()) {
            return 0;
        }
        return run(() -> "purge of " + ids.size() + " " + state + " job(s)",
                (c, q) -> Retention.purge(c, q, ids, state, cutoff));
    }

    /** @return which of the idempotency keys already name a job in the queue */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Set<String> existingKeys(String queue, List<String> keys) {
        return run(Attribute.SUPPORTS, () -> "looking up idempotency keys of queue " + queue,
                (c, q) -> Submissions.existingKeys(c, q, queue, keys));
    }

    /** @return PENDING, SCHEDULED and RUNNING jobs per queue and state (the metrics' depth snapshot) */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public Map<String, Map<JobState, Long>> activeCounts() {
        return run(Attribute.NOT_SUPPORTED, () -> "counting active jobs", QueueSettings::activeCounts);
    }

    /** @return the database's current time, the clock every lease and due time is measured on */
    public Instant databaseTime() {
        return run(() -> "reading the database time", Schedules::databaseTime);
    }

    /**
     * Tells every node's listener that jobs were stored (PostgreSQL's {@code NOTIFY}; nothing on other databases), so
     * that idle nodes claim now rather than at their next poll. Called after the submissions committed, never inside
     * their transaction (see {@link JobSql#notifyStored}), by the claim loop, coalescing the commits since its last
     * turn into one notification.
     *
     * @param priority the most urgent priority among the stored jobs (the notification's payload)
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void announceSubmitted(int priority) {
        run(Attribute.NOT_SUPPORTED, () -> "announcing stored jobs", (c, q) -> {
            if (q.dialect == SqlDialect.POSTGRESQL) {
                try (java.sql.Statement s = c.createStatement()) {
                    s.execute(JobSql.notifyStored(priority));
                }
            }
            return null;
        });
    }

    /**
     * The index upkeep ({@link Indexes}): rebuilds, concurrently, the indexes of DukeQueue's tables that the policy
     * finds bloated, outside any transaction, one run at a time in the cluster. PostgreSQL only: elsewhere the report
     * says it skipped.
     *
     * @param stop asked between rebuilds: true ends the run early
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public IndexReport rebuildBloatedIndexes(IndexPolicy policy, java.util.function.BooleanSupplier stop) {
        return run(Attribute.NOT_SUPPORTED, () -> "rebuilding bloated indexes",
                (c, q) -> Indexes.rebuild(c, q, policy, stop));
    }

    /** @return a listener for stored work (PostgreSQL's {@code LISTEN}), or null on databases without it */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public JobNotifications notifications() {
        return dialect() == SqlDialect.POSTGRESQL ? new JobNotifications(dataSource) : null;
    }

    /** @return the dialect of the database behind this store */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public SqlDialect dialect() {
        return run(Attribute.SUPPORTS, () -> "detecting the database", (c, q) -> q.dialect);
    }

    /** Statements of one store operation, on its connection. */
    @FunctionalInterface
    private interface Statements<T> {
        T on(Connection c, JobSql q) throws SQLException;
    }

    /** Runs one operation of the class's default attribute, {@code REQUIRES_NEW}. */
    private <T> T run(Supplier<String> operation, Statements<T> statements) {
        return run(Attribute.REQUIRES_NEW, operation, statements);
    }

    /**
     * Runs one operation on a connection of the data source, in the transaction its attribute asks for (the
     * container's, in the container); a failed statement becomes a StoreException.
     */
    private <T> T run(Attribute attribute, Supplier<String> operation, Statements<T> statements) {
        return transactions.run(attribute, () -> {
            try (Connection c = dataSource.getConnection()) {
                return statements.on(c, sql(c));
            } catch (SQLException | java.lang.reflect.UndeclaredThrowableException e) {
                throw new StoreException(operation.get(), e);
            }
        });
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
