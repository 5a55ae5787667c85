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
}
