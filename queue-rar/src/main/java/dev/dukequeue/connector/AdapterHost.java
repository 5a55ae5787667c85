package dev.dukequeue.connector;

import dev.dukequeue.engine.host.EngineHost;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.UnavailableException;
import jakarta.transaction.InvalidTransactionException;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.Transaction;
import jakarta.transaction.TransactionManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.time.Duration;
import java.util.Optional;
import java.util.Timer;
import java.util.TimerTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;

/**
 * What the server gives the engine when the adapter hosts it: the {@code BootstrapContext}'s timer for the
 * housekeeping tick, the server's transaction manager (is a JTA transaction active on this thread? which one does a
 * delivery run in?), and the threads of the engine's loops and workers.
 *
 * <p>Threads: the engine's claim loop, completion writers, scheduler and workers are long-lived or unbounded (a hung
 * handler keeps its thread, never a slot), which a {@code WorkManager}'s bounded pool cannot give without starving its
 * other users; they are daemon threads of the adapter, named {@code dukequeue-rar-*}, carrying the adapter's class
 * loader. A job's delivery to its message-driven bean runs on such a worker, inside the endpoint's
 * {@code beforeDelivery}/{@code afterDelivery}, which set up the bean's own context and transaction.
 */
final class AdapterHost implements EngineHost {

    private static final Logger LOG = Logger.getLogger(AdapterHost.class.getName());
    /** Payara's and GlassFish's name for the transaction manager; an adapter has no java:comp of its own. */
    static final String TRANSACTION_MANAGER = "java:appserver/TransactionManager";
    static final String SYNCHRONIZATION_REGISTRY = "java:appserver/TransactionSynchronizationRegistry";

    private final BootstrapContext bootstrap;
    private final ClassLoader loader = AdapterHost.class.getClassLoader();
    private final AtomicInteger threadNumber = new AtomicInteger();
    private volatile TransactionManager transactionManager;
    private volatile TransactionSynchronizationRegistry registry;

    AdapterHost(BootstrapContext bootstrap) {
        this.bootstrap = bootstrap;
    }

    @Override
    public ThreadFactory threads() {
        return task -> {
            Thread t = new Thread(task, "dukequeue-rar-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            t.setContextClassLoader(loader);
            return t;
        };
    }

    @Override
    public AutoCloseable every(Duration period, Runnable task) {
        Timer timer;
        try {
            timer = bootstrap.createTimer();
        } catch (UnavailableException e) {
            throw new IllegalStateException("the server gave the adapter no timer: " + e.getMessage(), e);
        }
        long ms = Math.max(1, period.toMillis());
        timer.schedule(new TimerTask() {
            @Override
            public void run() {
                try {
                    task.run();
                } catch (RuntimeException | Error e) { // a failed tick must not cancel the timer
                    LOG.log(Level.WARNING, "DukeQueue adapter: a housekeeping tick failed", e);
                }
            }
        }, ms, ms);
        return timer::cancel;
    }

    @Override
    public boolean transactionActive() {
        TransactionManager tm = transactionManager();
        try {
            int status = tm.getStatus();
            return status != Status.STATUS_NO_TRANSACTION;
        } catch (SystemException e) {
            throw new IllegalStateException("transaction status: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<TransactionSynchronizationRegistry> transactions() {
        TransactionSynchronizationRegistry r = registry;
        if (r == null) {
            try {
                r = (TransactionSynchronizationRegistry) new InitialContext().lookup(SYNCHRONIZATION_REGISTRY);
                registry = r;
            } catch (NamingException | ClassCastException e) {
                LOG.fine(() -> "no " + SYNCHRONIZATION_REGISTRY + ": " + e);
                return Optional.empty();
            }
        }
        return Optional.of(r);
    }

    @Override
    public <T> T outsideTransaction(Supplier<T> work) {
        TransactionManager tm = transactionManager();
        Transaction suspended;
        try {
            suspended = tm.suspend();
        } catch (SystemException e) {
            throw new IllegalStateException("the caller's transaction cannot be suspended: " + e.getMessage(), e);
        }
        try {
            return work.get();
        } finally {
            if (suspended != null) {
                try {
                    tm.resume(suspended);
                } catch (InvalidTransactionException | SystemException e) {
                    throw new IllegalStateException("the caller's transaction cannot be resumed: " + e.getMessage(), e);
                }
            }
        }
    }

    /** @return the server's transaction manager (looked up once) */
    TransactionManager transactionManager() {
        TransactionManager tm = transactionManager;
        if (tm == null) {
            try {
                tm = (TransactionManager) new InitialContext().lookup(TRANSACTION_MANAGER);
            } catch (NamingException e) {
                throw new IllegalStateException("the server's transaction manager (" + TRANSACTION_MANAGER
                        + ") cannot be found: " + e.getMessage(), e);
            }
            transactionManager = tm;
        }
        return tm;
    }
}
