package dev.dukequeue.web.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;

class InternalErrorsTest {

    @Test
    /**
     * What the JSON 500 of {@link ErrorMappers.Unexpected} and {@link ApiErrorServlet} says (their status and content
     * type are checked over HTTP by ApiInputIT: a {@code Response} needs a JAX-RS runtime, which unit tests lack).
     */
    void anUnexpectedFailureGetsAnErrorIdThatIsLoggedWithTheStackTraceAndNoInternals() {
        List<LogRecord> logged = new ArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord r) {
                logged.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        InternalErrors.LOG.addHandler(capture);
        try {
            IllegalStateException failure = new IllegalStateException("secret internals");
            String message = InternalErrors.message(InternalErrors.record(failure, "GET /api/v1/x"));

            assertThat(message).doesNotContain("secret internals").doesNotContain("IllegalStateException");
            String id = message.replaceAll(".*error id ([0-9a-f-]{36}).*", "$1");
            assertThat(id).hasSize(36);
            assertThat(logged).singleElement().satisfies(rec -> {
                assertThat(rec.getThrown()).isSameAs(failure);
                assertThat(rec.getMessage()).contains(id).contains("GET /api/v1/x");
            });
        } finally {
            InternalErrors.LOG.removeHandler(capture);
        }
    }
}
