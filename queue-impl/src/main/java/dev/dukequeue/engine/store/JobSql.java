package dev.dukequeue.engine.store;

import dev.dukequeue.engine.database.JobNotifications;
import dev.dukequeue.engine.database.SqlDialect;
import java.util.Collections;

/**
 * Every native statement on the queue's job, queue and schedule tables, named, rendered once per dialect (the cluster
 * tables' are in {@link ClusterSql}, the infrastructure's in {@code database.DatabaseSql}). {@code {now}} is the
 * database clock; {@code {now+?ms}} is the database clock plus a bound number of milliseconds. Only the store's
 * statement classes use them; {@code SqlCatalogueTest} fails when a statement is written anywhere else.
 *
 * <p>Every statement that moves a job out of RUNNING carries the lease fence
 * {@code AND state = 'RUNNING' AND lease_token = ?}; its caller checks the affected-row count.
 */
final class JobSql {

    private static final String LEASE_CLEARED = "lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL";
    private static final String FENCE = " WHERE id = ? AND state = 'RUNNING' AND lease_token = ?";
    /** Claims skip the queues an operator paused (on any node). */
    private static final String NOT_PAUSED = " AND queue NOT IN (SELECT name FROM dq_queue WHERE paused = TRUE)";
    /**
     * PostgreSQL: the claim's commit does not wait for its WAL to reach the disk ({@code SET LOCAL}: this transaction
     * only; the server's {@code synchronous_commit} stays on for everything else). Why that is safe: {@link Claims}.
     */
    private static final String CLAIM_COMMIT_WITHOUT_FLUSH = "set_config('synchronous_commit', 'off', true)";
    private static final String CLAIM_COLUMNS =
            "id, type, queue, priority, seq, attempt, max_attempts, run_count, timeout_ms, payload, checkpoint_data";

    final SqlDialect dialect;

    /**
     * Inserts one job; run_at is the given instant, or the database clock plus a delay when it is null; expires_at is
     * the database clock plus lifetime_ms when that is not null.
     */
    final String insertJob;
    /** PostgreSQL: an insert that waits for a concurrent insert of the same idempotency key and then does nothing. */
    final String insertJobUnlessKeyExists;
    final String findByIdempotencyKey;
    /** Existing jobs a submission depends on ({@code IN} placeholder list appended). */
    final String selectDependencyTargetsPrefix;
    final String countDependentsPrefix;
    final String insertDependency;
    /** Ends {@link #countDependentsPrefix} after its {@code IN} placeholder list. */
    final String countDependentsSuffix = " GROUP BY depends_on";
    /**
     * PostgreSQL: sent after a submission committed, in a statement of its own (never in the submission's transaction:
     * PostgreSQL refuses to PREPARE one that sent a NOTIFY, which would break two-phase commit). Its payload is the
     * most urgent priority stored (see {@link JobNotifications#await}). A NOTIFY takes a transaction id, so its commit
     * would wait for a WAL flush (about 2 ms here, on the path from a submission to its start): it does not, since a
     * notification is only a wake-up (lost in a crash, the nodes' polls find the jobs).
     */
    static String notifyStored(int priority) {
        return "SELECT pg_notify('" + JobNotifications.CHANNEL + "', '" + Math.max(0, Math.min(priority, 9)) + "'), "
                + CLAIM_COMMIT_WITHOUT_FLUSH;
    }
    /** Which idempotency keys exist in a queue ({@code IN} placeholder list appended). */
    final String selectExistingKeysPrefix = "SELECT idempotency_key FROM dq_job WHERE queue = ? AND idempotency_key IN ";
    /** One of the job's dependencies completed: count it down, and schedule the job when it was the last. */
    final String dependencyCompleted;
    final String selectPendingDependents;
    /** Which of the jobs (an {@code IN} placeholder list is appended) have dependents. */
    final String selectDependedOnPrefix;
    /** A dependency can never complete: the PENDING job ends too (DEAD_LETTER or CANCELLED). */
    final String dependencyUnsatisfiable;
    final String selectExpiredPending;
    /** PENDING jobs whose count disagrees with their dependencies' states (a completion raced their submission). */
    final String selectMiscountedPending;
    final String selectPendingWithUnsatisfiableDependency;
    final String lockPending;
    final String selectDependencyStates;
    final String recountPending;
    final String redrivePending;

