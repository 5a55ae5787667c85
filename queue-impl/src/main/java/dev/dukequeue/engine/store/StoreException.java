package dev.dukequeue.engine.store;

import dev.dukequeue.JobQueueException;

/**
 * The database failed a store operation. Unchecked so that container-managed transactions roll back on it; the
 * message names the operation and the cause is the {@link java.sql.SQLException}.
 */
public class StoreException extends JobQueueException {

    public StoreException(String operation, Throwable cause) {
        super("job store: " + operation + " failed: " + cause.getMessage(), cause);
    }
}
