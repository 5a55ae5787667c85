package dev.dukequeue.engine.store;

import dev.dukequeue.JobQueueException;
import jakarta.ejb.ApplicationException;

/**
 * The database failed a store operation. Unchecked so that container-managed transactions roll back on it; the
 * message names the operation and the cause is the {@link java.sql.SQLException}.
 */
@ApplicationException(rollback = true, inherited = true)
public class StoreException extends JobQueueException {

    public StoreException(String operation, Throwable cause) {
        super("job store: " + operation + " failed: " + cause.getMessage(), cause);
    }
}
