package dev.dukequeue.engine.database;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Callable;
import org.eclipse.microprofile.faulttolerance.CircuitBreaker;
import org.eclipse.microprofile.faulttolerance.Retry;

/**
 * The MicroProfile Fault Tolerance policy around the database, applied by the container's interceptors. One method,
 * so one circuit breaker for every store operation that runs in a transaction of its own: a failing database opens it
 * whichever operation notices first. Tune through MicroProfile Config, for example
 * {@code dev.dukequeue.engine.database.GuardedCalls/call/CircuitBreaker/delay=10000}.
 *
 * <p>Only {@link DatabaseGuard} calls this. Outside CDI (the hand-built engine, where no interceptor applies the
 * annotations) {@link #programmatic()} gives one that applies the same policy itself ({@link RetryingCircuit}).
 */
@ApplicationScoped
public class GuardedCalls {

    /** Null under CDI: the interceptors apply the policy. */
    private final RetryingCircuit circuit;

    /** For CDI. */
    public GuardedCalls() {
        this(null);
    }

    private GuardedCalls(RetryingCircuit circuit) {
        this.circuit = circuit;
    }

    /** @return calls under the same policy, applied without interceptors, with the system clock */
    public static GuardedCalls programmatic() {
        return programmatic(new RetryingCircuit());
    }

    /** @return calls under the given circuit's policy (a test gives one with its own clock) */
    public static GuardedCalls programmatic(RetryingCircuit circuit) {
        return new GuardedCalls(circuit);
    }

    /**
     * Runs one store operation (its own transaction) with retries for transient failures and the circuit breaker.
     * Retried: {@link StoreException} (lost connections, timeouts, a restarting database), up to 2 more times with
     * 0..200 ms between tries (100 ms, jitter 100 ms). The breaker opens when 3 of the last 4 calls failed, stays open 3 s, then lets one
     * trial call through.
     */
    @Retry(maxRetries = 2, delay = 100, jitter = 100, delayUnit = ChronoUnit.MILLIS, retryOn = StoreException.class)
    @CircuitBreaker(requestVolumeThreshold = 4, failureRatio = 0.75, delay = 3000, delayUnit = ChronoUnit.MILLIS,
            successThreshold = 1, failOn = StoreException.class)
    public <T> T call(Callable<T> operation) throws Exception {
        return circuit == null ? operation.call() : circuit.call(operation);
    }
}
