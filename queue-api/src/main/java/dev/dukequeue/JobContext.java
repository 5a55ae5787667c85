package dev.dukequeue;

import java.time.Duration;
import java.util.Optional;

/**
 * What a running handler knows about its job, and how the engine asks it to stop.
 *
 * <p>One context per attempt; it is thread-safe, so a handler may pass it to threads it starts. When the engine
 * wants the handler to stop it sets the stop reason: for a cancel, a timeout or a lost lease it also interrupts the
 * worker thread at once; for a shutdown it first lets the handler finish within the drain timeout and interrupts it
 * only when that runs out. Long-running handlers should check {@link #stopRequested()} between steps.
 */
public interface JobContext {

    /** @return the job's id */
    JobId jobId();

    /** @return the job's type */
    String type();

    /** @return the job's queue */
    String queue();

    /** @return this attempt's number, starting at 1 (counts since the job was last re-driven) */
    int attempt();

    /** @return how many attempts the job may use in all */
    int maxAttempts();

    /** @return the raw JSON payload */
    String payloadJson();

    /** @return true once the engine has asked this attempt to stop */
    boolean stopRequested();

    /** @return why the engine asked this attempt to stop, if it did */
    Optional<StopReason> stopReason();

    /**
     * Waits until a stop is requested or the duration passes; a cancellable replacement for {@code Thread.sleep}.
     *
     * @param duration the longest wait
     * @return true if a stop was requested
     * @throws InterruptedException if the thread is interrupted
     */
    boolean awaitStop(Duration duration) throws InterruptedException;

    /**
     * Saves how far this job got, so that its next attempt (after a crash of its node, a timeout, a shutdown or a
     * retry) can resume from there instead of starting over. Written at once, in a transaction of its own, and only
     * while this attempt still holds the job's lease. The next attempt gets it from {@link #lastCheckpointJson()}.
     *
     * @param json the state as JSON text
     * @return true if it was saved; false if this attempt has lost the job (cancelled, or taken over after a lost
     *         lease): nothing was saved and the handler should stop
     * @throws InvalidJobRequestException if {@code json} is not JSON or larger than the payload limit
     * @throws JobQueueException          if the database could not take it (the attempt should fail; the next one
     *                                    resumes from the checkpoint before)
     */
    boolean checkpointJson(String json);

    /**
     * Saves a checkpoint mapped to JSON with JSON-B ({@link #checkpointJson(String)}).
     *
     * @param state an object JSON-B can map
     * @return true if it was saved, false if this attempt has lost the job
     */
    boolean checkpoint(Object state);

    /** @return the last checkpoint saved by an earlier attempt of this job (or by this one), if any */
    Optional<String> lastCheckpointJson();

    /**
     * @param type the type to map the last checkpoint to with JSON-B
     * @return the last checkpoint, if any
     */
    <T> Optional<T> lastCheckpoint(Class<T> type);

    /**
     * Reports progress for operators (visible in {@code GET /jobs/{id}}). Written at once, through the lease fence;
     * call it per step, not per item.
     *
     * @param percent 0..100
     * @param message a short message (at most 500 characters), or null
     * @return true if it was saved, false if this attempt has lost the job
     */
    boolean progress(int percent, String message);
}
