package dev.dukequeue;

/**
 * A connection to DukeQueue through its resource adapter: the whole {@link JobQueue}, with the same transaction
 * semantics (a submission joins the caller's JTA transaction), plus {@link #close()}. Not thread-safe: one connection
 * per thread and task; the server pools them.
 */
public interface JobQueueConnection extends JobQueue, AutoCloseable {

    /**
     * Gives the connection back to the server's pool. Idempotent. Calling any other method afterwards throws
     * {@link IllegalStateException}. Jobs submitted in an open transaction are unaffected: they commit or roll back
     * with it.
     */
    @Override
    void close();
}
