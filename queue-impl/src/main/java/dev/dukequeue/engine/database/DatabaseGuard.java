package dev.dukequeue.engine.database;

import dev.dukequeue.JobQueueException;
import dev.dukequeue.QueueUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import org.eclipse.microprofile.faulttolerance.exceptions.CircuitBreakerOpenException;

/**
 * Every store operation of the engine goes through here: retries and the circuit breaker ({@link GuardedCalls}), and
 * the database's state as this node sees it, which readiness reports and submissions check. While the breaker is open
 * submissions are refused with {@link QueueUnavailableException} (REST 503 with Retry-After), claiming pauses and
 * readiness is DOWN; the first successful call closes it again, so the node heals by itself.
 *
 * <p>A full disk under the database (playbook scenario 8: PostgreSQL's SQLState 53100 {@code disk_full}, MariaDB's
 * errors 1021 and 1114, H2's "No space left on device") is a failure that retrying at once cannot fix and that a
 * single submission can find: the first one seen, by any store call, makes readiness DOWN and refuses submissions
 * with 503 for {@link #RETRY_AFTER}. The next call after that tries the database again, so the node heals by itself
 * once space is freed, with no restart.
 */
@ApplicationScoped
public class DatabaseGuard {

    private static final Logger LOG = Logger.getLogger(DatabaseGuard.class.getName());
    /** How long callers are told to wait while the breaker is open (its delay). */
    public static final Duration RETRY_AFTER = Duration.ofSeconds(3);

    @Inject
    GuardedCalls guarded;

    @Inject
    dev.dukequeue.engine.observe.EngineMetrics metrics;

    /** This node's wall clock: it only stamps when the circuit opened (reported by readiness and the log). */
    @Inject
    @dev.dukequeue.engine.config.EngineClock
    java.time.Clock clock = java.time.Clock.systemUTC();

    /** For CDI. */
    public DatabaseGuard() {
    }

    /** Outside CDI (the hand-built engine): {@code guarded} applies the policy itself ({@link GuardedCalls#programmatic}). */
    public DatabaseGuard(GuardedCalls guarded, dev.dukequeue.engine.observe.EngineMetrics metrics,
            java.time.Clock clock) {
        this.guarded = guarded;
        this.metrics = metrics;
        this.clock = clock;
    }

    private volatile Instant openSince;
    /** Until when (System.nanoTime) the database is taken as out of disk space; 0: it is not. */
    private volatile long diskFullUntilNanos;
    /** When the disk-full warning was last logged (System.nanoTime); at most one a minute while the disk stays full. */
    private volatile long diskFullLoggedNanos = System.nanoTime() - DISK_FULL_LOG_EVERY.toNanos();
    private static final Duration DISK_FULL_LOG_EVERY = Duration.ofMinutes(1);
    private volatile String lastError;
    private final AtomicLong failures = new AtomicLong();

    /**
     * Runs a store operation under the fault-tolerance policy.
     *
     * @param what a few words for logs ("claim", "completion of ...")
     * @throws QueueUnavailableException if the circuit is open
     * @throws JobQueueException         whatever the operation threw once retries were spent
     */
    public <T> T call(String what, Callable<T> operation) {
        // The last failure of a try, so that a call whose retries were cut short by the circuit opening (other
        // threads' failures opened it) still counts as a failed call, with its cause, instead of vanishing.
        StoreException[] lastTry = new StoreException[1];
        Callable<T> recorded = () -> {
            try {
                return operation.call();
            } catch (StoreException e) {
                lastTry[0] = e;
                throw e;
            }
        };
        try {
            T result = guarded.call(recorded);
            succeeded();
            return result;
        } catch (CircuitBreakerOpenException e) {
            if (lastTry[0] != null) {
                failed(what, lastTry[0]);
            }
            opened();
            throw unavailable(e);
        } catch (StoreException e) {
            failed(what, e);
            throw e;
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new JobQueueException(what + " failed: " + e.getMessage(), e);
        }
    }

    /**
     * Refuses new work while the circuit is open, so that a submission fails fast with a clear error.
     *
     * @throws QueueUnavailableException if it is open
     */
    public void ensureAvailable() {
        if (openSince != null) {
            throw unavailable(null);
        }
        if (diskFull()) {
            throw new QueueUnavailableException("the database is out of disk space (last error: " + lastError
                    + "); nothing was written, retry in " + RETRY_AFTER.toSeconds() + " s", RETRY_AFTER, null);
        }
    }

    /** Records a failure of an operation that is not retried here (a submission joined to the caller's transaction). */
    public void failed(String what, StoreException e) {
        failures.incrementAndGet();
        metrics.persistenceErrors(1);
        lastError = what + ": " + e.getMessage();
        if (StoreException.diskFull(e)) {
            long now = System.nanoTime();
            diskFullUntilNanos = now + RETRY_AFTER.toNanos();
            if (now - diskFullLoggedNanos >= DISK_FULL_LOG_EVERY.toNanos()) {
                diskFullLoggedNanos = now;
                LOG.severe(() -> "database out of disk space (" + lastError + "): submissions are refused with 503"
                        + " and readiness is DOWN for " + RETRY_AFTER.toSeconds() + " s after each such failure"
                        + " (logged at most once a minute)");
            }
        }
    }

    /** @return true while the last disk-full failure is younger than {@link #RETRY_AFTER} */
    public boolean diskFull() {
        long until = diskFullUntilNanos;
        return until != 0 && System.nanoTime() - until < 0;
    }

    private void succeeded() {
        if (openSince != null) {
            LOG.info(() -> "database reachable again after " + Duration.between(openSince, clock.instant()).toSeconds()
                    + " s; circuit closed, claiming and submissions resume");
        }
        openSince = null;
    }

    private void opened() {
        if (openSince == null) {
            openSince = clock.instant();
            LOG.severe(() -> "database circuit OPEN after repeated failures (last: " + lastError + "): submissions are "
                    + "refused with 503, claiming pauses, readiness is DOWN until the database answers again");
        }
    }

    private QueueUnavailableException unavailable(Throwable cause) {
        return new QueueUnavailableException("the job store is unavailable (database circuit open"
                + (lastError == null ? "" : "; last error: " + lastError) + "); nothing was written, retry in "
                + RETRY_AFTER.toSeconds() + " s", RETRY_AFTER, cause);
    }

    /** @return true unless the circuit is open */
    public boolean available() {
        return openSince == null;
    }

    /** @return since when the circuit is open, if it is */
    public Optional<Instant> openSince() {
        return Optional.ofNullable(openSince);
    }

    /** @return the last database error seen, if any */
    public Optional<String> lastError() {
        return Optional.ofNullable(lastError);
    }

    /** @return database failures seen by this node since it started (after retries) */
    public long failures() {
        return failures.get();
    }
}
