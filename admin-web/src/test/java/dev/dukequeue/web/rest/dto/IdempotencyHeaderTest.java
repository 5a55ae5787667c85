package dev.dukequeue.web.rest.dto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

class IdempotencyHeaderTest {

    private static JsonObject body(String json) {
        return JobRequestJson.parseObject(json);
    }

    private static void refused(JsonObject body, String header, String rule) {
        assertThatThrownBy(() -> JobRequestJson.withIdempotencyHeader(body, header))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("Idempotency-Key");
                    assertThat(e.getMessage()).startsWith("Idempotency-Key ").contains(rule);
                });
    }

    @Test
    void withoutTheHeaderTheBodyIsReadAsItCame() {
        JsonObject b = body("{\"type\":\"t\",\"idempotencyKey\":\"k\"}");
        assertThat(JobRequestJson.withIdempotencyHeader(b, null)).isSameAs(b);
    }

    @Test
    void theHeaderGivesTheKeyToABodyWithoutOne() {
        assertThat(JobRequestJson.read(JobRequestJson.withIdempotencyHeader(body("{\"type\":\"t\"}"), "order-7"), "")
                .idempotencyKey()).isEqualTo("order-7");
        assertThat(JobRequestJson.read(JobRequestJson.withIdempotencyHeader(
                body("{\"type\":\"t\",\"idempotencyKey\":null}"), "order-7"), "").idempotencyKey()).isEqualTo("order-7");
    }

    @Test
    void theSameKeyInBothIsAcceptedADifferentOneIsRefused() {
        assertThat(JobRequestJson.read(JobRequestJson.withIdempotencyHeader(
                body("{\"type\":\"t\",\"idempotencyKey\":\"a\"}"), "a"), "").idempotencyKey()).isEqualTo("a");
        refused(body("{\"type\":\"t\",\"idempotencyKey\":\"a\"}"), "b", "differs from the body's idempotencyKey");
    }

    @Test
    void theHeaderIsBoundedAt1To200CharactersAsTheBodyField() {
        assertThat(JobRequestJson.read(JobRequestJson.withIdempotencyHeader(body("{\"type\":\"t\"}"), "k".repeat(200)),
                "").idempotencyKey()).hasSize(200);
        refused(body("{\"type\":\"t\"}"), "k".repeat(201), "must be 1..200 characters");
        refused(body("{\"type\":\"t\"}"), "", "must be 1..200 characters");
    }

    @Test
    void aBodyKeyThatIsNotAStringIsStillRefusedNamingTheBodyField() {
        JsonObject b = body("{\"type\":\"t\",\"idempotencyKey\":7}");
        assertThatThrownBy(() -> JobRequestJson.read(JobRequestJson.withIdempotencyHeader(b, "7"), ""))
                .isInstanceOfSatisfying(BadRequestException.class,
                        e -> assertThat(e.field()).isEqualTo("idempotencyKey"));
    }
}
