package dev.dukequeue.engine.store;

/**
 * How many more jobs a queue takes, given how many wait in it now: the backpressure rule, handed to the store by the
 * submission side ({@code submit.Backpressure#room}) so that the store can apply it to recurring jobs under the
 * schedule's row lock without knowing the limits.
 */
@FunctionalInterface
public interface QueueRoom {

    /** No limit (callers without a configuration: tests). */
    QueueRoom UNLIMITED = (queue, waiting) -> Long.MAX_VALUE;

    /**
     * @param queue   the queue
     * @param waiting jobs waiting in it now (SCHEDULED or PENDING)
     * @return how many more jobs it takes; zero or less when it is full
     */
    long room(String queue, long waiting);
}
