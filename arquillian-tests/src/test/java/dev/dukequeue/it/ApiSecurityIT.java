package dev.dukequeue.it;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API's guards over plain HTTP, as a script or a hostile page would send requests: who authenticates a request
 * (Basic alone, never a session for it; the UI's session with its CSRF token), which bodies are read (JSON only, and
 * at most so many bytes, counted before reading) and what a refusal looks like (JSON, with the Basic challenge for
 * 401). Every refusal is checked to have written nothing.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ApiSecurityIT {

    /** With dukequeue.payload.max.bytes=65536 (Deployments), the default body limit is 65536 + 65536. */
    static final int MAX_BODY = 131_072;
    static final int MAX_BATCH = 262_144;

    /** HTTP/1.1, as curl and most scripts speak it (HTTP/2 bodies: {@link #http2Unsized}, through curl). */
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private static final String BASIC = "Basic " + Base64.getEncoder().encodeToString(
            ("admin:" + Deployments.ADMIN_PASSWORD).getBytes(StandardCharsets.UTF_8));

    @ArquillianResource
    URL base;

    @Deployment(name = "dukequeue")
    static WebArchive deployment() {
        Map<String, String> config = Deployments.fastEngine("it-security");
        config.put("dukequeue.data.dir", Deployments.freshDataDir("security"));
        config.put("dukequeue.http.max-batch-bytes", String.valueOf(MAX_BATCH));
        return Deployments.dukequeue(config);
    }

    record Reply(int status, String body, HttpResponse<String> raw) {
        JsonObject json() {
            try (JsonReader r = Json.createReader(new StringReader(body))) {
                return r.readObject();
            }
        }

        List<String> cookies() {
            return raw.headers().allValues("Set-Cookie");
        }
    }

    private Reply send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = HTTP.send(request.timeout(Duration.ofSeconds(60)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body(), r);
    }

    private HttpRequest.Builder request(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "api/v1" + path)).method(method,
                body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return headers.length == 0 ? b : b.headers(headers);
    }

    private Reply basic(String method, String path, String body) throws Exception {
        return send(request(method, path, body, "Authorization", BASIC, "Content-Type", "application/json"));
    }

    /** The UI's way in: the login form, then the session cookie and the CSRF token the session hands out. */
    private record UiSession(String cookie, String token) {
    }

    private UiSession signIn(String user, String password) throws Exception {
        String form = "username=" + URLEncoder.encode(user, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8);
        Reply login = send(HttpRequest.newBuilder(URI.create(base + "ui/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form)));
        assertThat(login.status()).as("the login redirects to the UI").isEqualTo(302);
        String setCookie = login.cookies().stream().filter(c -> c.startsWith("JSESSIONID="))
                .reduce((first, last) -> last).orElseThrow();
        assertThat(setCookie).contains("SameSite=Strict").contains("HttpOnly");
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        Reply session = send(request("GET", "/session", null, "Cookie", cookie));
        assertThat(session.status()).as("the session authenticates later requests").isEqualTo(200);
        assertThat(session.json().getString("user")).isEqualTo(user);
        return new UiSession(cookie, session.json().getString("csrfToken"));
    }

    private java.util.Optional<JsonObject> queueView(String queue) throws Exception {
        return basic("GET", "/queues", null).json().getJsonArray("items").getValuesAs(JsonObject.class).stream()
                .filter(q -> q.getString("name").equals(queue)).findFirst();
    }

    private boolean paused(String queue) throws Exception {
        return queueView(queue).map(q -> q.getBoolean("paused")).orElse(false);
    }

    private int jobsIn(String queue) throws Exception {
        return basic("GET", "/jobs?limit=100&queue=" + queue, null).json().getJsonArray("items").size();
    }

    private static String submission(String queue) {
        return "{\"type\":\"demo.echo\",\"queue\":\"" + queue + "\",\"payload\":{\"a\":\"=\"}}";
    }

    private static void assertJsonError(Reply r, int status, String error) {
        assertThat(r.status()).as(r.body()).isEqualTo(status);
        assertThat(r.raw().headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                .startsWith("application/problem+json"));
        assertThat(r.json().getString("error")).isEqualTo(error);
    }

    @Test
    void basicAuthenticatedCallsCreateNoSessionAndTheirCookieWouldAuthenticateNothing() throws Exception {
        String queue = "sec-basic-" + System.nanoTime();
        for (Reply r : List.of(basic("GET", "/jobs", null), basic("GET", "/session", null),
                basic("POST", "/jobs", submission(queue)), basic("POST", "/queues/" + queue + "/resume", null))) {
            assertThat(r.status()).as(r.body()).isBetween(200, 201);
            assertThat(r.cookies()).as("no session for Basic").isEmpty();
        }
        assertThat(basic("GET", "/session", null).json().isNull("csrfToken")).isTrue();
        // Before the fix every Basic call started a session without a CSRF token, and that cookie alone then passed
        // the CSRF check: replay whatever cookie a Basic call hands out, without credentials and without a token.
        List<String> cookies = basic("GET", "/jobs", null).cookies();
        Reply replay = send(request("POST", "/queues/" + queue + "/pause", null,
                cookies.isEmpty() ? new String[0] : new String[] {"Cookie", cookies.get(0).split(";")[0]}));
        assertJsonError(replay, 401, "unauthorized");
        assertThat(paused(queue)).isFalse();
    }

    @Test
    void unauthorizedIsJsonWithTheBasicChallenge() throws Exception {
        for (String[] auth : new String[][] {{}, {"Authorization", "Basic " + Base64.getEncoder().encodeToString(
                "admin:wrong".getBytes(StandardCharsets.UTF_8))}, {"Authorization", "Bearer abc"},
                {"Authorization", "Basic not-base64!"}}) {
            Reply r = send(request("GET", "/jobs", null, auth));
            assertJsonError(r, 401, "unauthorized");
            assertThat(r.raw().headers().firstValue("WWW-Authenticate")).hasValue("Basic realm=\"DukeQueue\"");
            assertThat(r.json().getString("detail")).contains("Basic");
        }
    }

    @Test
    void anAuthorizationHeaderThatIsNotValidBasicNeverFallsBackToTheSession() throws Exception {
        UiSession ui = signIn("admin", Deployments.ADMIN_PASSWORD);
        String queue = "sec-header-" + System.nanoTime();
        String wrongBasic = "Basic " + Base64.getEncoder().encodeToString("admin:wrong".getBytes(StandardCharsets.UTF_8));
        for (String authorization : new String[] {"Bearer abc", wrongBasic, "Basic", "Digest username=\"admin\""}) {
            assertJsonError(send(request("GET", "/session", null, "Cookie", ui.cookie(), "Authorization",
                    authorization)), 401, "unauthorized");
            // Before the fix any Authorization header skipped the CSRF check while the cookie authenticated.
            assertJsonError(send(request("POST", "/queues/" + queue + "/pause", null, "Cookie", ui.cookie(),
                    "Authorization", authorization)), 401, "unauthorized");
            assertJsonError(send(request("POST", "/jobs", submission(queue), "Cookie", ui.cookie(), "Authorization",
                    authorization, "Content-Type", "application/json")), 401, "unauthorized");
        }
        assertThat(paused(queue)).isFalse();
        assertThat(jobsIn(queue)).isZero();
    }

    @Test
    void everySessionStateChangeNeedsTheSessionsCsrfToken() throws Exception {
        UiSession ui = signIn("admin", Deployments.ADMIN_PASSWORD);
        assertThat(ui.token()).isNotBlank();
        String queue = "sec-csrf-" + System.nanoTime();
        String job = basic("POST", "/jobs", "{\"type\":\"demo.echo\",\"queue\":\"" + queue + "\",\"runAt\":\""
                + java.time.Instant.now().plusSeconds(3600) + "\"}").json().getString("id");
        String[][] changes = {
            {"POST", "/jobs", submission(queue)},
            {"POST", "/jobs/batch", "{\"jobs\":[" + submission(queue) + "]}"},
            {"POST", "/jobs/" + job + "/cancel", null},
            {"POST", "/jobs/" + job + "/retry", null},
            {"POST", "/queues/" + queue + "/pause", null},
            {"POST", "/queues/" + queue + "/resume", null},
            {"PUT", "/queues/" + queue + "/max-running", "{\"maxRunning\":1}"},
            {"POST", "/jobs/purge", "{\"queue\":\"" + queue + "\"}"},
            {"POST", "/jobs/redrive", "{\"queue\":\"" + queue + "\"}"},
            {"DELETE", "/jobs/" + job, null},
        };
        for (String[] change : changes) {
            for (String[] token : new String[][] {{}, {"X-CSRF-Token", "wrong"}, {"X-CSRF-Token", ui.token() + "x"}}) {
                String[] headers = concat(new String[] {"Cookie", ui.cookie()}, token,
                        change[2] == null ? new String[0] : new String[] {"Content-Type", "application/json"});
                Reply r = send(request(change[0], change[1], change[2], headers));
                assertJsonError(r, 403, "csrf");
                assertThat(r.json().getString("field")).isEqualTo("X-CSRF-Token");
            }
        }
        assertThat(basic("GET", "/jobs/" + job, null).json().getString("state")).isEqualTo("SCHEDULED");
        assertThat(jobsIn(queue)).isEqualTo(1);
        assertThat(paused(queue)).isFalse();
        // With the token the same session may: bodyless, and with a body.
        assertThat(send(request("POST", "/queues/" + queue + "/pause", null, "Cookie", ui.cookie(), "X-CSRF-Token",
                ui.token())).status()).isEqualTo(200);
        assertThat(paused(queue)).isTrue();
        assertThat(send(request("POST", "/jobs", submission(queue), "Cookie", ui.cookie(), "X-CSRF-Token",
                ui.token(), "Content-Type", "application/json")).status()).isEqualTo(201);
        assertThat(send(request("POST", "/jobs/" + job + "/cancel", null, "Cookie", ui.cookie(), "X-CSRF-Token",
                ui.token())).status()).isEqualTo(200);
    }

    @Test
    void aViewerSessionKeepsItsRoleAndLogoutNeedsTheTokenAndEndsTheSession() throws Exception {
        UiSession viewer = signIn("viewer", Deployments.VIEWER_PASSWORD);
        Reply who = send(request("GET", "/session", null, "Cookie", viewer.cookie()));
        assertThat(who.json().getJsonArray("roles").getValuesAs(jakarta.json.JsonString.class))
                .extracting(jakarta.json.JsonString::getString).containsExactly("viewer");
        String queue = "sec-viewer-" + System.nanoTime();
        assertThat(send(request("POST", "/queues/" + queue + "/pause", null, "Cookie", viewer.cookie(),
                "X-CSRF-Token", viewer.token())).status()).as("read only").isEqualTo(403);
        assertThat(paused(queue)).isFalse();

        HttpRequest.Builder forged = HttpRequest.newBuilder(URI.create(base + "ui/logout"))
                .header("Cookie", viewer.cookie()).header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(""));
        assertThat(send(forged).status()).as("a logout without the token is refused").isEqualTo(403);
        assertThat(send(request("GET", "/session", null, "Cookie", viewer.cookie())).status()).isEqualTo(200);
        Reply logout = send(HttpRequest.newBuilder(URI.create(base + "ui/logout")).header("Cookie", viewer.cookie())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("csrf=" + viewer.token())));
        assertThat(logout.status()).isEqualTo(302);
        assertThat(logout.raw().headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l)
                .endsWith("/login.html"));
        assertJsonError(send(request("GET", "/session", null, "Cookie", viewer.cookie())), 401, "unauthorized");
    }

    @Test
    void aStateChangeFromAnotherSiteIsRefusedEvenWithBasicCredentials() throws Exception {
        String queue = "sec-site-" + System.nanoTime();
        for (String site : new String[] {"cross-site", "same-site"}) {
            Reply r = send(request("POST", "/queues/" + queue + "/pause", null, "Authorization", BASIC,
                    "Sec-Fetch-Site", site));
            assertJsonError(r, 403, "cross_origin");
            assertThat(r.json().getString("field")).isEqualTo("Sec-Fetch-Site");
        }
        assertThat(paused(queue)).isFalse();
        assertThat(send(request("POST", "/queues/" + queue + "/pause", null, "Authorization", BASIC,
                "Sec-Fetch-Site", "same-origin")).status()).isEqualTo(200);
        assertThat(send(request("GET", "/queues", null, "Authorization", BASIC, "Sec-Fetch-Site", "cross-site"))
                .status()).as("reads are not state changes").isEqualTo(200);
    }

    @Test
    void bodiesThatAreNotJsonAre415AndWriteNothing() throws Exception {
        String queue = "sec-type-" + System.nanoTime();
        String[] refused = {"text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
            "application/json-patch+json", "application/json; charset=ISO-8859-1", "text/json"};
        for (String type : refused) {
            for (String[] target : new String[][] {{"POST", "/jobs", submission(queue)},
                    {"POST", "/jobs/batch", "{\"jobs\":[" + submission(queue) + "]}"},
                    {"POST", "/queues/" + queue + "/pause", ""}, {"POST", "/queues/" + queue + "/pause", null},
                    {"PUT", "/queues/" + queue + "/max-running", "{\"maxRunning\":1}"},
                    {"POST", "/jobs/purge", "{\"queue\":\"" + queue + "\"}"}}) {
                Reply r = send(request(target[0], target[1], target[2], "Authorization", BASIC, "Content-Type", type));
                assertJsonError(r, 415, "unsupported_media_type");
                assertThat(r.json().getString("field")).isEqualTo("Content-Type");
                assertThat(r.json().getString("detail")).contains("application/json");
            }
        }
        // A body without any Content-Type is not JSON either.
        assertJsonError(send(request("POST", "/jobs", submission(queue), "Authorization", BASIC)), 415,
                "unsupported_media_type");
        assertThat(jobsIn(queue)).isZero();
        assertThat(paused(queue)).isFalse();
        assertThat(queueView(queue).map(q -> q.isNull("maxRunning")).orElse(true)).as("no limit set").isTrue();

        for (String type : new String[] {"application/json", "application/json; charset=UTF-8", "Application/JSON"}) {
            Reply accepted = send(request("POST", "/jobs", submission(queue), "Authorization", BASIC, "Content-Type",
                    type));
            assertThat(accepted.status()).as(type).isEqualTo(201);
            assertThat(basic("GET", "/jobs/" + accepted.json().getString("id"), null).status()).as(type + " stored")
                    .isEqualTo(200);
        }
        // A bodyless state change needs no Content-Type (curl -X POST -u ...).
        assertThat(send(request("POST", "/queues/" + queue + "/pause", null, "Authorization", BASIC)).status())
                .isEqualTo(200);
        assertThat(paused(queue)).isTrue();
    }

    /** A valid submission of exactly {@code bytes} bytes: a job, then JSON whitespace up to the size. */
    private static String sized(String json, int bytes) {
        return json + " ".repeat(bytes - json.getBytes(StandardCharsets.UTF_8).length);
    }

    private Reply chunked(String path, String body) throws Exception {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return send(HttpRequest.newBuilder(URI.create(base + "api/v1" + path)).header("Authorization", BASIC)
                .header("Content-Type", "application/json")
                // no length known in advance: the client sends the body chunked
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes))));
    }

    @Test
    void aBodyIsLimitedBeforeItIsReadAtAndPastEachLimit() throws Exception {
        String queue = "sec-size-" + System.nanoTime();
        String job = "{\"type\":\"demo.echo\",\"queue\":\"" + queue + "\",\"payload\":{\"tiny\":true}}";
        String batch = "{\"jobs\":[" + job + "]}";

        assertThat(basic("POST", "/jobs", sized(job, MAX_BODY)).status()).as("exactly the limit").isEqualTo(201);
        assertThat(chunked("/jobs", sized(job, MAX_BODY)).status()).as("exactly the limit, chunked").isEqualTo(201);
        Reply tooBig = basic("POST", "/jobs", sized(job, MAX_BODY + 1));
        assertJsonError(tooBig, 413, "body_too_large");
        assertThat(tooBig.json().getString("detail")).contains(String.valueOf(MAX_BODY))
                .contains("dukequeue.http.max-body-bytes");
        assertJsonError(chunked("/jobs", sized(job, MAX_BODY + 1)), 413, "body_too_large");
        // The case: 6 MB with a tiny payload, refused on its Content-Length.
        assertJsonError(basic("POST", "/jobs", sized(job, 6_000_000)), 413, "body_too_large");
        assertJsonError(send(request("POST", "/jobs", sized(job, 6_000_000), "Authorization", BASIC, "Content-Type",
                "application/json").expectContinue(true)), 413, "body_too_large");
        assertThat(jobsIn(queue)).isEqualTo(2);

        assertThat(basic("POST", "/jobs/batch", sized(batch, MAX_BATCH)).status()).as("a batch has its own limit")
                .isEqualTo(201);
        assertThat(chunked("/jobs/batch", sized(batch, MAX_BATCH)).status()).isEqualTo(201);
        Reply batchTooBig = basic("POST", "/jobs/batch", sized(batch, MAX_BATCH + 1));
        assertJsonError(batchTooBig, 413, "body_too_large");
        assertThat(batchTooBig.json().getString("detail")).contains(String.valueOf(MAX_BATCH))
                .contains("dukequeue.http.max-batch-bytes");
        assertJsonError(chunked("/jobs/batch", sized(batch, MAX_BATCH + 1)), 413, "body_too_large");
        assertThat(jobsIn(queue)).isEqualTo(4);
        // Other bodies have the general limit.
        assertJsonError(basic("PUT", "/queues/" + queue + "/max-running", sized("{\"maxRunning\":1}", MAX_BODY + 1)),
                413, "body_too_large");
    }

    /**
     * Over HTTP/2 a body has no length unless the client declares one: curl with prior knowledge of h2c, reading the
     * body from its standard input, sends DATA frames and no Content-Length (checked in its verbose output).
     */
    private Reply http2Unsized(String path, String contentType, String body) throws Exception {
        Path trace = Files.createTempFile("dq-h2-", ".trace");
        try {
            List<String> command = new java.util.ArrayList<>(List.of("curl", "-sS", "--http2-prior-knowledge",
                    "-X", "POST", "-T", "-", "-H", "Authorization: " + BASIC, "-o", "-", "-w", "\n%{http_code}",
                    "--trace-ascii", trace.toString()));
            if (contentType != null) {
                command.addAll(List.of("-H", "Content-Type: " + contentType));
            }
            command.add(base + "api/v1" + path);
            // Through a pipe: from a file curl would learn the size and declare it.
            Process curl = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (java.io.OutputStream in = curl.getOutputStream()) {
                in.write(body.getBytes(StandardCharsets.UTF_8));
            } catch (java.io.IOException refusedEarly) {
                // the server may answer (413) and close before the whole body is written: the answer is what counts
            }
            String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(curl.waitFor()).as("curl exit (is curl installed? it is part of the CI image)").isZero();
            String sent = Files.readString(trace, StandardCharsets.ISO_8859_1);
            assertThat(sent).as("spoken over HTTP/2").contains("HTTP/2");
            // (curl's trace lists the request's HTTP/2 header fields as "h2h3 [name: value]" lines)
            assertThat(sent.toLowerCase(java.util.Locale.ROOT)).as("the request declared no length")
                    .contains("h2h3 [:method: post]").doesNotContain("h2h3 [content-length:")
                    .doesNotContain("h2h3 [transfer-encoding:");
            int split = out.lastIndexOf('\n');
            return new Reply(Integer.parseInt(out.substring(split + 1).strip()), out.substring(0, split), null);
        } finally {
            Files.deleteIfExists(trace);
        }
    }

    @Test
    void overHttp2ABodyOfUndeclaredLengthIsLimitedAndTypedToo() throws Exception {
        String queue = "sec-h2-" + System.nanoTime();
        String job = "{\"type\":\"demo.echo\",\"queue\":\"" + queue + "\",\"payload\":{\"tiny\":true}}";

        assertThat(http2Unsized("/jobs", "application/json", sized(job, MAX_BODY)).status())
                .as("exactly the limit").isEqualTo(201);
        Reply tooBig = http2Unsized("/jobs", "application/json", sized(job, MAX_BODY + 1));
        assertThat(tooBig.status()).as(tooBig.body()).isEqualTo(413);
        assertThat(tooBig.json().getString("error")).isEqualTo("body_too_large");
        Reply untyped = http2Unsized("/jobs", null, job);
        assertThat(untyped.status()).as("a body without Content-Type: " + untyped.body()).isEqualTo(415);
        assertThat(untyped.json().getString("error")).isEqualTo("unsupported_media_type");
        assertThat(jobsIn(queue)).isEqualTo(1);
    }

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }
}
