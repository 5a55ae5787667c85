package dev.dukequeue.web.rest.dto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dukequeue.JobRequest;
import jakarta.json.JsonObject;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class JsonFieldsTest {

    private static JsonObject json(String text) {
        return StrictJson.parseObject(text);
    }

    @ParameterizedTest
    @CsvSource({"0,0", "7,7", "-7,-7", "2.0,2", "1e3,1000", "1.5e3,1500", "0e999999999,0", "-0,0",
        "9223372036854775807,9223372036854775807", "-9223372036854775808,-9223372036854775808"})
    void wholeNumbersAreReadExactly(String text, long expected) {
        assertThat(JsonFields.exactLong(new BigDecimal(text))).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.5", "0.1", "1e-1", "9223372036854775808", "-9223372036854775809", "1e19", "1e999999999",
        "18446744073709551617"})
    void fractionsAndNumbersBeyondTheLongRangeAreNotIntegers(String text) {
        assertThat(JsonFields.exactLong(new BigDecimal(text))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"4294967296", "4294967300", "-4294967296", "2147483648", "5", "-1", "1.5", "\"1\"", "true",
        "[1]"})
    void anIntFieldIsRangeCheckedBeforeNarrowing(String value) {
        assertThatThrownBy(() -> JsonFields.integer(json("{\"priority\":" + value + "}"), "priority", "jobs[3].", 0, 4))
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.error()).isEqualTo("invalid_request");
                    assertThat(e.field()).isEqualTo("jobs[3].priority");
                    assertThat(e.getMessage()).isEqualTo("jobs[3].priority must be an integer between 0 and 4");
                });
    }

    @Test
    void theBoundsThemselvesAreAccepted() {
        assertThat(JsonFields.integer(json("{\"p\":0}"), "p", "", 0, 4)).isZero();
        assertThat(JsonFields.integer(json("{\"p\":4}"), "p", "", 0, 4)).isEqualTo(4);
        assertThat(JsonFields.integer(json("{\"p\":null}"), "p", "", 0, 4)).isNull();
        assertThat(JsonFields.integer(json("{}"), "p", "", 0, 4)).isNull();
        assertThat(JsonFields.integer(json("{\"p\":9223372036854775807}"), "p", "", Long.MIN_VALUE, Long.MAX_VALUE))
                .isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void aJobRequestNeverStoresATruncatedNumber() {
        for (String body : new String[] {"{\"type\":\"t\",\"priority\":4294967296}",
                "{\"type\":\"t\",\"maxAttempts\":4294967297}", "{\"type\":\"t\",\"delayMs\":9223372036854775808}",
                "{\"type\":\"t\",\"timeoutMs\":1e300}"}) {
            assertThatThrownBy(() -> JobRequestJson.read(json(body), "")).as(body)
                    .isInstanceOf(BadRequestException.class);
        }
        JobRequest r = JobRequestJson.read(json("{\"type\":\"t\",\"priority\":4,\"maxAttempts\":1000}"), "");
        assertThat(r.priority()).isEqualTo(4);
        assertThat(r.maxAttempts()).isEqualTo(1000);
    }
}
