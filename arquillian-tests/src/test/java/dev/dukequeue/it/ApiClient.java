package dev.dukequeue.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** Calls the REST API over real HTTP from outside the server, as the admin or the viewer, and checks error answers. */
final class ApiClient {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** One answer: its status, its body and the raw response (for headers). */
    record Reply(int status, String body, HttpResponse<String> raw) {
        JsonObject json() {
            try (JsonReader r = Json.createReader(new StringReader(body))) {
                return r.readObject();
            }
        }

        String contentType() {
            return raw.headers().firstValue("Content-Type").orElse("");
        }

        /** Asserts an error answer: the status, a JSON body, the error code and the field it names. */
        Reply isError(int expectedStatus, String error, String field) {
            String what = raw.request().method() + " " + raw.request().uri().getRawPath() + " -> " + body;
            assertThat(status).as(what).isEqualTo(expectedStatus);
            // RFC 9457: application/problem+json with type, title, status and detail; error and field as extensions
            assertThat(contentType()).as(what).startsWith("application/problem+json");
            JsonObject json = json();
            assertThat(json.getString("error")).as(what).isEqualTo(error);
            assertThat(json.getString("type")).as(what)
                    .isEqualTo(error.startsWith("http_") ? "about:blank" : "urn:dukequeue:problem:" + error);
            assertThat(json.getString("title")).as(what).isNotBlank();
            assertThat(json.getInt("status")).as(what).isEqualTo(expectedStatus);
            assertThat(json.getString("detail")).as(what).isNotBlank();
            assertThat(json.getString("message")).as("the v1 alias of detail: " + what).isEqualTo(json.getString("detail"));
            if (field == null) {
                assertThat(json.get("field")).as(what).isIn(null, JsonValue.NULL);
            } else {
                assertThat(json.getString("field", null)).as(what).isEqualTo(field);
            }
            return this;
        }
    }

    private final URL base;

    ApiClient(URL base) {
        this.base = base;
    }

    Reply call(String method, String path, String body, String user, String password) throws Exception {
        return call(method, path, body, user, password, new String[0]);
    }

    /** @param headers more request headers, as name, value, name, value... */
    Reply call(String method, String path, String body, String user, String password, String... headers)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base.toString() + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .header("Content-Type", "application/json");
        if (headers.length > 0) {
            b.headers(headers);
        }
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body(), r);
    }

    /** @param path under {@code api/v1} */
    Reply admin(String method, String path, String body) throws Exception {
        return call(method, "api/v1" + path, body, "admin", Deployments.ADMIN_PASSWORD);
    }

    /**
     * @param path    under {@code api/v1}
     * @param headers more request headers, as name, value, name, value...
     */
    Reply adminWith(String method, String path, String body, String... headers) throws Exception {
        return call(method, "api/v1" + path, body, "admin", Deployments.ADMIN_PASSWORD, headers);
    }

    /** @param path under {@code api/v1} */
    Reply viewer(String method, String path, String body) throws Exception {
        return call(method, "api/v1" + path, body, "viewer", Deployments.VIEWER_PASSWORD);
    }

    /** @return how many jobs the store holds, in every state (to check that a refused request wrote nothing) */
    long jobCount() throws Exception {
        return admin("GET", "/stats", null).json().getJsonObject("totals").values().stream()
                .mapToLong(v -> ((JsonNumber) v).longValue()).sum();
    }
}
