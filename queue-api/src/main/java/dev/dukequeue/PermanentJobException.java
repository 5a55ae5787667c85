package dev.dukequeue;

/**
 * Thrown by a handler to say that this job can never succeed (a malformed payload, a referenced record that does
 * not exist): the attempt is recorded with category {@link ErrorCategory#PERMANENT} and the job goes to
 * {@link JobState#FAILED} at once, without further retries.
 */
public class PermanentJobException extends RuntimeException {

    public PermanentJobException(String message) {
        super(message);
    }

    public PermanentJobException(String message, Throwable cause) {
        super(message, cause);
    }
}
