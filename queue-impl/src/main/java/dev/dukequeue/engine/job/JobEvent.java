package dev.dukequeue.engine.job;

/**
 * What can happen to a job. Each event has exactly one target state; {@link JobTransitions} says from which
 * states it may happen.
 */
public enum JobEvent {
    /** Submitted with no unfinished dependencies. */
    SUBMIT,
    /** Submitted while waiting on dependencies. */
    SUBMIT_PENDING,
    /** Every dependency completed. */
    DEPENDENCIES_MET,
    /** A dependency ended FAILED or DEAD_LETTER, or the job's lifetime ran out while it waited. */
    DEPENDENCY_FAILED,
    /** A dependency was cancelled: the job can never run, and is cancelled with it. */
    DEPENDENCY_CANCELLED,
    /** A node leased it. */
    CLAIM,
    /** The handler returned. */
    SUCCEED,
    /** The attempt failed (or timed out) and attempts remain: back to SCHEDULED with a backoff. */
    FAIL_RETRYABLE,
    /** The handler threw {@code PermanentJobException}. */
    FAIL_PERMANENT,
    /** The attempt failed and no attempts remain. */
    EXHAUST,
    /** The lease was lost (expired, or its node restarted: start-up recovery) and attempts remain. */
    RESCUE,
    /** The lease was lost (expired, or its node restarted) and no attempts remain, or the job is a poison pill. */
    RESCUE_EXHAUSTED,
    /** The node gave the job back without charging an attempt (its shutdown outlasted the drain timeout). */
    RELEASE,
    /** Someone cancelled it. */
    CANCEL,
    /** Someone re-drove a FAILED or DEAD_LETTER job. */
    REDRIVE,
    /** Someone re-drove a FAILED or DEAD_LETTER job whose dependencies have not all completed: it waits again. */
    REDRIVE_PENDING
}
