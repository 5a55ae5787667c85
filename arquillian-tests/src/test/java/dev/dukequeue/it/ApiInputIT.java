package dev.dukequeue.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dukequeue.it.ApiClient.Reply;
import dev.dukequeue.it.handlers.BrokenResource;
import jakarta.json.JsonObject;
import java.net.URL;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The REST API's input rules at and past each bound, over real HTTP: strict JSON, integer ranges, the run-at and
 * filter windows, queue names, bounded listings and JSON error answers from JAX-RS and the container alike. None of
 * it depends on the database, so it runs once, on H2 (the behaviour suites run on every database).
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class ApiInputIT {

    @Deployment(name = "dukequeue", testable = false)
    static WebArchive deployment() {
        Map<String, String> config = Deployments.fastEngine("it-input");
        config.put("dukequeue.data.dir", Deployments.freshDataDir("input"));
        return Deployments.dukequeue(config);
    }

    @ArquillianResource
    URL base;

    private ApiClient api;

    @BeforeEach
    void client() {
        api = new ApiClient(base);
    }

    /** Every JSON body the API reads, valid as given. */
    private static final String[][] BODIES = {
        {"POST", "/jobs", "{\"type\":\"demo.echo\",\"queue\":\"input\"}"},
        {"POST", "/jobs/batch", "{\"jobs\":[{\"type\":\"demo.echo\",\"queue\":\"input\"}]}"},
        {"POST", "/jobs/redrive", "{\"queue\":\"input-none\"}"},
        {"POST", "/jobs/purge", "{\"olderThanMinutes\":100000,\"queue\":\"input-none\"}"},
        {"PUT", "/queues/input-limit/max-running", "{\"maxRunning\":5}"},
    };

    @Test
    void everyBodyRefusesTrailingContentASecondObjectAndDuplicateKeys() throws Exception {
        long before = api.jobCount();
        for (String[] b : BODIES) {
            api.admin(b[0], b[1], b[2] + " x").isError(400, "malformed_json", null);
            api.admin(b[0], b[1], b[2] + b[2]).isError(400, "malformed_json", null);
            api.admin(b[0], b[1], b[2] + ",{}").isError(400, "malformed_json", null);
            String firstKey = b[2].substring(2, b[2].indexOf('"', 2));
            String duplicated = "{\"" + firstKey + "\":null," + b[2].substring(1);
            api.admin(b[0], b[1], duplicated).isError(400, "malformed_json", firstKey);
        }
        api.admin("POST", "/jobs", "{\"type\":\"demo.echo\",\"payload\":{\"a\":{\"b\":1,\"b\":2}}}")
                .isError(400, "malformed_json", "payload.a.b");
        api.admin("POST", "/jobs/batch", "{\"jobs\":[{\"type\":\"demo.echo\"},{\"type\":\"demo.echo\",\"type\":\"x\"}]}")
                .isError(400, "malformed_json", "jobs[1].type");
        assertThat(api.jobCount()).isEqualTo(before);
        // Whitespace after the object is not content.
        assertThat(api.admin("POST", "/jobs", BODIES[0][2] + " \r\n\t").status()).isEqualTo(201);
    }

    @Test
    void theIdempotencyKeyHeaderIsAnAlternativeToTheBodyFieldBoundedLikeItAndRefusedWhereItCannotApply()
            throws Exception {
        String key = "hdr-" + java.util.UUID.randomUUID();
        String job = "{\"type\":\"demo.echo\",\"queue\":\"input-idem\"}";
        ApiClient.Reply first = api.adminWith("POST", "/jobs", job, "Idempotency-Key", key);
        assertThat(first.status()).as(first.body()).isEqualTo(201);
        String id = first.json().getString("id");
        // The same key again, by header or by body field: the first job, not a second one.
        ApiClient.Reply again = api.adminWith("POST", "/jobs", job, "Idempotency-Key", key);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().getString("id")).isEqualTo(id);
        assertThat(again.json().getBoolean("created")).isFalse();
        String withBodyKey = "{\"type\":\"demo.echo\",\"queue\":\"input-idem\",\"idempotencyKey\":\"" + key + "\"}";
        assertThat(api.admin("POST", "/jobs", withBodyKey).json().getString("id")).isEqualTo(id);
        assertThat(api.adminWith("POST", "/jobs", withBodyKey, "Idempotency-Key", key).json().getString("id"))
                .isEqualTo(id);

        long before = api.jobCount();
        api.adminWith("POST", "/jobs", withBodyKey, "Idempotency-Key", key + "-other")
                .isError(400, "invalid_request", "Idempotency-Key");
        api.adminWith("POST", "/jobs", job, "Idempotency-Key", "k".repeat(201))
                .isError(400, "invalid_request", "Idempotency-Key");
        api.adminWith("POST", "/jobs/batch", "{\"jobs\":[" + job + "]}", "Idempotency-Key", key + "-batch")
                .isError(400, "invalid_request", "Idempotency-Key");
        assertThat(api.jobCount()).as("refused requests wrote nothing").isEqualTo(before);
        assertThat(api.adminWith("POST", "/jobs", job, "Idempotency-Key", "k".repeat(200)).status()).isEqualTo(201);
    }

    @Test
    void nestingIsBoundedAt64Levels() throws Exception {
        assertThat(api.admin("POST", "/jobs", nested(63)).status()).isEqualTo(201); // 64 levels with the body's object
        long before = api.jobCount();
        api.admin("POST", "/jobs", nested(64)).isError(400, "malformed_json", "payload" + "[0]".repeat(63));
        api.admin("POST", "/jobs", nested(10_000)).isError(400, "malformed_json", "payload" + "[0]".repeat(63));
        api.admin("PUT", "/queues/input-limit/max-running", "{\"maxRunning\":" + "[".repeat(10_000) + "]".repeat(10_000)
                + "}").isError(400, "malformed_json", "maxRunning" + "[0]".repeat(63));
        api.admin("POST", "/jobs/batch", "{\"jobs\":" + "[".repeat(10_000)).isError(400, "malformed_json", "jobs" + "[0]".repeat(63));
        assertThat(api.jobCount()).isEqualTo(before);
    }

    private static String nested(int arrays) {
        return "{\"type\":\"demo.echo\",\"queue\":\"input\",\"payload\":" + "[".repeat(arrays) + "]".repeat(arrays) + "}";
    }

    @Test
    void numbersAreBoundedAt100Characters() throws Exception {
        String hundred = "-" + "9".repeat(99);
        assertThat(api.admin("POST", "/jobs", "{\"type\":\"demo.echo\",\"payload\":{\"n\":" + hundred + "}}").status())
                .isEqualTo(201);
        long before = api.jobCount();
        String digits = "1".repeat(2000);
        api.admin("POST", "/jobs", "{\"type\":\"demo.echo\",\"payload\":{\"n\":" + hundred + "9}}")
                .isError(400, "malformed_json", "payload.n");
        api.admin("POST", "/jobs", "{\"type\":\"demo.echo\",\"priority\":" + digits + "}")
                .isError(400, "malformed_json", "priority");
        api.admin("POST", "/jobs/batch", "{\"jobs\":[{\"type\":\"demo.echo\",\"maxAttempts\":" + digits + "}]}")
                .isError(400, "malformed_json", "jobs[0].maxAttempts");
        api.admin("PUT", "/queues/input-limit/max-running", "{\"maxRunning\":" + digits + "}")
                .isError(400, "malformed_json", "maxRunning");
        api.admin("POST", "/jobs/purge", "{\"olderThanMinutes\":" + digits + "}")
                .isError(400, "malformed_json", "olderThanMinutes");
        assertThat(api.jobCount()).isEqualTo(before);
    }

    @Test
    void integerFieldsAreRangeCheckedBeforeNarrowing() throws Exception {
        long before = api.jobCount();
        String[][] refused = {
            {"/jobs", "{\"type\":\"demo.echo\",\"priority\":4294967296}", "priority"},
            {"/jobs", "{\"type\":\"demo.echo\",\"priority\":5}", "priority"},
            {"/jobs", "{\"type\":\"demo.echo\",\"priority\":-1}", "priority"},
            {"/jobs", "{\"type\":\"demo.echo\",\"priority\":1.5}", "priority"},
            {"/jobs", "{\"type\":\"demo.echo\",\"priority\":\"1\"}", "priority"},
            {"/jobs", "{\"type\":\"demo.echo\",\"maxAttempts\":4294967297}", "maxAttempts"},
            {"/jobs", "{\"type\":\"demo.echo\",\"maxAttempts\":1001}", "maxAttempts"},
            {"/jobs", "{\"type\":\"demo.echo\",\"maxAttempts\":1.5e3}", "maxAttempts"},
            {"/jobs", "{\"type\":\"demo.echo\",\"delayMs\":9223372036854775808}", "delayMs"},
            {"/jobs", "{\"type\":\"demo.echo\",\"timeoutMs\":-9223372036854775809}", "timeoutMs"},
            {"/jobs", "{\"type\":\"demo.echo\",\"timeoutMs\":1e300}", "timeoutMs"},
            {"/jobs/batch", "{\"jobs\":[{\"type\":\"demo.echo\",\"priority\":4294967296}]}", "jobs[0].priority"},
            {"/jobs/purge", "{\"olderThanMinutes\":1.5}", "olderThanMinutes"},
            {"/jobs/purge", "{\"olderThanMinutes\":10000001}", "olderThanMinutes"},
            {"/jobs/redrive", "{\"limit\":4294967297}", "limit"},
            {"/jobs/redrive", "{\"limit\":10001}", "limit"},
        };
        for (String[] c : refused) {
            api.admin("POST", c[0], c[1]).isError(400, "invalid_request", c[2]);
        }
        for (String max : new String[] {"18446744073709551617", "4294967297", "0", "100001", "2.5", "\"5\""}) {
            api.admin("PUT", "/queues/input-limit/max-running", "{\"maxRunning\":" + max + "}")
                    .isError(400, "invalid_request", "maxRunning");
        }
        api.admin("GET", "/jobs?limit=4294967297", null).isError(400, "invalid_parameter", "limit");
        api.admin("GET", "/jobs?limit=501", null).isError(400, "invalid_parameter", "limit");
        api.admin("GET", "/jobs?type=" + "t".repeat(129), null).isError(400, "invalid_parameter", "type");
        api.admin("GET", "/jobs?text=" + "t".repeat(201), null).isError(400, "invalid_parameter", "text");
        assertThat(api.jobCount()).isEqualTo(before);

        // At the bounds: accepted, and stored as sent.
        JsonObject edge = api.admin("POST", "/jobs", "{\"type\":\"demo.echo\",\"queue\":\"input\",\"priority\":4,"
                + "\"maxAttempts\":1000,\"delayMs\":60000}").json();
        JsonObject job = api.admin("GET", "/jobs/" + edge.getString("id"), null).json();
        assertThat(job.getInt("priority")).isEqualTo(4);
        assertThat(job.getInt("maxAttempts")).isEqualTo(1000);
        assertThat(api.admin("POST", "/jobs", "{\"type\":\"demo.echo\",\"priority\":0,\"maxAttempts\":1}").status())
                .isEqualTo(201);
        assertThat(api.admin("PUT", "/queues/input-limit/max-running", "{\"maxRunning\":100000}").json()
                .getInt("maxRunning")).isEqualTo(100000);
        assertThat(api.admin("PUT", "/queues/input-limit/max-running", "{\"maxRunning\":1}").json()
                .getInt("maxRunning")).isEqualTo(1);
        assertThat(api.admin("GET", "/jobs?limit=500", null).status()).isEqualTo(200);
        assertThat(api.admin("GET", "/jobs?type=" + "t".repeat(128) + "&text=" + "t".repeat(200), null).status())
                .isEqualTo(200);
    }

    @Test
    void runAtAndEveryInstantFilterHaveAWindow() throws Exception {
        long before = api.jobCount();
        Instant now = Instant.now();
        for (String runAt : new String[] {"0001-01-01T00:00:00Z", "+1000000000-12-31T23:59:59Z",
                "-1000000000-01-01T00:00:00Z", now.minus(Duration.ofDays(2)).toString(),
                now.plus(Duration.ofDays(3653 + 1)).toString()}) {
            api.admin("POST", "/jobs", "{\"type\":\"demo.echo\",\"runAt\":\"" + runAt + "\"}")
                    .isError(400, "invalid_request", "runAt");
            api.admin("POST", "/jobs/batch", "{\"jobs\":[{\"type\":\"demo.echo\",\"runAt\":\"" + runAt + "\"}]}")
                    .isError(400, "invalid_request", "jobs[0].runAt");
        }
        for (String param : new String[] {"from", "to"}) {
            for (String at : new String[] {"+1000000000-01-01T00:00:00Z", "0001-01-01T00:00:00Z",
                    "1969-12-31T23:59:59Z", "+10000-01-01T00:00:00Z"}) {
                api.admin("GET", "/jobs?" + param + "=" + at, null).isError(400, "invalid_parameter", param);
            }
            for (String at : new String[] {"1970-01-01T00:00:00Z", "9999-12-31T23:59:59Z"}) {
                assertThat(api.admin("GET", "/jobs?" + param + "=" + at, null).status()).isEqualTo(200);
            }
        }
        for (String field : new String[] {"finishedFrom", "finishedTo"}) {
            for (String at : new String[] {"+1000000000-01-01T00:00:00Z", "0001-01-01T00:00:00Z"}) {
                api.admin("POST", "/jobs/redrive", "{\"queue\":\"input-none\",\"" + field + "\":\"" + at + "\"}")
                        .isError(400, "invalid_request", field);
            }
        }
        assertThat(api.jobCount()).isEqualTo(before);

        // Inside the window, near each end: accepted.
        for (Instant runAt : new Instant[] {now.minus(Duration.ofHours(23)), now.plus(Duration.ofDays(3650))}) {
            assertThat(api.admin("POST", "/jobs", "{\"type\":\"demo.echo\",\"queue\":\"input\",\"runAt\":\"" + runAt
                    + "\"}").status()).as(runAt.toString()).isEqualTo(201);
        }
        assertThat(api.admin("POST", "/jobs/redrive", "{\"queue\":\"input-none\",\"finishedFrom\":"
                + "\"1970-01-01T00:00:00Z\",\"finishedTo\":\"9999-12-31T23:59:59Z\"}").status()).isEqualTo(200);
    }

    @Test
    void queueNamesOfDotsOnlyAreRefusedEverywhere() throws Exception {
        long before = api.jobCount();
        for (String name : new String[] {".", "..", "...", "no spaces", "x".repeat(65)}) {
            api.admin("POST", "/jobs", "{\"type\":\"demo.echo\",\"queue\":\"" + name + "\"}")
                    .isError(400, "invalid_request", "queue");
            api.admin("POST", "/jobs/purge", "{\"olderThanMinutes\":1,\"queue\":\"" + name + "\"}")
                    .isError(400, "invalid_request", "queue");
            api.admin("POST", "/jobs/redrive", "{\"queue\":\"" + name + "\"}").isError(400, "invalid_request", "queue");
        }
        for (String path : new String[] {"...", "....", "a%20b"}) {
            api.admin("POST", "/queues/" + path + "/pause", null).isError(400, "invalid_parameter", "name");
            api.admin("POST", "/queues/" + path + "/resume", null).isError(400, "invalid_parameter", "name");
            api.admin("PUT", "/queues/" + path + "/max-running", "{\"maxRunning\":1}")
                    .isError(400, "invalid_parameter", "name");
            api.admin("GET", "/jobs?queue=" + path, null).isError(400, "invalid_parameter", "queue");
        }
        assertThat(api.jobCount()).isEqualTo(before);
        assertThat(api.admin("GET", "/queues", null).body()).doesNotContain("\"...\"");

        // Dots among other characters are fine.
        assertThat(api.admin("POST", "/jobs", "{\"type\":\"demo.echo\",\"queue\":\".a.b.\"}").status()).isEqualTo(201);
        assertThat(api.admin("POST", "/queues/.a.b./pause", null).status()).isEqualTo(200);
        assertThat(api.admin("POST", "/queues/.a.b./resume", null).status()).isEqualTo(200);
        assertThat(api.admin("GET", "/jobs?queue=.a.b.", null).json().getJsonArray("items")).hasSize(1);
    }

    @Test
    void listingsBoundPayloadsResultsAndCheckpointsWithAFlagAndTheJobHasThemWhole() throws Exception {
        String big = "x".repeat(5000);
        String bigId = api.admin("POST", "/jobs", "{\"type\":\"demo.echo\",\"queue\":\"listing\",\"payload\":{\"t\":\""
                + big + "\"}}").json().getString("id");
        String smallId = api.admin("POST", "/jobs", "{\"type\":\"demo.echo\",\"queue\":\"listing\",\"payload\":{\"t\":1}}")
                .json().getString("id");
        await().atMost(Duration.ofSeconds(30)).until(() -> api.admin("GET", "/jobs?queue=listing&state=COMPLETED",
                null).json().getJsonArray("items").size() == 2);
        for (JsonObject item : api.admin("GET", "/jobs?queue=listing", null).json().getJsonArray("items")
                .getValuesAs(JsonObject.class)) {
            boolean isBig = item.getString("id").equals(bigId);
            assertThat(item.getBoolean("payloadTruncated")).isEqualTo(isBig);
            assertThat(item.getBoolean("resultTruncated")).isEqualTo(isBig);
            assertThat(item.getBoolean("checkpointTruncated")).isFalse();
            assertThat(item.isNull("payload")).isEqualTo(isBig);
            if (!isBig) {
                assertThat(item.getString("id")).isEqualTo(smallId);
                assertThat(item.getJsonObject("payload").getInt("t")).isEqualTo(1);
            }
        }
        JsonObject whole = api.admin("GET", "/jobs/" + bigId, null).json();
        assertThat(whole.getJsonObject("payload").getString("t")).isEqualTo(big);
        assertThat(whole.getJsonObject("result").getString("t")).isEqualTo(big);
        assertThat(whole.containsKey("payloadTruncated")).isFalse();
    }

    @Test
    void attemptsArePagedOldestFirstWithALimitAndACursor() throws Exception {
        String id = api.admin("POST", "/jobs", "{\"type\":\"demo.fail\",\"queue\":\"attempts\",\"maxAttempts\":3}")
                .json().getString("id");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                api.admin("GET", "/jobs/" + id, null).json().getString("state").equals("DEAD_LETTER"));
        JsonObject first = api.admin("GET", "/jobs/" + id + "/attempts?limit=2", null).json();
        assertThat(first.getJsonArray("items").getValuesAs(JsonObject.class)).extracting(a -> a.getInt("run"))
                .containsExactly(1, 2);
        String cursor = first.getString("nextCursor");
        JsonObject rest = api.admin("GET", "/jobs/" + id + "/attempts?limit=2&cursor=" + cursor, null).json();
        assertThat(rest.getJsonArray("items").getValuesAs(JsonObject.class)).extracting(a -> a.getInt("run"))
                .containsExactly(3);
        assertThat(rest.isNull("nextCursor")).isTrue();
        JsonObject all = api.admin("GET", "/jobs/" + id + "/attempts", null).json();
        assertThat(all.getJsonArray("items")).hasSize(3);
        assertThat(all.getJsonArray("items").getJsonObject(0).getBoolean("stackTraceTruncated")).isFalse();
        for (String limit : new String[] {"0", "201", "4294967297", "ten"}) {
            api.admin("GET", "/jobs/" + id + "/attempts?limit=" + limit, null)
                    .isError(400, "invalid_parameter", "limit");
        }
        api.admin("GET", "/jobs/" + id + "/attempts?cursor=abc", null).isError(400, "invalid_parameter", "cursor");
        assertThat(api.admin("GET", "/jobs/" + id + "/attempts?limit=200", null).status()).isEqualTo(200);
    }

    @Test
    void errorsOfTheContainerAndUnexpectedFailuresAreJsonUnderApi() throws Exception {
        long before = api.jobCount();
        api.viewer("POST", "/jobs", BODIES[0][2]).isError(403, "http_403", null);
        api.call("GET", "api/no-such-thing", null, "admin", Deployments.ADMIN_PASSWORD)
                .isError(404, "http_404", null);
        api.admin("GET", "/no-such-thing", null).isError(404, "http_404", null);
        Reply notAllowed = api.admin("DELETE", "/jobs", null).isError(405, "http_405", null);
        assertThat(notAllowed.raw().headers().firstValue("Allow")).hasValueSatisfying(
                v -> assertThat(v).contains("GET").contains("POST"));
        assertThat(api.jobCount()).isEqualTo(before);

        Reply broken = api.admin("GET", "/it-broken", null).isError(500, "internal", null);
        assertThat(broken.json().getString("detail")).containsPattern("error id [0-9a-f-]{36}")
                .doesNotContain(BrokenResource.SECRET);
        assertThat(broken.body()).doesNotContain("at dev.dukequeue").doesNotContain("Exception");
        Reply filter = api.call("GET", "api/it-filter-broken", null, "admin", Deployments.ADMIN_PASSWORD)
                .isError(500, "internal", null);
        assertThat(filter.json().getString("detail")).containsPattern("error id [0-9a-f-]{36}");
        assertThat(filter.body()).doesNotContain(BrokenResource.SECRET).doesNotContain("Exception");

        // The challenge of a missing login stays; pages outside the API keep the container's own answers.
        Reply anonymous = api.call("GET", "api/v1/jobs", null, null, null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.raw().headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                v -> assertThat(v).startsWith("Basic"));
        Reply page = api.call("GET", "no-such-page.html", null, null, null);
        assertThat(page.status()).isEqualTo(404);
        assertThat(page.contentType()).doesNotStartWith("application/json");
    }
}
