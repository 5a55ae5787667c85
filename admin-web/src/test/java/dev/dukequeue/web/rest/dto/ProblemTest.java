package dev.dukequeue.web.rest.dto;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

/** The error document: RFC 9457's members, then the extensions. */
class ProblemTest {

    @Test
    void aDukeQueueProblemHasItsUrnTypeTheStatusReasonAsTitleAndTheFieldAsAnExtension() {
        JsonObject p = Problem.of(400, "invalid_request", "priority", "priority must be between 0 and 4");

        assertThat(p.getString("type")).isEqualTo("urn:dukequeue:problem:invalid_request");
        assertThat(p.getString("title")).isEqualTo("Bad Request");
        assertThat(p.getInt("status")).isEqualTo(400);
        assertThat(p.getString("detail")).isEqualTo("priority must be between 0 and 4");
        assertThat(p.getString("error")).isEqualTo("invalid_request");
        assertThat(p.getString("field")).isEqualTo("priority");
        assertThat(p.getString("message")).isEqualTo(p.getString("detail"));
    }

    @Test
    void aPlainHttpErrorIsAboutBlankAndHasNoField() {
        JsonObject p = Problem.of(405, "http_405", null, null);

        assertThat(p.getString("type")).isEqualTo("about:blank");
        assertThat(p.getString("title")).isEqualTo("Method Not Allowed");
        assertThat(p.getString("detail")).as("never empty").isEqualTo("Method Not Allowed");
        assertThat(p.containsKey("field")).isFalse();
    }

    @Test
    void statusesJaxRsDoesNotNameStillGetATitle() {
        assertThat(Problem.of(429, "queue_full", "queue", "full").getString("title")).isEqualTo("Too Many Requests");
        assertThat(Problem.of(599, "internal", null, "x").getString("title")).isEqualTo("HTTP 599");
    }
}
