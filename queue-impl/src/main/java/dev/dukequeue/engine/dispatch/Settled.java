package dev.dukequeue.engine.dispatch;

/**
 * What a {@link JobHandlers#invoke} returns when the handler has already settled its job's outcome in a transaction
 * of its own, together with its own work (exactly once: a message-driven bean whose delivery transaction also
 * completes the job through {@code JdbcJobStore.completeInCallerTransaction}). The dispatcher then writes nothing for
 * this attempt: it frees the worker slot, stops renewing the lease and forgets the execution, counting a completion
 * when {@code completed}.
 *
 * @param completed true if the handler's transaction completed the job (committed); false if the lease fence refused
 *                  the completion (the job was rescued, cancelled or taken over: its new owner decides)
 */
public record Settled(boolean completed) {
}
