package dev.dukequeue.engine.database;

import dev.dukequeue.JobQueueException;
import jakarta.ejb.ApplicationException;

/**
 * The database failed a store operation. Unchecked so that container-managed transactions roll back on it; the
 * message names the operation and the cause is the {@link java.sql.SQLException}.
 */
@ApplicationException(rollback = true, inherited = true)
public class StoreException extends JobQueueException {

    /** The longest database message kept (a batch's message quotes its whole statement, payloads included). */
    static final int MAX_MESSAGE = 500;

    public StoreException(String operation, Throwable cause) {
        super("job store: " + operation + " failed: " + describe(jdbcCause(cause)), jdbcCause(cause));
    }

    /**
     * The JDBC failure behind a pool's wrapper: a server's connection proxy (Payara's SQL-trace proxy around the
     * connections of a JDBC resource) may throw a driver's SQLException as an {@code UndeclaredThrowableException}
     * ("This connection has been closed." once the database restarted). Unwrapped so that the failure is reported,
     * retried and counted by the circuit like any other database failure.
     */
    static Throwable jdbcCause(Throwable cause) {
        if (!(cause instanceof java.lang.reflect.UndeclaredThrowableException)) {
            return cause;
        }
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException) {
                return t;
            }
        }
        return cause;
    }

    /**
     * The database's own words: for a failed JDBC batch the first chained exception (the server's error), not the
     * batch's message, which quotes the whole statement with its parameters (payloads of every job); at most
     * {@link #MAX_MESSAGE} characters.
     */
    static String describe(Throwable cause) {
        Throwable shown = cause;
        if (cause instanceof java.sql.BatchUpdateException b && b.getNextException() != null) {
            shown = b.getNextException();
        }
        String message = String.valueOf(shown.getMessage());
        return message.length() <= MAX_MESSAGE ? message : message.substring(0, MAX_MESSAGE) + "...";
    }

    /**
     * @return true if the database failed for lack of disk space: PostgreSQL SQLState 53100 ({@code disk_full}),
     *         MariaDB/MySQL errors 1021 ({@code ER_DISK_FULL}) and 1114 ({@code ER_RECORD_FILE_FULL}), or the
     *         operating system's "No space left on device" in the message (H2)
     */
    public static boolean diskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLException s) {
                for (java.sql.SQLException x = s; x != null; x = x.getNextException()) {
                    if ("53100".equals(x.getSQLState()) || x.getErrorCode() == 1021
                            || (x.getErrorCode() == 1114 && "HY000".equals(x.getSQLState()))) {
                        return true;
                    }
                    if (String.valueOf(x.getMessage()).contains("No space left on device")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
