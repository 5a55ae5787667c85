package dev.dukequeue.engine.job;

import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with "equal jitter": after attempt {@code n} fails, the job waits between half and all of
 * {@code min(max, base * 2^(n-1))}. The jitter spreads retries of jobs that failed together (an outage) so that they
 * do not return together; the floor of one half keeps the growth visible. The delay is added to the database clock
 * and stored as the job's run-at, so it survives restarts.
 *
 * <p>Immutable and thread-safe.
 */
public final class BackoffPolicy {

    private final long baseMs;
    private final long maxMs;
    private final DoubleSupplier random;

    /**
     * @param base   the delay ceiling after the first failed attempt
     * @param max    the largest delay
     * @param random uniform numbers in [0, 1): the jitter source (fixed in tests)
     */
    public BackoffPolicy(Duration base, Duration max, DoubleSupplier random) {
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < base <= max, got base " + base + ", max " + max);
        }
        this.baseMs = base.toMillis();
        this.maxMs = max.toMillis();
        this.random = random;
    }

    /**
     * @param failedAttempt the number of the attempt that just failed, from 1
     * @return the delay before the next attempt, in milliseconds
     */
    public long delayMs(int failedAttempt) {
        int exponent = Math.max(0, Math.min(failedAttempt - 1, 62));
        long ceiling = exponent >= 62 || baseMs > (maxMs >> exponent) ? maxMs : Math.min(maxMs, baseMs << exponent);
        long half = ceiling / 2;
        return half + (long) (random.getAsDouble() * (ceiling - half + 1));
    }
}
