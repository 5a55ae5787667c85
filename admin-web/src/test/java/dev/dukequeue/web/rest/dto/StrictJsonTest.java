package dev.dukequeue.web.rest.dto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StrictJsonTest {

    /** Asserts a 400 malformed_json naming {@code field} (null: the body as a whole). */
    private static void refused(String body, String field) {
        assertThatThrownBy(() -> StrictJson.parseObject(body)).as(body.length() > 200 ? body.substring(0, 200) : body)
                .isInstanceOfSatisfying(BadRequestException.class, e -> {
                    assertThat(e.error()).isEqualTo("malformed_json");
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).isNotBlank();
                });
    }

    @Test
    void aValidObjectIsParsedWhole() {
        JsonObject o = StrictJson.parseObject(" {\"a\":[1,-2.5e3,true,false,null,\"x\\\"\\u00e9\"],\"b\":{\"c\":{}},"
                + "\"d\":[],\"e\":0} \n");
        assertThat(o.getJsonArray("a")).hasSize(6);
        assertThat(o.getJsonArray("a").getString(5)).isEqualTo("x\"é");
        assertThat(o.getJsonObject("b").getJsonObject("c")).isEmpty();
        assertThat(o.getInt("e")).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{} x", "{}{}", "{\"a\":1}{\"a\":1}", "{},{}", "{}]", "{} null", "{}\u0000"})
    void contentAfterTheObjectIsRefused(String body) {
        refused(body, null);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{\"a\":1,\"a\":2}|a",
        "{\"a\":1,\"\\u0061\":2}|a",
        "{\"p\":{\"x\":{\"y\":1,\"y\":1}}}|p.x.y",
        "{\"jobs\":[{\"t\":1},{\"t\":1,\"t\":2}]}|jobs[1].t",
        "{\"a\":[[{\"k\":1,\"k\":1}]]}|a[0][0].k",
    })
    void aKeyTwiceInOneObjectIsRefusedAtAnyDepthNamingIt(String body, String field) {
        refused(body, field);
    }

    @Test
    void theSameKeyInSiblingObjectsIsFine() {
        assertThat(StrictJson.parseObject("{\"a\":{\"k\":1},\"b\":{\"k\":2},\"c\":[{\"k\":1},{\"k\":2}]}")).hasSize(3);
    }

    private static String nested(int arrays) {
        return "{\"p\":" + "[".repeat(arrays) + "]".repeat(arrays) + "}";
    }

    @Test
    void nestingIsBoundedAtMaxDepthWithTheBodysObjectCounted() {
        assertThat(StrictJson.MAX_DEPTH).isEqualTo(64);
        assertThat(StrictJson.parseObject(nested(63))).containsKey("p");
        refused(nested(64), "p" + "[0]".repeat(63));
        refused(nested(100_000), "p" + "[0]".repeat(63));
        refused("{\"p\":" + "{\"q\":".repeat(200_000), "p" + ".q".repeat(63));
        refused("[".repeat(1_000_000), "[0]".repeat(64));
    }

    @Test
    void numbersAreBoundedAtMaxNumberChars() {
        assertThat(StrictJson.MAX_NUMBER_CHARS).isEqualTo(100);
        String hundred = "-1." + "2".repeat(93) + "e+12";
        assertThat(hundred).hasSize(100);
        assertThat(StrictJson.parseObject("{\"n\":" + hundred + "}").getJsonNumber("n")).isNotNull();
        assertThat(StrictJson.parseObject("{\"n\":" + "9".repeat(100) + "}").getJsonNumber("n")).isNotNull();
        refused("{\"n\":" + "9".repeat(101) + "}", "n");
        refused("{\"priority\":" + "1".repeat(2000) + "}", "priority");
        refused("{\"p\":{\"a\":[1," + "1".repeat(5000) + "]}}", "p.a[1]");
        refused("{\"n\":0." + "0".repeat(2000) + "1}", "n");
        refused("{\"n\":1e" + "9".repeat(2000) + "}", "n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "not json", "[1,2]", "\"text\"", "42", "null", "{", "{\"a\"", "{\"a\":", "{\"a\":1",
        "{\"a\":1,}", "{,}", "{\"a\" 1}", "{a:1}", "{\"a\":01}", "{\"a\":-}", "{\"a\":1.}", "{\"a\":.5}", "{\"a\":1e}",
        "{\"a\":tru}", "{\"a\":nul}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12\"}", "{\"a\":\"line\nbreak\"}", "{\"a\":[1,]}",
        "{\"a\":[1 2]}", "{\"a\":\"open}", "{'a':1}", "{\"a\":+1}", "{\"a\":NaN}"})
    void anythingButOneValidObjectIsMalformed(String body) {
        refused(body, null);
    }
}
