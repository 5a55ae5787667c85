package dev.dukequeue.web.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonBodyFilterTest {

    @Test
    void jsonInAnyCaseWithNoCharsetOrUtf8IsJson() {
        assertThat(JsonBodyFilter.isJson("application/json")).isTrue();
        assertThat(JsonBodyFilter.isJson("Application/JSON")).isTrue();
        assertThat(JsonBodyFilter.isJson("application/json; charset=UTF-8")).isTrue();
        assertThat(JsonBodyFilter.isJson("application/json;charset=\"utf-8\"")).isTrue();
        assertThat(JsonBodyFilter.isJson(" application/json ; foo=bar")).isTrue();
    }

    @Test
    void whatAFormCanSendAndOtherCharsetsAreNot() {
        assertThat(JsonBodyFilter.isJson("text/plain")).isFalse();
        assertThat(JsonBodyFilter.isJson("application/x-www-form-urlencoded")).isFalse();
        assertThat(JsonBodyFilter.isJson("multipart/form-data; boundary=x")).isFalse();
        assertThat(JsonBodyFilter.isJson("application/json-patch+json")).isFalse();
        assertThat(JsonBodyFilter.isJson("application/json; charset=ISO-8859-1")).isFalse();
        assertThat(JsonBodyFilter.isJson("application/json; charset")).isFalse();
        assertThat(JsonBodyFilter.isJson("")).isFalse();
    }
}
