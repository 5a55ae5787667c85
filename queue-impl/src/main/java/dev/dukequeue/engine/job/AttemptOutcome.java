package dev.dukequeue.engine.job;

/** How one attempt ended, as recorded in its attempt row. */
public enum AttemptOutcome {
    /** The handler returned and the job completed. */
    SUCCEEDED,
    /** The handler threw. */
    FAILED,
    /** The handler ran past the execution timeout and was abandoned. */
    TIMED_OUT,
    /** The lease expired: the node died, stalled or lost the database. */
    LEASE_EXPIRED,
    /** The node gave the job back (its shutdown outlasted the drain timeout) without charging the attempt. */
    RELEASED,
    /** The job was cancelled while this attempt ran. */
    CANCELLED
}
