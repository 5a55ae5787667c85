package dev.dukequeue;

import java.util.Objects;

/**
 * The error of a job's last failed attempt.
 *
 * @param category how the failure was classified
 * @param message  a one-line description (the exception's class and message, or the engine's reason)
 */
public record JobError(ErrorCategory category, String message) {

    public JobError {
        Objects.requireNonNull(category, "category");
        message = message == null ? "" : message;
    }
}
