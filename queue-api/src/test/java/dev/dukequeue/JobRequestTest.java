package dev.dukequeue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JobRequestTest {

    @Test
    void defaultsAreThoseTheApiDocuments() {
        JobRequest r = JobRequest.builder("mail.send").build();
        assertThat(r.queue()).isEqualTo("default");
        assertThat(r.priority()).isEqualTo(2);
        assertThat(r.maxAttempts()).isEqualTo(5);
        assertThat(r.timeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(r.payloadJson()).isEqualTo("null");
        assertThat(r.runAt()).isNull();
        assertThat(r.delay()).isNull();
        assertThat(r.idempotencyKey()).isNull();
    }

    public record Invoice(String customer, long cents) {
    }

    @Test
    void objectPayloadIsMappedToJsonByJsonb() {
        JobRequest r = JobRequest.builder("invoice.send").payload(new Invoice("ACME", 1250)).build();
        assertThat(r.payloadJson()).contains("\"customer\":\"ACME\"").contains("\"cents\":1250");
    }

    @Test
    void runAtAndDelayReplaceEachOtherInTheBuilder() {
        Instant at = Instant.parse("2030-01-01T00:00:00Z");
        assertThat(JobRequest.builder("t").delay(Duration.ofSeconds(5)).runAt(at).build().delay()).isNull();
        assertThat(JobRequest.builder("t").runAt(at).delay(Duration.ofSeconds(5)).build().runAt()).isNull();
    }

    private static final JobId SOME_JOB = JobId.random();

    static Stream<Arguments> brokenRules() {
        List<Object[]> cases = List.of(
                new Object[] {"type", (UnaryOperator<JobRequest.Builder>) b -> JobRequest.builder(null), "is required"},
                new Object[] {"type", (UnaryOperator<JobRequest.Builder>) b -> JobRequest.builder(""), "is required"},
                new Object[] {"type", (UnaryOperator<JobRequest.Builder>) b -> JobRequest.builder("has space"), "1..128"},
                new Object[] {"type", (UnaryOperator<JobRequest.Builder>) b -> JobRequest.builder("x".repeat(129)), "1..128"},
                new Object[] {"payload", (UnaryOperator<JobRequest.Builder>) b -> b.payloadJson("{oops"), "valid JSON"},
                new Object[] {"queue", (UnaryOperator<JobRequest.Builder>) b -> b.queue("a/b"), "1..64"},
                new Object[] {"queue", (UnaryOperator<JobRequest.Builder>) b -> b.queue(""), "1..64"},
                new Object[] {"priority", (UnaryOperator<JobRequest.Builder>) b -> b.priority(-1), "between 0"},
                new Object[] {"priority", (UnaryOperator<JobRequest.Builder>) b -> b.priority(5), "between 0"},
                new Object[] {"delay", (UnaryOperator<JobRequest.Builder>) b -> b.delay(Duration.ofMillis(-1)), "between 0"},
                new Object[] {"delay", (UnaryOperator<JobRequest.Builder>) b -> b.delay(Duration.ofDays(367)), "366 days"},
                new Object[] {"maxAttempts", (UnaryOperator<JobRequest.Builder>) b -> b.maxAttempts(0), "between 1"},
                new Object[] {"maxAttempts", (UnaryOperator<JobRequest.Builder>) b -> b.maxAttempts(1001), "between 1"},
                new Object[] {"timeout", (UnaryOperator<JobRequest.Builder>) b -> b.timeout(Duration.ZERO), "between 1 ms"},
                new Object[] {"timeout", (UnaryOperator<JobRequest.Builder>) b -> b.timeout(Duration.ofHours(25)), "24 hours"},
                new Object[] {"idempotencyKey", (UnaryOperator<JobRequest.Builder>) b -> b.idempotencyKey(""), "1..200"},
                new Object[] {"idempotencyKey", (UnaryOperator<JobRequest.Builder>) b -> b.idempotencyKey("k".repeat(201)), "1..200"},
                new Object[] {"key", (UnaryOperator<JobRequest.Builder>) b -> b.key("a b"), "1..64"},
                new Object[] {"dependsOnKeys[1]", (UnaryOperator<JobRequest.Builder>) b -> b.dependsOnKeys("a", "a"), "repeats a"},
                new Object[] {"dependsOnKeys[0]", (UnaryOperator<JobRequest.Builder>) b -> b.dependsOnKeys("x".repeat(65)), "1..64"},
                new Object[] {"dependsOn[1]", (UnaryOperator<JobRequest.Builder>) b -> b.dependsOn(SOME_JOB, SOME_JOB), "repeats"},
                new Object[] {"lifetime", (UnaryOperator<JobRequest.Builder>) b -> b.lifetime(Duration.ofHours(1)), "only to a job with dependencies"},
                new Object[] {"lifetime", (UnaryOperator<JobRequest.Builder>) b -> b.dependsOnKeys("a").lifetime(Duration.ofMillis(10)), "between 1 second"});
        return cases.stream().map(c -> Arguments.of(c[0], c[1], c[2]));
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("brokenRules")
    void invalidRequestIsRejectedNamingTheFieldAndTheRule(String field, UnaryOperator<JobRequest.Builder> change,
            String rule) {
        assertThatThrownBy(() -> change.apply(JobRequest.builder("ok.type")).build())
                .isInstanceOfSatisfying(InvalidJobRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.rule()).contains(rule);
                    assertThat(e.getMessage()).startsWith(field + " ");
                });
    }

    @Test
    void runAtCannotBeCombinedWithDelayInTheRecord() {
        assertThatThrownBy(() -> new JobRequest("t", null, null, 2, Instant.now(), Duration.ofSeconds(1), 1, null, null,
                null, null, null, null))
                .isInstanceOfSatisfying(InvalidJobRequestException.class, e -> assertThat(e.field()).isEqualTo("runAt"));
    }

    @Test
    void boundariesAreAccepted() {
        JobRequest r = JobRequest.builder("a.b_c-d:e").queue("q.1_x-y").priority(0).maxAttempts(1000)
                .timeout(Duration.ofHours(24)).delay(Duration.ofDays(366)).idempotencyKey("k".repeat(200))
                .payloadJson("[1, {\"a\": null}]").build();
        assertThat(r.priority()).isZero();
        assertThat(JobRequest.builder("t").priority(4).timeout(Duration.ofMillis(1)).build().priority()).isEqualTo(4);
    }

    @Test
    void dependenciesAreKeptInOrderAndImmutable() {
        JobId a = JobId.random();
        JobRequest r = JobRequest.builder("t").key("child").dependsOn(a).dependsOnKeys("p1", "p2")
                .lifetime(Duration.ofMinutes(5)).build();
        assertThat(r.dependsOn()).containsExactly(a);
        assertThat(r.dependsOnKeys()).containsExactly("p1", "p2");
        assertThat(r.hasDependencies()).isTrue();
        assertThat(JobRequest.builder("t").build().dependsOn()).isEmpty();
        assertThatThrownBy(() -> r.dependsOnKeys().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }
}
