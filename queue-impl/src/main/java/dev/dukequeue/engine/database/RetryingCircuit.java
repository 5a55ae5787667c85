package dev.dukequeue.engine.database;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * {@link GuardedCalls}' policy written out, for a host without MicroProfile Fault Tolerance interceptors (the
 * hand-built engine of a resource adapter): the same numbers as its annotations. A {@link StoreException} is retried
 * up to {@value #MAX_RETRIES} more times, {@value #RETRY_DELAY_MS} ms apart give or take {@value #RETRY_JITTER_MS} ms
 * (MicroProfile's jitter: 0..200 ms); every try counts for the circuit breaker, which opens when
 * {@value #FAILURES_TO_OPEN} of the last {@value #WINDOW} tries failed, refuses calls with
 * {@link CircuitBreakerOpenException} for {@value #OPEN_MS} ms, then lets one trial call through: its success closes
 * the circuit, its failure opens it again. Only {@link StoreException} counts as a failure ({@code failOn}); a call
 * refused by the open circuit is not retried (as with the annotations, where {@code Retry} surrounds the breaker).
 *
 * <p>Thread-safe. Time comes from the given monotonic clock and pauses go through the given sleeper, so tests drive
 * both.
 */
public final class RetryingCircuit {

    static final int MAX_RETRIES = 2;
    static final long RETRY_DELAY_MS = 100;
    static final long RETRY_JITTER_MS = 100;
    static final int WINDOW = 4;
    static final int FAILURES_TO_OPEN = 3;
    static final long OPEN_MS = 3000;

    /** Pauses between tries. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(long millis) throws InterruptedException;
    }

    private enum State { CLOSED, OPEN, HALF_OPEN }

    private final LongSupplier nanoTime;
    private final Sleeper sleeper;
    /** The outcomes of the last {@link #WINDOW} tries while closed: true for a failure. */
    private final Deque<Boolean> window = new ArrayDeque<>();
    private State state = State.CLOSED;
    private long openedAt;
    private boolean trialInFlight;

    /** With the system's monotonic clock and real pauses. */
    public RetryingCircuit() {
        this(System::nanoTime, Thread::sleep);
    }

    public RetryingCircuit(LongSupplier nanoTime, Sleeper sleeper) {
        this.nanoTime = nanoTime;
        this.sleeper = sleeper;
    }

    /**
     * Runs the operation under the policy.
     *
     * @throws CircuitBreakerOpenException if the circuit is open (the operation did not run)
     * @throws Exception                   what the last try threw
     */
    public <T> T call(Callable<T> operation) throws Exception {
        for (int retry = 0; ; retry++) {
            try {
                return once(operation);
            } catch (StoreException e) {
                if (retry >= MAX_RETRIES) {
                    throw e;
                }
                long jitter = ThreadLocalRandom.current().nextLong(-RETRY_JITTER_MS, RETRY_JITTER_MS + 1);
                sleeper.sleep(Math.max(0, RETRY_DELAY_MS + jitter));
            }
        }
    }

    private <T> T once(Callable<T> operation) throws Exception {
        boolean trial = admit();
        boolean failed = false;
        try {
            return operation.call();
        } catch (StoreException e) {
            failed = true;
            throw e;
        } finally {
            record(trial, failed);
        }
    }

    /** @return true if this call is the half-open circuit's trial */
    private synchronized boolean admit() {
        if (state == State.OPEN && nanoTime.getAsLong() - openedAt >= OPEN_MS * 1_000_000) {
            state = State.HALF_OPEN;
        }
        if (state == State.OPEN || (state == State.HALF_OPEN && trialInFlight)) {
            throw new CircuitBreakerOpenException("the database circuit is open");
        }
        if (state == State.HALF_OPEN) {
            trialInFlight = true;
            return true;
        }
        return false;
    }

    private synchronized void record(boolean trial, boolean failed) {
        if (trial) {
            trialInFlight = false;
            if (failed) {
                trip();
            } else {
                state = State.CLOSED;
                window.clear();
            }
            return;
        }
        if (state != State.CLOSED) {
            return; // a call admitted before the circuit opened: the opening already counted the failures
        }
        window.addLast(failed);
        if (window.size() > WINDOW) {
            window.removeFirst();
        }
        if (window.size() == WINDOW && window.stream().filter(f -> f).count() >= FAILURES_TO_OPEN) {
            trip();
        }
    }

    private void trip() {
        state = State.OPEN;
        openedAt = nanoTime.getAsLong();
        window.clear();
    }

    /** @return true while calls are refused (open, and its delay not yet over) */
    public synchronized boolean isOpen() {
        return state == State.OPEN && nanoTime.getAsLong() - openedAt < OPEN_MS * 1_000_000;
    }
}
