package dev.dukequeue.engine.observe;

import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.util.regex.Pattern;

/** {@link Tracing}'s OpenTelemetry side: only loaded when the API is on the class path. */
final class OpenTelemetrySpans {

    static final AttributeKey<String> JOB_ID = AttributeKey.stringKey("dukequeue.job.id");
    static final AttributeKey<String> JOB_TYPE = AttributeKey.stringKey("dukequeue.job.type");
    static final AttributeKey<String> QUEUE = AttributeKey.stringKey("dukequeue.queue");
    static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("dukequeue.job.attempt");
    static final AttributeKey<String> NODE = AttributeKey.stringKey("dukequeue.node");
    static final AttributeKey<String> OUTCOME = AttributeKey.stringKey("dukequeue.job.outcome");

    /** {@code 00-<32 hex>-<16 hex>-<2 hex>}, version 00 of W3C Trace Context. */
    private static final Pattern TRACEPARENT = Pattern.compile("00-[0-9a-f]{32}-[0-9a-f]{16}-[0-9a-f]{2}");

    private static volatile Tracer tracer;

    private OpenTelemetrySpans() {
    }

    static String currentTraceparent() {
        SpanContext c = Span.current().getSpanContext();
        if (!c.isValid()) {
            return null;
        }
        return "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex();
    }

    /** @return the remote span context the traceparent names, or null if it is not a valid one */
    static SpanContext parse(String traceparent) {
        if (traceparent == null || !TRACEPARENT.matcher(traceparent).matches()) {
            return null;
        }
        SpanContext c = SpanContext.createFromRemoteParent(traceparent.substring(3, 35), traceparent.substring(36, 52),
                TraceFlags.fromHex(traceparent, 53), TraceState.getDefault());
        return c.isValid() ? c : null;
    }

    static Tracing.AttemptSpan attempt(String traceparent, String jobId, String type, String queue, int attempt,
            String node) {
        SpanContext remote = parse(traceparent);
        Context parent = remote == null ? Context.root() : Context.root().with(Span.wrap(remote));
        Span span = tracer().spanBuilder("dukequeue.job " + type).setParent(parent).setSpanKind(SpanKind.CONSUMER)
                .setAttribute(JOB_ID, jobId).setAttribute(JOB_TYPE, type).setAttribute(QUEUE, queue)
                .setAttribute(ATTEMPT, (long) attempt).setAttribute(NODE, node).startSpan();
        Scope scope = span.makeCurrent();
        return (outcome, thrown) -> {
            try {
                span.setAttribute(OUTCOME, outcome);
                if (thrown != null) {
                    span.recordException(thrown);
                    span.setStatus(StatusCode.ERROR, String.valueOf(thrown.getMessage()));
                }
                span.end();
            } finally {
                scope.close();
            }
        };
    }

    /**
     * @return the server's tracer: Payara's MicroProfile Telemetry (its CDI bean, configured by MicroProfile Config:
     *         {@code otel.*}), or the global one outside CDI
     */
    private static Tracer tracer() {
        Tracer t = tracer;
        if (t == null) {
            OpenTelemetry otel;
            try {
                otel = jakarta.enterprise.inject.spi.CDI.current().select(OpenTelemetry.class).get();
            } catch (RuntimeException | LinkageError outsideCdi) {
                otel = GlobalOpenTelemetry.get();
            }
            t = otel.getTracer("dev.dukequeue", "1");
            tracer = t;
        }
        return t;
    }
}
