package dev.dukequeue.engine.job;

import java.util.Objects;

/**
 * A job this node has just leased, with everything its worker needs to run it.
 *
 * @param lease       the lease that fences every outcome of this attempt
 * @param type        the job type
 * @param queue       the queue
 * @param priority    its priority
 * @param seq         its submission sequence number (FIFO order within a priority)
 * @param attempt     this attempt's number (1-based, since submission or the last re-drive)
 * @param maxAttempts attempts allowed
 * @param timeoutMs   the execution timeout of this attempt
 * @param payloadJson the payload
 * @param checkpointJson the last checkpoint an earlier attempt saved, or null
 * @param queueWaitMs how long the job had been due when it was claimed (database clock)
 * @param traceparent the W3C trace context of the submission ({@code 00-<trace>-<span>-<flags>}), or null
 */
public record ClaimedJob(
        Lease lease,
        String type,
        String queue,
        int priority,
        long seq,
        int attempt,
        int maxAttempts,
        long timeoutMs,
        String payloadJson,
        String checkpointJson,
        long queueWaitMs,
        String traceparent) {

    public ClaimedJob {
        Objects.requireNonNull(lease, "lease");
    }

    /** A job submitted outside any trace. */
    public ClaimedJob(Lease lease, String type, String queue, int priority, long seq, int attempt, int maxAttempts,
            long timeoutMs, String payloadJson, String checkpointJson, long queueWaitMs) {
        this(lease, type, queue, priority, seq, attempt, maxAttempts, timeoutMs, payloadJson, checkpointJson,
                queueWaitMs, null);
    }

    /** @return true if a failure of this attempt leaves no attempt to retry with ({@link OutcomePolicy}) */
    public boolean lastAttempt() {
        return OutcomePolicy.lastAttempt(attempt, maxAttempts);
    }
}
