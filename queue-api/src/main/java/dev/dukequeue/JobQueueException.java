package dev.dukequeue;

/**
 * Base of the exceptions the queue throws to its callers. Unchecked, so that a rejected submission does not force
 * handling code into every caller; each subclass says what went wrong and what, if anything, was written.
 */
public class JobQueueException extends RuntimeException {

    public JobQueueException(String message) {
        super(message);
    }

    public JobQueueException(String message, Throwable cause) {
        super(message, cause);
    }
}
