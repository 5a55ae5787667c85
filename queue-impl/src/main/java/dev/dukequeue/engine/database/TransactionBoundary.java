package dev.dukequeue.engine.database;

import java.util.function.Supplier;

/**
 * Who demarcates the transaction of one store operation. In the application's host the EJB container does, from the
 * store's {@code @TransactionAttribute}s, and this boundary does nothing ({@link #CONTAINER}). In a hand-built host
 * (a resource adapter: no EJB container) {@link HostTransactions} does it from the same attribute, passed by the store
 * method along with its work.
 */
@FunctionalInterface
public interface TransactionBoundary {

    /** The EJB transaction attributes the store's methods use, with their EJB meaning. */
    enum Attribute {
        /** Joins the caller's transaction, or runs in one of its own. */
        REQUIRED,
        /** Runs in a transaction of its own, whatever the caller has. */
        REQUIRES_NEW,
        /** Joins the caller's transaction if there is one, else runs without (here: in one of its own). */
        SUPPORTS,
        /** Runs outside the caller's transaction (here: in one of its own). */
        NOT_SUPPORTED
    }

    /** The container demarcates (or, in the store tests, the caller does): the work just runs. */
    TransactionBoundary CONTAINER = new TransactionBoundary() {
        @Override
        public <T> T run(Attribute attribute, Supplier<T> work) {
            return work.get();
        }
    };

    /**
     * Runs one store operation's work in the transaction its attribute asks for.
     *
     * @throws StoreException if the transaction could not be begun or committed; the work's own exceptions (after a
     *                        rollback) as they are
     */
    <T> T run(Attribute attribute, Supplier<T> work);
}
