package dev.dukequeue.engine.dispatch;

import dev.dukequeue.engine.job.Lease;

/** Where a running attempt's checkpoints and progress go: the store, through the database guard and the lease fence. */
interface ProgressSink {

    /** @return false if the lease is gone */
    boolean checkpoint(Lease lease, String json);

    /** @return false if the lease is gone */
    boolean progress(Lease lease, int percent, String message);

    /** @return the largest checkpoint accepted, in UTF-8 bytes */
    int maxBytes();

    /** @return JSON text of {@code value}, or an exception naming the problem */
    String toJson(Object value);

    /** @return {@code json} mapped to {@code type} */
    <T> T fromJson(String json, Class<T> type);
}
