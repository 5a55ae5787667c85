package dev.dukequeue.engine.database;

import java.util.function.Supplier;

/**
 * The store's transactions in a host without an EJB container (the hand-built engine of a resource adapter), from the
 * attribute each store method declares:
 * <ul>
 * <li>already inside a local transaction of {@link LocalTransactions} on this thread (a store call made by work that
 * runs in one): the work runs on that connection, never in a nested transaction;</li>
 * <li>a JTA transaction is active on the thread and the method joins ({@code REQUIRED}, {@code SUPPORTS}): the work
 * takes its connection from the server's data source, which enlists it in that transaction (a submission then rolls
 * back with the application's work);</li>
 * <li>otherwise the work runs in a local transaction on one connection, committed or rolled back as a whole, so that
 * multi-statement operations (fail, release, rescue, submit...) stay atomic. When a JTA transaction is active and the
 * method must not join it ({@code REQUIRES_NEW}, {@code NOT_SUPPORTED}), the host first takes it off the thread
 * ({@link Jta#outsideTransaction}): a connection enlisted in it could not run a local transaction.</li>
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class HostTransactions implements TransactionBoundary {

    /** What the host knows of JTA on the calling thread. */
    public interface Jta {
        /** @return true if a JTA transaction is active on the calling thread */
        boolean transactionActive();

        /** Runs the work with the thread's JTA transaction suspended (resumed afterwards). */
        <T> T outsideTransaction(Supplier<T> work);
    }

    private final LocalTransactions local;
    private final Jta jta;

    /**
     * @param local the data source the store uses, so that its connections are the local transactions' own
     * @param jta   the host's answer to "is a JTA transaction active on this thread"
     */
    public HostTransactions(LocalTransactions local, Jta jta) {
        this.local = local;
        this.jta = jta;
    }

    @Override
    public <T> T run(Attribute attribute, Supplier<T> work) {
        if (local.bound()) {
            return work.get();
        }
        if (!jta.transactionActive()) {
            return local.inTransaction(work);
        }
        if (attribute == Attribute.REQUIRED || attribute == Attribute.SUPPORTS) {
            return work.get();
        }
        return jta.outsideTransaction(() -> local.inTransaction(work));
    }
}
