package dev.dukequeue.engine.host;

import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/**
 * What a host without CDI or EJB gives the {@link StandaloneEngine}: the services the application server's containers
 * give the engine in the CDI host. A resource adapter answers with its WorkManager, its BootstrapContext's timer and
 * the server's transaction registry; a test with plain threads and a scheduled executor.
 *
 * <p>Implementations are called from the engine's threads and must be thread-safe.
 */
public interface EngineHost {

    /**
     * @return makes every thread of the engine: the start-up thread, the dispatcher, the workers that run handlers,
     *         the completion writers and the scheduler (timeouts, heartbeats). Threads that run handlers should carry
     *         whatever context handlers need.
     */
    ThreadFactory threads();

    /**
     * Runs {@code task} every {@code period}, first after one period, until the returned handle is closed. Used for
     * the housekeeping tick (rescue of expired leases, dependency sweep, node heartbeat). A tick that outlasts the
     * period may overlap the next: the engine copes.
     *
     * @return what cancels it
     */
    AutoCloseable every(Duration period, Runnable task);

    /** @return true if a JTA transaction is active on the calling thread (the server's registry knows) */
    boolean transactionActive();

    /**
     * Runs {@code work} with the calling thread's JTA transaction suspended and resumes it afterwards: a store
     * operation that must not join the caller's transaction (a checkpoint written by a handler that runs in one) then
     * runs in a local transaction of its own. Only called while {@link #transactionActive()}; a host that never
     * reports an active transaction may keep this default.
     */
    default <T> T outsideTransaction(Supplier<T> work) {
        return work.get();
    }

    /**
     * @return the server's registry, if the host has one: a submission joined to the caller's JTA transaction then
     *         wakes the dispatcher after that transaction commits and marks it rollback-only if the batch was refused
     *         half-written. A host whose {@link #transactionActive()} can be true must give it.
     */
    default Optional<TransactionSynchronizationRegistry> transactions() {
        return Optional.empty();
    }
}
