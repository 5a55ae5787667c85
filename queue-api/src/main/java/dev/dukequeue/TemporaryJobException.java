package dev.dukequeue;

/**
 * Thrown by a handler to say the failure is transient (an external service is down, a lock timed out): recorded
 * with category {@link ErrorCategory#TEMPORARY} and retried with backoff while attempts remain. Checked exceptions
 * are classified the same way; this unchecked form is for code that cannot throw checked exceptions.
 */
public class TemporaryJobException extends RuntimeException {

    public TemporaryJobException(String message) {
        super(message);
    }

    public TemporaryJobException(String message, Throwable cause) {
        super(message, cause);
    }
}
