package dev.dukequeue;

import java.time.Duration;

/**
 * The queue cannot accept or change jobs right now: its database is unreachable or failing and the circuit breaker
 * that guards it is open, or the node is still starting. Nothing was written. Try again after {@link #retryAfter()};
 * the REST API answers 503 with a {@code Retry-After} header.
 */
public class QueueUnavailableException extends JobQueueException {

    private final Duration retryAfter;

    public QueueUnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** @return how long to wait before trying again */
    public Duration retryAfter() {
        return retryAfter;
    }
}
