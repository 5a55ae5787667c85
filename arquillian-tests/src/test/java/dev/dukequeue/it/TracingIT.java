package dev.dukequeue.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dukequeue.it.process.OtlpReceiver;
import dev.dukequeue.it.process.OtlpReceiver.ExportedSpan;
import java.net.URL;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Tracing through MicroProfile Telemetry, as a collector sees it: the node (Payara Micro's own OpenTelemetry, switched
 * on by MicroProfile Config) exports OTLP/HTTP to a receiver this test starts, and one trace holds the request that
 * submitted the job (its {@code traceparent} sent by the test) and every attempt that ran it, each attempt a child of
 * the submitting request's span, with the job's id, type, queue, attempt, node and outcome.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class TracingIT {

    private static OtlpReceiver receiver;

    @Deployment(name = "dukequeue", testable = false)
    static WebArchive deployment() throws Exception {
        receiver = OtlpReceiver.start();
        Map<String, String> config = Deployments.fastEngine("it-tracing");
        config.put("dukequeue.data.dir", Deployments.freshDataDir("tracing"));
        config.put("otel.sdk.disabled", "false");
        config.put("otel.service.name", "dukequeue-it");
        config.put("otel.traces.exporter", "otlp");
        config.put("otel.exporter.otlp.protocol", "http/protobuf");
        config.put("otel.exporter.otlp.endpoint", receiver.endpoint());
        config.put("otel.bsp.schedule.delay", "100");
        config.put("otel.metrics.exporter", "none");
        config.put("otel.logs.exporter", "none");
        return Deployments.dukequeue(config);
    }

    @AfterAll
    static void stop() {
        if (receiver != null) {
            receiver.close();
        }
    }

    @ArquillianResource
    URL base;

    @Test
    void oneTraceHoldsTheSubmittingRequestAndEveryAttemptWithTheJobsAttributes() throws Exception {
        String traceId = UUID.randomUUID().toString().replace("-", "");
        String callerSpan = traceId.substring(0, 16);
        ApiClient api = new ApiClient(base);
        // Fails its first attempt, succeeds at the second: two attempts, two spans.
        ApiClient.Reply submitted = api.adminWith("POST", "/jobs", "{\"type\":\"demo.fail\",\"queue\":\"traced\","
                + "\"payload\":{\"times\":1},\"maxAttempts\":3}", "traceparent", "00-" + traceId + "-" + callerSpan + "-01");
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
        String jobId = submitted.json().getString("id");

        await().atMost(Duration.ofSeconds(60)).until(() -> attempts(traceId).size() == 2);
        List<ExportedSpan> inTrace = receiver.spans().stream().filter(s -> traceId.equals(s.traceId())).toList();
        ExportedSpan request = inTrace.stream().filter(s -> callerSpan.equals(s.parentSpanId())).findFirst()
                .orElseThrow(() -> new AssertionError("no span of the submitting request under " + callerSpan + ": "
                        + inTrace));
        assertThat(request.kind()).as("SERVER").isEqualTo(2);
        assertThat(request.serviceName()).isEqualTo("dukequeue-it");

        List<ExportedSpan> attempts = attempts(traceId);
        assertThat(attempts).extracting(s -> s.attributes().get("dukequeue.job.attempt")).containsExactlyInAnyOrder("1", "2");
        for (ExportedSpan a : attempts) {
            assertThat(a.parentSpanId()).as("a child of the submitting request's span").isEqualTo(request.spanId());
            assertThat(a.name()).isEqualTo("dukequeue.job demo.fail");
            assertThat(a.kind()).as("CONSUMER").isEqualTo(5);
            assertThat(a.attributes()).containsEntry("dukequeue.job.id", jobId)
                    .containsEntry("dukequeue.job.type", "demo.fail").containsEntry("dukequeue.queue", "traced");
            assertThat(a.attributes().get("dukequeue.node")).startsWith("it-tracing#");
        }
        ExportedSpan first = attempts.stream().filter(a -> a.attributes().get("dukequeue.job.attempt").equals("1"))
                .findFirst().orElseThrow();
        ExportedSpan second = attempts.stream().filter(a -> a.attributes().get("dukequeue.job.attempt").equals("2"))
                .findFirst().orElseThrow();
        assertThat(first.attributes()).containsEntry("dukequeue.job.outcome", "failed");
        assertThat(first.statusCode()).as("ERROR").isEqualTo(2);
        assertThat(second.attributes()).containsEntry("dukequeue.job.outcome", "succeeded");
        assertThat(second.statusCode()).as("not an error").isNotEqualTo(2);
    }

    @Test
    void aRequestWithoutTraceparentStartsTheTraceItsJobJoins() throws Exception {
        ApiClient api = new ApiClient(base);
        ApiClient.Reply submitted = api.admin("POST", "/jobs", "{\"type\":\"demo.echo\",\"queue\":\"untraced\"}");
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(201);
        String jobId = submitted.json().getString("id");

        await().atMost(Duration.ofSeconds(60)).until(() -> receiver.spans().stream()
                .anyMatch(s -> jobId.equals(s.attributes().get("dukequeue.job.id"))));
        ExportedSpan attempt = receiver.spans().stream().filter(s -> jobId.equals(s.attributes().get("dukequeue.job.id")))
                .findFirst().orElseThrow();
        // The REST request itself is traced by the server, so the job still belongs to the request that submitted it.
        assertThat(receiver.spans()).anySatisfy(s -> {
            assertThat(s.spanId()).isEqualTo(attempt.parentSpanId());
            assertThat(s.kind()).isEqualTo(2);
        });
    }

    private static List<ExportedSpan> attempts(String traceId) {
        return receiver.spans().stream().filter(s -> traceId.equals(s.traceId()) && s.name() != null
                && s.name().startsWith("dukequeue.job ")).toList();
    }
}