    /** H2 and MariaDB: lock due rows (one {@code IN} placeholder list of handled types is appended). */
    final String selectDueForUpdatePrefix;
    final String selectDueForUpdateSuffix;
    /** H2 and MariaDB: lease one locked row. */
    final String leaseOne;
    /** PostgreSQL: lock, lease and return due rows in one statement (types placeholder list in the middle). */
    final String claimReturningPrefix;
    /** A claim condition: read the claim index from a key on (see {@link ClaimFloor}); a row comparison it can seek to. */
    final String claimFromFloor = " AND (priority, seq) >= (CAST(? AS SMALLINT), CAST(? AS BIGINT))";
    final String claimReturningSuffix;
    /** A claim condition: no queue has a cluster-wide limit (the claim's own statement checks it). */
    final String noQueueLimited = " AND NOT EXISTS (SELECT 1 FROM dq_queue WHERE max_running IS NOT NULL)";
    /**
     * A claim condition, with {@link #OR_QUEUE_AND_TYPES_PREFIX}: types restricted to one queue each (their
     * {@code IN} placeholder list appended), then one group per queue, then {@code )} (see {@code Claims.Restriction}).
     */
    static final String TYPES_NOT_RESTRICTED_PREFIX = " AND (type NOT IN ";
    /** One queue's group of restricted types: {@code queue = ?}, then their {@code IN} placeholder list and {@code )}. */
    static final String OR_QUEUE_AND_TYPES_PREFIX = " OR (queue = ? AND type IN ";
    /** A claim condition: one limited queue. */
    final String inQueue = " AND queue = ?";
    /** A claim condition: none of the limited queues ({@code IN} placeholder list appended). */
    final String notInQueuesPrefix = " AND queue NOT IN ";
    /**
     * PostgreSQL: completes a batch from three arrays (ids, lease tokens, results), each row fenced; returns the id and
     * token of each row written (a batch may hold a stale attempt's outcome next to the job's current one), and whether
     * jobs wait on it.
     */
    final String completeMany;

    final String complete;
    final String retryLater;
    final String finishFailed;
    /**
     * Gives the attempt back and counts the release, only while the job has free releases left (the limit is the last
     * parameter): 0 rows means the lease was lost or the limit is reached ({@link Releases} tells which).
     */
    final String release;
    /** The fenced row of a job whose release was refused, locked: is the lease still held, how often released. */
    final String selectReleaseLimitForUpdate;
    /** Counts a release that was charged (past the limit), under the row lock taken above. */
    final String countChargedRelease;
    /**
     * The attempt row of a run that ended without success, from the job's row (still holding the run's number and
     * start), written right after the fenced move out of RUNNING in the same transaction.
     */
    final String insertEndedAttempt;
    /** Closes the open attempt row a version-8 node opened at its claim (upgrades): 0 rows when there is none. */
    final String closeAttempt;
    final String renewLease;
    final String saveCheckpoint;
    final String saveProgress;

    final String selectExpiredLeases;
    /** Start-up recovery: RUNNING jobs leased by earlier incarnations of this node (owner prefix {@code name#}). */
    final String selectEarlierIncarnationLeases;
    final String lostWorkers;
    final String selectStateForUpdate;
    final String cancel;
    final String redrive;
    final String databaseTime;
    final String updateQueuePaused;
    final String insertQueue;
    final String selectPausedQueues;
    final String updateQueueMaxRunning;
    final String insertQueueWithMaxRunning;
    final String selectQueueLimits;
    /** Locks a limited queue's row: claims of that queue are serialised across the cluster while they count. */
    final String lockQueueLimit;
    final String countRunningInQueue;
    final String lockSchedule;
    final String insertSchedule;
    final String resetSchedule;
    /** Due schedules of the given names ({@code IN} placeholder list in the middle), locked, others' skipped. */
    final String selectDueSchedulesPrefix;
    final String selectDueSchedulesSuffix;
    final String advanceSchedule;
    /** Moves a schedule past instants that were all refused (full queue), keeping its last enqueued instant. */
    final String advanceScheduleOnly;
    final String selectSchedules;
    final String countWaiting;
    final String countActive;
    /** Retention: deletes finished jobs, re-checking state and finish time ({@code IN} placeholder list appended). */
    final String purgePrefix = "DELETE FROM dq_job WHERE state = ? AND finished_at < ? AND id IN ";

