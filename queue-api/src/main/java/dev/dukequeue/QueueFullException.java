package dev.dukequeue;

import java.time.Duration;

/**
 * A queue holds as many waiting jobs as it may ({@code dukequeue.queue.max-waiting}, or
 * {@code dukequeue.queue.<name>.max-waiting}): the submission is refused before anything is written, and the caller's
 * transaction is not marked for rollback. The REST API answers 429 with a {@code Retry-After} header.
 */
public class QueueFullException extends JobQueueException {

    private final String queue;
    private final long waiting;
    private final long limit;
    private final Duration retryAfter;

    public QueueFullException(String queue, long waiting, long limit, Duration retryAfter) {
        super("queue '" + queue + "' is full: " + waiting + " jobs waiting, limit " + limit + "; retry in "
                + retryAfter.toSeconds() + " s");
        this.queue = queue;
        this.waiting = waiting;
        this.limit = limit;
        this.retryAfter = retryAfter;
    }

    /** @return the full queue */
    public String queue() {
        return queue;
    }

    /** @return jobs waiting in it when the submission was refused */
    public long waiting() {
        return waiting;
    }

    /** @return its limit */
    public long limit() {
        return limit;
    }

    /** @return how long to wait before trying again */
    public Duration retryAfter() {
        return retryAfter;
    }
}
