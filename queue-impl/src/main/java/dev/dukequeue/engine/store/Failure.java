package dev.dukequeue.engine.store;

import dev.dukequeue.ErrorCategory;
import dev.dukequeue.engine.job.AttemptOutcome;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Objects;

/**
 * How an attempt failed, as written to the job's last error and to the attempt row.
 *
 * @param outcome    how the attempt ended
 * @param category   the error category
 * @param message    one line (capped at 2,000 characters)
 * @param stackTrace the full stack trace, or null (capped at 32,000 characters)
 */
public record Failure(AttemptOutcome outcome, ErrorCategory category, String message, String stackTrace) {

    static final int MAX_MESSAGE = 2000;
    static final int MAX_STACK = 32000;

    public Failure {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(category, "category");
        message = cap(message == null ? "" : message, MAX_MESSAGE);
        stackTrace = stackTrace == null ? null : cap(stackTrace, MAX_STACK);
    }

    /** A failure thrown by a handler. */
    public static Failure thrown(ErrorCategory category, Throwable t) {
        StringWriter trace = new StringWriter();
        t.printStackTrace(new PrintWriter(trace));
        return new Failure(AttemptOutcome.FAILED, category, t.getClass().getName() + ": " + t.getMessage(),
                trace.toString());
    }

    /** A failure the engine observed itself (timeout, lost lease), with no stack trace. */
    public static Failure observed(AttemptOutcome outcome, ErrorCategory category, String message) {
        return new Failure(outcome, category, message, null);
    }

    private static String cap(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