    JobSql(SqlDialect d) {
        this.dialect = d;
        String now = d.now();
        String nowPlus = d.plusMillisParam(now);
        insertJob = "INSERT INTO dq_job (id, type, queue, state, priority, attempt, max_attempts, run_count, timeout_ms,"
                + " payload, idempotency_key, created_at, run_at, updated_at, version, deps_pending, dep_depth,"
                + " lifetime_ms, expires_at, traceparent)"
                + " VALUES (?, ?, ?, ?, ?, 0, ?, 0, ?, ?, ?, " + now + ", COALESCE(?, " + nowPlus + "), " + now + ", 0,"
                + " ?, ?, ?, CASE WHEN " + d.bigintParam() + " IS NULL THEN NULL ELSE " + nowPlus + " END, ?)";
        insertJobUnlessKeyExists = insertJob
                + " ON CONFLICT (queue, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING";
        findByIdempotencyKey = "SELECT id, state, dep_depth FROM dq_job WHERE queue = ? AND idempotency_key = ?";
        selectDependencyTargetsPrefix = "SELECT id, state, dep_depth FROM dq_job WHERE id IN ";
        countDependentsPrefix = "SELECT depends_on, COUNT(*) FROM dq_dependency WHERE depends_on IN ";
        insertDependency = "INSERT INTO dq_dependency (job_id, depends_on) VALUES (?, ?)";
        // state before deps_pending: MariaDB evaluates SET left to right with the new values, the others with the old.
        dependencyCompleted = "UPDATE dq_job SET state = CASE WHEN deps_pending = 1 THEN 'SCHEDULED' ELSE state END,"
                + " deps_pending = deps_pending - 1, updated_at = " + now + ", version = version + 1"
                + " WHERE state = 'PENDING' AND id IN (SELECT job_id FROM dq_dependency WHERE depends_on = ?)";
        selectDependedOnPrefix = "SELECT DISTINCT depends_on FROM dq_dependency WHERE depends_on IN ";
        selectPendingDependents = "SELECT j.id FROM dq_dependency d JOIN dq_job j ON j.id = d.job_id"
                + " WHERE d.depends_on = ? AND j.state = 'PENDING' ORDER BY j.seq";
        dependencyUnsatisfiable = "UPDATE dq_job SET state = ?, finished_at = " + now + ", last_error_category = 'PERMANENT',"
                + " last_error_message = ?, updated_at = " + now + ", expires_at = NULL, version = version + 1"
                + " WHERE id = ? AND state = 'PENDING'";
        selectExpiredPending = "SELECT id, lifetime_ms FROM dq_job WHERE state = 'PENDING' AND expires_at < " + now
                + " ORDER BY expires_at LIMIT ? FOR UPDATE SKIP LOCKED";
        selectMiscountedPending = "SELECT j.id FROM dq_job j WHERE j.state = 'PENDING' AND j.deps_pending <>"
                + " (SELECT COUNT(*) FROM dq_dependency d JOIN dq_job p ON p.id = d.depends_on"
                + " WHERE d.job_id = j.id AND p.state <> 'COMPLETED') ORDER BY j.seq LIMIT ?";
        selectPendingWithUnsatisfiableDependency = "SELECT j.id FROM dq_job j WHERE j.state = 'PENDING' AND EXISTS"
                + " (SELECT 1 FROM dq_dependency d JOIN dq_job p ON p.id = d.depends_on WHERE d.job_id = j.id"
                + " AND p.state IN ('FAILED', 'DEAD_LETTER', 'CANCELLED')) ORDER BY j.seq LIMIT ?";
        lockPending = "SELECT deps_pending FROM dq_job WHERE id = ? AND state = 'PENDING' FOR UPDATE";
        selectDependencyStates = "SELECT p.id, p.state FROM dq_dependency d JOIN dq_job p ON p.id = d.depends_on"
                + " WHERE d.job_id = ? ORDER BY p.seq";
        recountPending = "UPDATE dq_job SET state = CASE WHEN " + d.bigintParam() + " = 0 THEN 'SCHEDULED' ELSE state END, deps_pending = ?,"
                + " updated_at = " + now + ", version = version + 1 WHERE id = ? AND state = 'PENDING'";
        redrivePending = "UPDATE dq_job SET state = 'PENDING', deps_pending = ?, attempt = 0, lease_losses = 0,"
                + " release_count = 0, run_at = " + now + ", expires_at = " + d.plusMillisParam(now) + ","
                + " finished_at = NULL, result = NULL, updated_at = " + now + ", version = version + 1"
                + " WHERE id = ? AND state = ?";

        selectDueForUpdatePrefix = "SELECT " + CLAIM_COLUMNS + ", run_at, " + now + " AS db_now, traceparent FROM dq_job"
                + " WHERE state = 'SCHEDULED' AND run_at <= " + now + NOT_PAUSED + " AND type IN ";
        selectDueForUpdateSuffix = " ORDER BY priority, seq LIMIT ? FOR UPDATE SKIP LOCKED";
        leaseOne = "UPDATE dq_job SET state = 'RUNNING', attempt = attempt + 1, run_count = run_count + 1,"
                + " started_at = " + now + ", updated_at = " + now + ", lease_owner = ?, lease_token = ?,"
                + " lease_expires_at = " + nowPlus + ", version = version + 1"
                + " WHERE id = ? AND state = 'SCHEDULED'";
        claimReturningPrefix = "UPDATE dq_job j SET state = 'RUNNING', attempt = j.attempt + 1,"
                + " run_count = j.run_count + 1, started_at = " + now + ", updated_at = " + now + ","
                + " lease_owner = ?, lease_token = ?, lease_expires_at = " + nowPlus + ", version = j.version + 1"
                + " FROM (SELECT id FROM dq_job WHERE state = 'SCHEDULED' AND run_at <= " + now + NOT_PAUSED
                + " AND type IN ";
        // The claim's commit does not wait for the WAL flush: set by the statement itself (CLAIM_COMMIT_WITHOUT_FLUSH).
        claimReturningSuffix = " ORDER BY priority, seq LIMIT ? FOR UPDATE SKIP LOCKED) due,"
                + " (SELECT " + CLAIM_COMMIT_WITHOUT_FLUSH + " AS relaxed) commit_setting"
                + " WHERE j.id = due.id RETURNING j.id, j.type, j.queue, j.priority, j.seq, j.attempt,"
                + " j.max_attempts, j.run_count, j.timeout_ms, j.payload, j.checkpoint_data, j.run_at, " + now + " AS db_now,"
                + " j.traceparent";
        // The successful attempt lives on the row: ran_on keeps its node (set before the lease is cleared: MariaDB
        // assigns left to right with the new values).
        completeMany = "UPDATE dq_job j SET state = 'COMPLETED', result = v.result, finished_at = " + now
                + ", updated_at = " + now + ", ran_on = j.lease_owner, " + LEASE_CLEARED + ", version = j.version + 1"
                + " FROM unnest(CAST(? AS VARCHAR[]), CAST(? AS VARCHAR[]), CAST(? AS TEXT[])) AS v(id, token, result)"
                + " WHERE j.id = v.id AND j.state = 'RUNNING' AND j.lease_token = v.token RETURNING j.id, v.token,"
                + " EXISTS (SELECT 1 FROM dq_dependency d WHERE d.depends_on = j.id) AS has_dependents";
        complete = "UPDATE dq_job SET state = 'COMPLETED', result = ?, finished_at = " + now + ", updated_at = " + now
                + ", ran_on = lease_owner, " + LEASE_CLEARED + ", version = version + 1" + FENCE;
        retryLater = "UPDATE dq_job SET state = 'SCHEDULED', run_at = " + nowPlus + ", last_error_category = ?,"
                + " last_error_message = ?, lease_losses = lease_losses + ?, updated_at = " + now + ", " + LEASE_CLEARED
                + ", version = version + 1" + FENCE;
        finishFailed = "UPDATE dq_job SET state = ?, finished_at = " + now + ", last_error_category = ?,"
                + " last_error_message = ?, lease_losses = lease_losses + ?, updated_at = " + now + ", " + LEASE_CLEARED
                + ", version = version + 1" + FENCE;
        // A release gives the attempt back: the claim counted it, the job never really got to run it.
        release = "UPDATE dq_job SET state = 'SCHEDULED', attempt = attempt - 1, release_count = release_count + 1,"
                + " run_at = " + now + ", updated_at = " + now + ", " + LEASE_CLEARED + ", version = version + 1" + FENCE
                + " AND release_count < ?";
        selectReleaseLimitForUpdate = "SELECT release_count, attempt, max_attempts FROM dq_job" + FENCE + " FOR UPDATE";
        countChargedRelease = "UPDATE dq_job SET release_count = release_count + 1" + FENCE;
        // attempt + ?: a release has already given its attempt back (attempt - 1), the row records the one it ran as.
        insertEndedAttempt = "INSERT INTO dq_attempt (job_id, run_no, attempt, node, started_at, finished_at, outcome,"
                + " error_category, error_message, stack_trace) SELECT id, run_count, attempt + ?, ?, started_at, " + now
                + ", ?, ?, ?, ? FROM dq_job WHERE id = ?";
        closeAttempt = "UPDATE dq_attempt SET finished_at = " + now + ", outcome = ?, error_category = ?,"
                + " error_message = ?, stack_trace = ? WHERE job_id = ? AND run_no = ? AND outcome IS NULL";
        renewLease = "UPDATE dq_job SET lease_expires_at = " + nowPlus + FENCE;
        saveCheckpoint = "UPDATE dq_job SET checkpoint_data = ?, checkpoint_at = " + now + ", updated_at = " + now + FENCE;
        saveProgress = "UPDATE dq_job SET progress_percent = ?, progress_message = ?, updated_at = " + now + FENCE;

        String leasedColumns = "SELECT id, lease_owner, lease_token, run_count, attempt, max_attempts, lease_losses, queue,"
                + " type FROM dq_job";
        selectExpiredLeases = leasedColumns + " WHERE state = 'RUNNING' AND lease_expires_at < " + now
                + " ORDER BY lease_expires_at LIMIT ? FOR UPDATE SKIP LOCKED";
        selectEarlierIncarnationLeases = leasedColumns + " WHERE state = 'RUNNING' AND LEFT(lease_owner, ?) = ?"
                + " AND lease_owner <> ? ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED";
        lostWorkers = "SELECT node FROM dq_attempt WHERE job_id = ? AND outcome = 'LEASE_EXPIRED' ORDER BY run_no";
        selectStateForUpdate = "SELECT state, run_count, lifetime_ms, lease_owner FROM dq_job WHERE id = ? FOR UPDATE";
        cancel = "UPDATE dq_job SET state = 'CANCELLED', finished_at = " + now + ", updated_at = " + now + ", "
                + LEASE_CLEARED + ", version = version + 1 WHERE id = ? AND state = ?";
        redrive = "UPDATE dq_job SET state = 'SCHEDULED', attempt = 0, lease_losses = 0, release_count = 0,"
                + " run_at = " + now + ", finished_at = NULL, result = NULL, deps_pending = 0, updated_at = " + now
                + ", version = version + 1 WHERE id = ? AND state = ?";
        databaseTime = "SELECT " + now;
        updateQueuePaused = "UPDATE dq_queue SET paused = ?, updated_at = " + now + " WHERE name = ?";
        insertQueue = "INSERT INTO dq_queue (name, paused, updated_at) VALUES (?, ?, " + now + ")";
        selectPausedQueues = "SELECT name FROM dq_queue WHERE paused = TRUE ORDER BY name";
        updateQueueMaxRunning = "UPDATE dq_queue SET max_running = ?, updated_at = " + now + " WHERE name = ?";
        insertQueueWithMaxRunning = "INSERT INTO dq_queue (name, paused, max_running, updated_at) VALUES (?, FALSE, ?, "
                + now + ")";
        selectQueueLimits = "SELECT name, max_running FROM dq_queue WHERE max_running IS NOT NULL ORDER BY name";
        lockQueueLimit = "SELECT max_running FROM dq_queue WHERE name = ? AND paused = FALSE FOR UPDATE";
        countRunningInQueue = "SELECT COUNT(*) FROM dq_job WHERE queue = ? AND state = 'RUNNING'";
        lockSchedule = "SELECT signature, next_run_at FROM dq_schedule WHERE name = ? FOR UPDATE";
        insertSchedule = "INSERT INTO dq_schedule (name, signature, next_run_at, updated_at) VALUES (?, ?, ?, " + now + ")";
        resetSchedule = "UPDATE dq_schedule SET signature = ?, next_run_at = ?, updated_at = " + now + " WHERE name = ?";
        selectDueSchedulesPrefix = "SELECT name, next_run_at FROM dq_schedule WHERE next_run_at <= " + now
                + " AND name IN ";
        selectDueSchedulesSuffix = " ORDER BY next_run_at FOR UPDATE SKIP LOCKED";
        advanceSchedule = "UPDATE dq_schedule SET next_run_at = ?, last_run_at = ?, last_job_id = ?, updated_at = "
                + now + " WHERE name = ?";
        advanceScheduleOnly = "UPDATE dq_schedule SET next_run_at = ?, updated_at = " + now + " WHERE name = ?";
        selectSchedules = "SELECT name, next_run_at, last_run_at, last_job_id FROM dq_schedule ORDER BY name";
        countWaiting = "SELECT COUNT(*) FROM dq_job WHERE queue = ? AND state IN ('SCHEDULED', 'PENDING')";
        countActive = "SELECT queue, state, COUNT(*) FROM dq_job WHERE state IN ('PENDING', 'SCHEDULED', 'RUNNING')"
                + " GROUP BY queue, state";
    }

