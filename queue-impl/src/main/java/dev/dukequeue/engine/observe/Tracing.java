package dev.dukequeue.engine.observe;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Traces through MicroProfile Telemetry (OpenTelemetry, which Payara ships): a submission keeps the submitter's trace
 * context ({@link #currentTraceparent()}, stored with the job), and each attempt runs in a span whose parent it is
 * ({@link #attempt}), so that one trace shows the request that submitted the job and every attempt that ran it.
 *
 * <p>Optional at run time: without the OpenTelemetry API on the class path (a hand-built engine outside a server) or
 * with Payara's telemetry off ({@code otel.sdk.disabled}, its default), spans are no-ops and nothing is exported.
 * Every OpenTelemetry type is in {@link OpenTelemetrySpans}, loaded only when the API is there. A failure of the
 * tracing itself is logged once and never fails a submission or an attempt.
 */
public final class Tracing {

    private static final Logger LOG = Logger.getLogger(Tracing.class.getName());
    private static final boolean AVAILABLE = available();
    private static volatile boolean warned;

    private Tracing() {
    }

    private static boolean available() {
        try {
            Class.forName("io.opentelemetry.api.trace.Span", false, Tracing.class.getClassLoader());
            Class.forName("io.opentelemetry.context.Context", false, Tracing.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** @return the calling thread's span as a W3C {@code traceparent}, or null (no valid span, or no tracing) */
    public static String currentTraceparent() {
        if (!AVAILABLE) {
            return null;
        }
        try {
            return OpenTelemetrySpans.currentTraceparent();
        } catch (RuntimeException | LinkageError e) {
            warn(e);
            return null;
        }
    }

    /** One attempt's span: ended once, with the attempt's outcome. */
    public interface AttemptSpan {
        /**
         * Ends the span.
         *
         * @param outcome {@code succeeded}, {@code failed}...
         * @param thrown  what the handler threw, or null
         */
        void end(String outcome, Throwable thrown);
    }

    private static final AttemptSpan NONE = (outcome, thrown) -> {
    };

    /**
     * Starts the span of an attempt on the worker thread (and makes it current there: a span the handler starts is its
     * child). Its parent is the submitter's span when the job has one.
     *
     * @param traceparent the job's stored trace context, or null
     */
    public static AttemptSpan attempt(String traceparent, String jobId, String type, String queue, int attempt,
            String node) {
        if (!AVAILABLE) {
            return NONE;
        }
        try {
            return OpenTelemetrySpans.attempt(traceparent, jobId, type, queue, attempt, node);
        } catch (RuntimeException | LinkageError e) {
            warn(e);
            return NONE;
        }
    }

    static void warn(Throwable e) {
        if (!warned) {
            warned = true;
            LOG.log(Level.WARNING, "tracing failed; jobs run untraced from here on this node's failures of it", e);
        }
    }
}
