package dev.dukequeue;

/** Why the engine asks a running handler to stop, as seen through {@link JobContext#stopReason()}. */
public enum StopReason {
    /** Someone cancelled the job. Its outcome will not be recorded. */
    CANCELLED,
    /** The node is shutting down. If the handler stops, the job is released and runs again elsewhere. */
    SHUTDOWN,
    /** The job ran past its execution timeout. Its outcome will not be recorded. */
    TIMEOUT,
    /** This node no longer holds the job's lease (for example after a long pause). Its outcome will not be recorded. */
    LEASE_LOST
}
