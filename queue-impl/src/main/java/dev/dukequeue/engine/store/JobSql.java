package dev.dukequeue.engine.store;

import java.util.Collections;

/**
 * Every native statement of the engine, named, rendered once per dialect. {@code {now}} is the database clock;
 * {@code {now+?ms}} is the database clock plus a bound number of milliseconds. Only {@link JdbcJobStore} uses them.
 *
 * <p>Every statement that moves a job out of RUNNING carries the lease fence
 * {@code AND state = 'RUNNING' AND lease_token = ?}; its caller checks the affected-row count.
 */
final class JobSql {

    private static final String LEASE_CLEARED = "lease_owner = NULL, lease_token = NULL, lease_expires_at = NULL";
    private static final String FENCE = " WHERE id = ? AND state = 'RUNNING' AND lease_token = ?";
    /** Claims skip the queues an operator paused (on any node). */
    private static final String NOT_PAUSED = " AND queue NOT IN (SELECT name FROM dq_queue WHERE paused = TRUE)";
    private static final String CLAIM_COLUMNS =
            "id, type, queue, priority, seq, attempt, max_attempts, run_count, timeout_ms, payload";

    final SqlDialect dialect;

    /** Inserts one job; run_at is the given instant, or the database clock plus a delay when it is null. */
    final String insertJob;
    final String findByIdempotencyKey;

    /** H2 and MariaDB: lock due rows (one {@code IN} placeholder list of handled types is appended). */
    final String selectDueForUpdatePrefix;
    final String selectDueForUpdateSuffix;
    /** H2 and MariaDB: lease one locked row. */
    final String leaseOne;
    /** PostgreSQL: lock, lease and return due rows in one statement (types placeholder list in the middle). */
    final String claimReturningPrefix;
    final String claimReturningSuffix;
    final String insertAttempt;

    final String complete;
    final String retryLater;
    final String finishFailed;
    final String release;
    final String closeAttempt;
    final String renewLease;

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
    final String countWaiting;

    JobSql(SqlDialect d) {
        this.dialect = d;
        String now = d.now();
        String nowPlus = d.plusMillisParam(now);
        insertJob = "INSERT INTO dq_job (id, type, queue, state, priority, attempt, max_attempts, run_count, timeout_ms,"
                + " payload, idempotency_key, created_at, run_at, updated_at, version)"
                + " VALUES (?, ?, ?, ?, ?, 0, ?, 0, ?, ?, ?, " + now + ", COALESCE(?, " + nowPlus + "), " + now + ", 0)";
        findByIdempotencyKey = "SELECT id, state FROM dq_job WHERE queue = ? AND idempotency_key = ?";

        selectDueForUpdatePrefix = "SELECT " + CLAIM_COLUMNS + " FROM dq_job"
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
        claimReturningSuffix = " ORDER BY priority, seq LIMIT ? FOR UPDATE SKIP LOCKED) due"
                + " WHERE j.id = due.id RETURNING j.id, j.type, j.queue, j.priority, j.seq, j.attempt,"
                + " j.max_attempts, j.run_count, j.timeout_ms, j.payload";
        insertAttempt = "INSERT INTO dq_attempt (job_id, run_no, attempt, node, started_at) VALUES (?, ?, ?, ?, " + now + ")";

        complete = "UPDATE dq_job SET state = 'COMPLETED', result = ?, finished_at = " + now + ", updated_at = " + now
                + ", " + LEASE_CLEARED + ", version = version + 1" + FENCE;
        retryLater = "UPDATE dq_job SET state = 'SCHEDULED', run_at = " + nowPlus + ", last_error_category = ?,"
                + " last_error_message = ?, lease_losses = lease_losses + ?, updated_at = " + now + ", " + LEASE_CLEARED
                + ", version = version + 1" + FENCE;
        finishFailed = "UPDATE dq_job SET state = ?, finished_at = " + now + ", last_error_category = ?,"
                + " last_error_message = ?, lease_losses = lease_losses + ?, updated_at = " + now + ", " + LEASE_CLEARED
                + ", version = version + 1" + FENCE;
        // A release gives the attempt back: the claim counted it, the job never really got to run it.
        release = "UPDATE dq_job SET state = 'SCHEDULED', attempt = attempt - 1, run_at = " + now + ","
                + " updated_at = " + now + ", " + LEASE_CLEARED + ", version = version + 1" + FENCE;
        closeAttempt = "UPDATE dq_attempt SET finished_at = " + now + ", outcome = ?, error_category = ?,"
                + " error_message = ?, stack_trace = ? WHERE job_id = ? AND run_no = ? AND outcome IS NULL";
        renewLease = "UPDATE dq_job SET lease_expires_at = " + nowPlus + FENCE;

        String leasedColumns = "SELECT id, lease_owner, lease_token, run_count, attempt, max_attempts, lease_losses FROM dq_job";
        selectExpiredLeases = leasedColumns + " WHERE state = 'RUNNING' AND lease_expires_at < " + now
                + " ORDER BY lease_expires_at LIMIT ? FOR UPDATE SKIP LOCKED";
        selectEarlierIncarnationLeases = leasedColumns + " WHERE state = 'RUNNING' AND LEFT(lease_owner, ?) = ?"
                + " AND lease_owner <> ? ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED";
        lostWorkers = "SELECT node FROM dq_attempt WHERE job_id = ? AND outcome = 'LEASE_EXPIRED' ORDER BY run_no";
        selectStateForUpdate = "SELECT state, run_count FROM dq_job WHERE id = ? FOR UPDATE";
        cancel = "UPDATE dq_job SET state = 'CANCELLED', finished_at = " + now + ", updated_at = " + now + ", "
                + LEASE_CLEARED + ", version = version + 1 WHERE id = ? AND state = ?";
        redrive = "UPDATE dq_job SET state = 'SCHEDULED', attempt = 0, lease_losses = 0, run_at = " + now + ","
                + " finished_at = NULL, result = NULL, updated_at = " + now + ", version = version + 1"
                + " WHERE id = ? AND state = ?";
        databaseTime = "SELECT " + now;
        updateQueuePaused = "UPDATE dq_queue SET paused = ?, updated_at = " + now + " WHERE name = ?";
        insertQueue = "INSERT INTO dq_queue (name, paused, updated_at) VALUES (?, ?, " + now + ")";
        selectPausedQueues = "SELECT name FROM dq_queue WHERE paused = TRUE ORDER BY name";
        countWaiting = "SELECT COUNT(*) FROM dq_job WHERE queue = ? AND state IN ('SCHEDULED', 'PENDING')";
    }

    /** @return {@code (?, ?, ...)} with {@code n} placeholders */
    static String placeholders(int n) {
        return "(" + String.join(", ", Collections.nCopies(n, "?")) + ")";
    }
}
