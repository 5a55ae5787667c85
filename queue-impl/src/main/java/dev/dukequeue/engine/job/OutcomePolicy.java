package dev.dukequeue.engine.job;

import dev.dukequeue.ErrorCategory;
import dev.dukequeue.PermanentJobException;
import dev.dukequeue.TemporaryJobException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * What becomes of an attempt that did not succeed, decided in one place: retried after a backoff, dead-lettered
 * because it was the last attempt, or failed for good.
 * <ul>
 * <li>A handler that threw: {@link PermanentJobException} fails the job (FAILED) whatever attempts remain; any other
 * throwable retries it after a backoff, or dead-letters it on its last attempt.</li>
 * <li>A corrupt row (playbook 3): fails at once with category SYSTEM; retrying cannot repair it.</li>
 * <li>An execution timeout: like a retryable failure, with category TIMEOUT.</li>
 * <li>A release past {@code dukequeue.release.max}, a rescue of an expired lease and start-up recovery: the store
 * applies them under the row lock (it reads the attempt there), with the delay of {@link #retryDelayMs} and the
 * last-attempt rule of {@link #lastAttempt(int, int)}.</li>
 * </ul>
 * The backoff is that of the attempt that failed ({@link BackoffPolicy}); a job that is not retried waits for nothing.
 *
 * <p>Immutable and thread-safe.
 */
public final class OutcomePolicy {

    private final BackoffPolicy backoff;

    /** @param backoff the retry delays */
    public OutcomePolicy(BackoffPolicy backoff) {
        this.backoff = backoff;
    }

    /** @return the policy with {@code dukequeue.retry.backoff.*}, jittered by a thread-local random */
    public static OutcomePolicy withJitter(Duration backoffBase, Duration backoffMax) {
        return new OutcomePolicy(new BackoffPolicy(backoffBase, backoffMax,
                () -> ThreadLocalRandom.current().nextDouble()));
    }

    /**
     * What to do with the job.
     *
     * @param event    the transition out of RUNNING: FAIL_RETRYABLE, FAIL_PERMANENT or EXHAUST
     * @param category the error category written to the job and its attempt
     * @param delayMs  how long the job waits before it runs again (0 unless it is retried)
     */
    public record Decision(JobEvent event, ErrorCategory category, long delayMs) {

        /** @return true if the job runs again (after {@link #delayMs}) */
        public boolean retried() {
            return event == JobEvent.FAIL_RETRYABLE;
        }

        /** @return true if the job is dead-lettered because no attempt remains */
        public boolean exhausted() {
            return event == JobEvent.EXHAUST;
        }
    }

    /**
     * Checked exceptions and {@link TemporaryJobException} are TEMPORARY (the world may change); unchecked exceptions
     * and errors are SYSTEM (a bug or a broken runtime); {@link PermanentJobException} is PERMANENT.
     */
    public static ErrorCategory classify(Throwable t) {
        if (t instanceof PermanentJobException) {
            return ErrorCategory.PERMANENT;
        }
        if (t instanceof TemporaryJobException || !(t instanceof RuntimeException || t instanceof Error)) {
            return ErrorCategory.TEMPORARY;
        }
        return ErrorCategory.SYSTEM;
    }

    /** The handler threw {@code thrown} during {@code job}'s attempt. */
    public Decision thrown(ClaimedJob job, Throwable thrown) {
        ErrorCategory category = classify(thrown);
        if (category == ErrorCategory.PERMANENT) {
            return new Decision(JobEvent.FAIL_PERMANENT, category, 0);
        }
        return retryOrExhaust(job, category);
    }

    /** The job's row cannot be what DukeQueue wrote: it fails at once, never retried, never dead-lettered. */
    public Decision corrupt(ClaimedJob job) {
        return new Decision(JobEvent.FAIL_PERMANENT, ErrorCategory.SYSTEM, 0);
    }

    /** The attempt outlived the job's execution timeout. */
    public Decision timedOut(ClaimedJob job) {
        return retryOrExhaust(job, ErrorCategory.TIMEOUT);
    }

    /**
     * @param failedAttempt the number of the attempt that failed (was rescued, or was charged at a release), from 1
     * @return the delay before the job's next attempt, in milliseconds
     */
    public long retryDelayMs(int failedAttempt) {
        return backoff.delayMs(failedAttempt);
    }

    /** @return true if a failure of attempt {@code attempt} leaves no attempt to retry with */
    public static boolean lastAttempt(int attempt, int maxAttempts) {
        return attempt >= maxAttempts;
    }

    private Decision retryOrExhaust(ClaimedJob job, ErrorCategory category) {
        if (lastAttempt(job.attempt(), job.maxAttempts())) {
            return new Decision(JobEvent.EXHAUST, category, 0);
        }
        return new Decision(JobEvent.FAIL_RETRYABLE, category, backoff.delayMs(job.attempt()));
    }
}
