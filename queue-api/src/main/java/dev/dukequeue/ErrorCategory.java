package dev.dukequeue;

/**
 * Why an attempt failed. The category decides whether the job is retried and is reported in metrics and in
 * each attempt's history.
 */
public enum ErrorCategory {
    /** A checked exception or a {@link TemporaryJobException}: the world may be different next time. Retried. */
    TEMPORARY,
    /** A {@link PermanentJobException}: retrying cannot help. The job goes to FAILED at once. */
    PERMANENT,
    /**
     * A bug or a broken runtime: an unchecked exception or an {@link Error} from the handler, or a worker that
     * vanished with the job (its lease expired). Retried, since the next node may be healthy.
     */
    SYSTEM,
    /** The handler ran past the job's execution timeout and was abandoned. Retried with backoff. */
    TIMEOUT
}