    /**
     * Retention: the next finished jobs of a state finished before a cutoff, oldest first, optionally of one queue and
     * after a keyset position (finish time, id). Parameters: state, cutoff, [queue], [finished_at, finished_at, id],
     * limit.
     */
    String selectPurgeCandidates(boolean byQueue, boolean afterPosition) {
        StringBuilder select = new StringBuilder("SELECT id, finished_at FROM dq_job WHERE state = ? AND finished_at < ?");
        if (byQueue) {
            select.append(" AND queue = ?");
        }
        if (afterPosition) {
            select.append(" AND (finished_at > ? OR (finished_at = ? AND id > ?))");
        }
        return select.append(" ORDER BY finished_at, id LIMIT ?").toString();
    }

    /**
     * A bulk re-drive's selection: the ids of finished jobs of a state, oldest first (dependencies before their
     * dependents). Parameters: state, [queue], [type], [finished from], [finished to], limit.
     */
    String selectForRedrive(boolean byQueue, boolean byType, boolean finishedFrom, boolean finishedTo) {
        StringBuilder select = new StringBuilder("SELECT id FROM dq_job WHERE state = ?");
        if (byQueue) {
            select.append(" AND queue = ?");
        }
        if (byType) {
            select.append(" AND type = ?");
        }
        if (finishedFrom) {
            select.append(" AND finished_at >= ?");
        }
        if (finishedTo) {
            select.append(" AND finished_at < ?");
        }
        return select.append(" ORDER BY seq LIMIT ?").toString();
    }

    /** @return {@code (?, ?, ...)} with {@code n} placeholders */
    static String placeholders(int n) {
        return "(" + String.join(", ", Collections.nCopies(n, "?")) + ")";
    }
}
