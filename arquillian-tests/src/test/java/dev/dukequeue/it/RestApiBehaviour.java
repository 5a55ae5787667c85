package dev.dukequeue.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.junit.jupiter.api.Test;

/** The REST API over real HTTP, from outside the server: status codes, bodies and authentication. */
public abstract class RestApiBehaviour extends QueueBehaviour {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @ArquillianResource
    URL base;

    private record Reply(int status, String body, HttpResponse<String> raw) {
        JsonObject json() {
            try (JsonReader r = Json.createReader(new StringReader(body))) {
                return r.readObject();
            }
        }
    }

    private Reply call(String method, String path, String body, String user, String password) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base.toString() + "api/v1" + path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
                .header("Content-Type", "application/json");
        if (user != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body(), r);
    }

    private Reply admin(String method, String path, String body) throws Exception {
        return call(method, path, body, "admin", Deployments.ADMIN_PASSWORD);
    }

    private Reply viewer(String method, String path, String body) throws Exception {
        return call(method, path, body, "viewer", Deployments.VIEWER_PASSWORD);
    }

    @Test
    @RunAsClient
    void everyEndpointAnswers401WithoutValidCredentials() throws Exception {
        String id = "00000000-0000-0000-0000-000000000000";
        for (String[] endpoint : new String[][] {{"GET", "/jobs"}, {"POST", "/jobs"}, {"GET", "/jobs/" + id},
                {"POST", "/jobs/" + id + "/cancel"}, {"POST", "/jobs/" + id + "/retry"}, {"GET", "/stats"},
                {"POST", "/jobs/batch"}, {"GET", "/jobs/" + id + "/attempts"}, {"GET", "/nodes"},
                {"GET", "/stats/history"}, {"POST", "/jobs/purge"}}) {
            assertThat(call(endpoint[0], endpoint[1], "{}", null, null).status()).as(endpoint[0] + " " + endpoint[1])
                    .isEqualTo(401);
            assertThat(call(endpoint[0], endpoint[1], "{}", "admin", "wrong").status()).isEqualTo(401);
        }
        assertThat(call("GET", "/stats", null, null, null).raw().headers().firstValue("WWW-Authenticate"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
    }

    @Test
    @RunAsClient
    void submittedJobIsCreatedAndCanBeReadUntilCompleted() throws Exception {
        Reply created = admin("POST", "/jobs", "{\"type\":\"demo.echo\",\"payload\":{\"a\":[1,2]},\"priority\":1,"
                + "\"maxAttempts\":3,\"timeoutMs\":5000,\"queue\":\"rest\"}");

        assertThat(created.status()).isEqualTo(201);
        String id = created.json().getString("id");
        assertThat(created.json().getString("state")).isEqualTo("SCHEDULED");
        assertThat(created.raw().headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith("/jobs/" + id));
        await().atMost(Duration.ofSeconds(30)).until(() ->
                admin("GET", "/jobs/" + id, null).json().getString("state").equals("COMPLETED"));
        JsonObject job = admin("GET", "/jobs/" + id, null).json();
        assertThat(job.getString("type")).isEqualTo("demo.echo");
        assertThat(job.getString("queue")).isEqualTo("rest");
        assertThat(job.getInt("priority")).isEqualTo(1);
        assertThat(job.getInt("attempts")).isEqualTo(1);
        assertThat(job.getInt("maxAttempts")).isEqualTo(3);
        assertThat(job.getJsonObject("payload").toString()).isEqualTo("{\"a\":[1,2]}");
        assertThat(job.getJsonObject("result").toString()).isEqualTo("{\"a\":[1,2]}");
        assertThat(job.isNull("lastError")).isTrue();
        assertThat(job.getString("createdAt")).isNotBlank();
        assertThat(job.getString("finishedAt")).isNotBlank();
    }

    @Test
    @RunAsClient
    void invalidRequestsAre400NamingTheFieldAndNothingIsStored() throws Exception {
        long before = admin("GET", "/stats", null).json().getJsonObject("totals").getJsonNumber("SCHEDULED").longValue();
        String[][] cases = {
            {"{\"type\":\"demo.echo\",\"priority\":7}", "priority"},
            {"{\"type\":\"demo.echo\",\"priority\":\"high\"}", "priority"},
            {"{\"payload\":{}}", "type"},
            {"{\"type\":\"bad type!\"}", "type"},
            {"{\"type\":\"demo.echo\",\"maxAttempts\":0}", "maxAttempts"},
            {"{\"type\":\"demo.echo\",\"timeoutMs\":-5}", "timeoutMs"},
            {"{\"type\":\"demo.echo\",\"delayMs\":-1}", "delayMs"},
            {"{\"type\":\"demo.echo\",\"runAt\":\"tomorrow\"}", "runAt"},
            {"{\"type\":\"demo.echo\",\"runAt\":\"2030-01-01T00:00:00Z\",\"delayMs\":5}", "runAt"},
            {"{\"type\":\"demo.echo\",\"queue\":\"no spaces\"}", "queue"},
            {"{\"type\":\"demo.echo\",\"colour\":\"red\"}", "colour"},
            {"{\"jobs\":[]}", "jobs"},
        };
        for (String[] c : cases) {
            Reply r = admin("POST", "/jobs", c[0]);
            assertThat(r.status()).as(c[0]).isEqualTo(400);
            assertThat(r.json().getString("field")).as(c[0]).isEqualTo(c[1]);
            assertThat(r.json().getString("detail")).as(c[0]).startsWith(c[1]);
            assertThat(r.json().getString("error")).isEqualTo("invalid_request");
        }
        Reply batch = admin("POST", "/jobs/batch", "{\"jobs\":[{\"type\":\"demo.echo\"},{\"type\":\"demo.echo\",\"priority\":9}]}");
        assertThat(batch.status()).isEqualTo(400);
        assertThat(batch.json().getString("field")).isEqualTo("jobs[1].priority");
        long after = admin("GET", "/stats", null).json().getJsonObject("totals").getJsonNumber("SCHEDULED").longValue();
        assertThat(after).isEqualTo(before);
    }

    @Test
    @RunAsClient
    void malformedJsonIs400AndOversizedPayloadIs413() throws Exception {
        for (String body : new String[] {"{\"type\":", "not json", "[1,2]", ""}) {
            Reply r = admin("POST", "/jobs", body);
            assertThat(r.status()).as(body).isEqualTo(400);
            assertThat(r.json().getString("error")).isEqualTo("malformed_json");
        }
        Reply big = admin("POST", "/jobs", "{\"type\":\"demo.echo\",\"payload\":\"" + "x".repeat(70_000) + "\"}");
        assertThat(big.status()).isEqualTo(413);
        assertThat(big.json().getString("field")).isEqualTo("payload");
    }

    @Test
    @RunAsClient
    void unknownJobIs404AndAMalformedIdIs400() throws Exception {
        assertThat(admin("GET", "/jobs/6f1c2a3e-0000-4000-8000-000000000000", null).status()).isEqualTo(404);
        assertThat(admin("POST", "/jobs/6f1c2a3e-0000-4000-8000-000000000000/cancel", null).status()).isEqualTo(404);
        Reply bad = admin("GET", "/jobs/not-a-uuid", null);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().getString("field")).isEqualTo("id");
    }

    @Test
    @RunAsClient
    void cancelAndRetryFollowTheStateMachine() throws Exception {
        String id = admin("POST", "/jobs", "{\"type\":\"demo.echo\",\"delayMs\":600000}").json().getString("id");
        assertThat(admin("POST", "/jobs/" + id + "/retry", null).status()).as("retry of a SCHEDULED job").isEqualTo(409);
        Reply cancelled = admin("POST", "/jobs/" + id + "/cancel", null);
        assertThat(cancelled.status()).isEqualTo(200);
        assertThat(cancelled.json().getString("state")).isEqualTo("CANCELLED");
        Reply again = admin("POST", "/jobs/" + id + "/cancel", null);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().getString("error")).isEqualTo("illegal_state");

        String dead = admin("POST", "/jobs", "{\"type\":\"demo.fail\",\"payload\":{\"times\":1},\"maxAttempts\":1}")
                .json().getString("id");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                admin("GET", "/jobs/" + dead, null).json().getString("state").equals("DEAD_LETTER"));
        Reply redriven = admin("POST", "/jobs/" + dead + "/retry", null);
        assertThat(redriven.status()).isEqualTo(200);
        // The dispatcher is woken by the re-drive and may already have claimed the job when the reply is read.
        assertThat(redriven.json().getString("state")).isIn("SCHEDULED", "RUNNING", "DEAD_LETTER");
        // demo.fail counts attempts, which the re-drive reset: the new attempt fails again, as its payload says.
        await().atMost(Duration.ofSeconds(30)).until(() ->
                admin("GET", "/jobs/" + dead + "/attempts", null).json().getJsonArray("items").size() == 2
                        && admin("GET", "/jobs/" + dead, null).json().getString("state").equals("DEAD_LETTER"));
    }

    @Test
    @RunAsClient
    void aListingOfEveryStateIsNewestFirstWithTheRunningJobsInTheirPlace() throws Exception {
        String queueName = "all-" + System.nanoTime();
        String first = submitTo(queueName, "\"type\":\"demo.echo\"");
        String running = submitTo(queueName, "\"type\":\"demo.sleep\",\"payload\":{\"ms\":60000}");
        String waiting = submitTo(queueName, "\"type\":\"demo.echo\",\"delayMs\":600000");
        String last = submitTo(queueName, "\"type\":\"demo.echo\"");
        await().atMost(Duration.ofSeconds(30)).until(() -> stateOf(first).equals("COMPLETED")
                && stateOf(last).equals("COMPLETED") && stateOf(running).equals("RUNNING"));

        java.util.List<String> seen = new java.util.ArrayList<>();
        String cursor = null;
        do {
            JsonObject page = admin("GET", "/jobs?queue=" + queueName + "&limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), null).json();
            page.getJsonArray("items").forEach(v -> seen.add(v.asJsonObject().getString("id")));
            cursor = page.isNull("nextCursor") ? null : page.getString("nextCursor");
        } while (cursor != null);

        assertThat(seen).containsExactly(last, waiting, running, first);
        assertThat(admin("POST", "/jobs/" + running + "/cancel", null).status()).isEqualTo(200);
    }

    private String submitTo(String queue, String fields) throws Exception {
        Reply r = admin("POST", "/jobs", "{\"queue\":\"" + queue + "\"," + fields + "}");
        assertThat(r.status()).isEqualTo(201);
        return r.json().getString("id");
    }

    private String stateOf(String id) throws Exception {
        return admin("GET", "/jobs/" + id, null).json().getString("state");
    }

    @Test
    @RunAsClient
    void listingIsFilteredAndPagesThroughEveryJobOnce() throws Exception {
        String queueName = "page-" + System.nanoTime();
        StringBuilder jobs = new StringBuilder("{\"jobs\":[");
        for (int i = 0; i < 7; i++) {
            jobs.append(i == 0 ? "" : ",").append("{\"type\":\"demo.echo\",\"queue\":\"").append(queueName)
                    .append("\",\"delayMs\":600000}");
        }
        Reply batch = admin("POST", "/jobs/batch", jobs.append("]}").toString());
        assertThat(batch.status()).isEqualTo(201);
        assertThat(batch.json().getJsonArray("jobs")).hasSize(7);

        java.util.Set<String> seen = new java.util.LinkedHashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonObject page = admin("GET", "/jobs?queue=" + queueName + "&state=scheduled&limit=3"
                    + (cursor == null ? "" : "&cursor=" + cursor), null).json();
            page.getJsonArray("items").forEach(v -> seen.add(v.asJsonObject().getString("id")));
            cursor = page.isNull("nextCursor") ? null : page.getString("nextCursor");
            pages++;
        } while (cursor != null);
        assertThat(seen).hasSize(7);
        assertThat(pages).isEqualTo(3);
        assertThat(admin("GET", "/jobs?limit=0", null).status()).isEqualTo(400);
        assertThat(admin("GET", "/jobs?state=LOST", null).json().getString("field")).isEqualTo("state");
        assertThat(admin("GET", "/jobs?cursor=abc", null).json().getString("field")).isEqualTo("cursor");
        JsonObject stats = admin("GET", "/stats", null).json();
        assertThat(stats.getJsonObject("queues").getJsonObject(queueName).getInt("SCHEDULED")).isEqualTo(7);
    }

    @Test
    @RunAsClient
    void aPausedQueueAcceptsJobsButRunsThemOnlyOnceResumed() throws Exception {
        String queueName = "paused-" + System.nanoTime();
        Reply paused = admin("POST", "/queues/" + queueName + "/pause", null);
        assertThat(paused.status()).isEqualTo(200);
        assertThat(paused.json().getBoolean("paused")).isTrue();
        String held = admin("POST", "/jobs", "{\"type\":\"demo.echo\",\"queue\":\"" + queueName + "\"}").json()
                .getString("id");
        String other = admin("POST", "/jobs", "{\"type\":\"demo.echo\"}").json().getString("id");

        await().atMost(Duration.ofSeconds(30)).until(() ->
                admin("GET", "/jobs/" + other, null).json().getString("state").equals("COMPLETED"));
        assertThat(admin("GET", "/jobs/" + held, null).json().getString("state")).isEqualTo("SCHEDULED");
        JsonObject queues = admin("GET", "/queues", null).json();
        assertThat(queues.getJsonArray("items").stream().map(v -> v.asJsonObject())
                .filter(q -> q.getString("name").equals(queueName)).findFirst().orElseThrow().getBoolean("paused")).isTrue();

        assertThat(admin("POST", "/queues/" + queueName + "/resume", null).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                admin("GET", "/jobs/" + held, null).json().getString("state").equals("COMPLETED"));
        assertThat(admin("POST", "/queues/bad%20name/pause", null).status()).isEqualTo(400);
    }

    @Test
    @RunAsClient
    void aFullQueueRefusesSubmissionsWith429AndRetryAfterAndStoresNothing() throws Exception {
        // The deployments allow 2 waiting jobs in queue "tiny"; paused, so that they keep waiting.
        assertThat(admin("POST", "/queues/tiny/pause", null).status()).isEqualTo(200);
        double refusedBefore = metric("dukequeue_backpressure_rejected_total", "queue=\"tiny\"");
        long before = admin("GET", "/stats", null).json().getJsonObject("totals").getJsonNumber("SCHEDULED").longValue();
        java.util.List<Integer> statuses = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            statuses.add(admin("POST", "/jobs", "{\"type\":\"demo.echo\",\"queue\":\"tiny\"}").status());
        }
        Reply refused = admin("POST", "/jobs", "{\"type\":\"demo.echo\",\"queue\":\"tiny\"}");
        long after = admin("GET", "/stats", null).json().getJsonObject("totals").getJsonNumber("SCHEDULED").longValue();
        admin("POST", "/queues/tiny/resume", null);

        assertThat(statuses).containsExactly(201, 201, 429);
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.raw().headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.json().getString("error")).isEqualTo("queue_full");
        assertThat(refused.json().getString("field")).isEqualTo("queue");
        assertThat(after - before).as("only the accepted jobs exist").isEqualTo(2);
        assertThat(metric("dukequeue_backpressure_rejected_total", "queue=\"tiny\"")).as("refusals are counted")
                .isEqualTo(refusedBefore + 2);
    }

    @Test
    @RunAsClient
    void duplicateIdempotencyKeyAnswers200WithTheFirstJob() throws Exception {
        String body = "{\"type\":\"demo.echo\",\"idempotencyKey\":\"order-" + System.nanoTime() + "\"}";
        Reply first = admin("POST", "/jobs", body);
        Reply second = admin("POST", "/jobs", body);
        assertThat(first.status()).isEqualTo(201);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().getString("id")).isEqualTo(first.json().getString("id"));
        assertThat(second.json().getBoolean("created")).isFalse();
        assertThat(second.json().getString("type")).as("the existing job itself").isEqualTo("demo.echo");
    }

    @Test
    @RunAsClient
    void aBatchGraphIsSubmittedWithKeysAndACycleIsA400NamingIt() throws Exception {
        Reply graph = admin("POST", "/jobs/batch", "{\"jobs\":[{\"type\":\"demo.echo\",\"key\":\"first\"},"
                + "{\"type\":\"demo.echo\",\"key\":\"second\",\"dependsOnKeys\":[\"first\"],\"lifetimeMs\":60000}]}");
        assertThat(graph.status()).isEqualTo(201);
        String first = graph.json().getJsonArray("jobs").getJsonObject(0).getString("id");
        String second = graph.json().getJsonArray("jobs").getJsonObject(1).getString("id");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                admin("GET", "/jobs/" + second, null).json().getString("state").equals("COMPLETED"));
        JsonObject done = admin("GET", "/jobs/" + second, null).json();
        assertThat(done.getJsonArray("dependsOn").getString(0)).isEqualTo(first);

        Reply cycle = admin("POST", "/jobs/batch", "{\"jobs\":[{\"type\":\"demo.echo\",\"key\":\"x\",\"dependsOnKeys\":[\"y\"]},"
                + "{\"type\":\"demo.echo\",\"key\":\"y\",\"dependsOnKeys\":[\"x\"]}]}");
        assertThat(cycle.status()).isEqualTo(400);
        assertThat(cycle.json().getString("field")).endsWith("dependsOnKeys");
        assertThat(cycle.json().getString("detail")).contains("cycle").containsAnyOf("x -> y -> x", "y -> x -> y");

        StringBuilder tooMany = new StringBuilder("{\"jobs\":[");
        for (int i = 0; i < 1001; i++) {
            tooMany.append(i == 0 ? "" : ",").append("{\"type\":\"demo.echo\"}");
        }
        Reply big = admin("POST", "/jobs/batch", tooMany.append("]}").toString());
        assertThat(big.status()).isEqualTo(400);
        assertThat(big.json().getString("field")).isEqualTo("jobs");
        assertThat(big.json().getString("detail")).contains("at most 1000");

        Reply badFrom = admin("GET", "/jobs?from=yesterday", null);
        assertThat(badFrom.status()).isEqualTo(400);
        assertThat(badFrom.json().getString("field")).isEqualTo("from");
        assertThat(admin("GET", "/jobs?text=" + first, null).json().getJsonArray("items")).as("found by its id").hasSize(1);

        Reply unknown = admin("POST", "/jobs", "{\"type\":\"demo.echo\",\"dependsOn\":[\"not-a-uuid\"]}");
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.json().getString("field")).isEqualTo("dependsOn[0]");
    }

    @Test
    @RunAsClient
    void queueLimitsAndBulkRedriveOverRest() throws Exception {
        String name = "rest-limit-" + System.nanoTime();
        Reply set = admin("PUT", "/queues/" + name + "/max-running", "{\"maxRunning\":3}");
        assertThat(set.status()).isEqualTo(200);
        JsonObject listed = admin("GET", "/queues", null).json().getJsonArray("items").getValuesAs(JsonObject.class)
                .stream().filter(q -> q.getString("name").equals(name)).findFirst().orElseThrow();
        assertThat(listed.getInt("maxRunning")).isEqualTo(3);
        assertThat(listed.getJsonNumber("maxWaiting").longValue()).isPositive();
        assertThat(listed.getJsonNumber("warnAt").longValue()).isLessThanOrEqualTo(listed.getJsonNumber("maxWaiting").longValue());
        assertThat(listed.getJsonNumber("refused").longValue()).isZero();
        Reply zero = admin("PUT", "/queues/" + name + "/max-running", "{\"maxRunning\":0}");
        assertThat(zero.status()).isEqualTo(400);
        assertThat(zero.json().getString("field")).isEqualTo("maxRunning");
        assertThat(admin("PUT", "/queues/" + name + "/max-running", "{\"maxRunning\":null}").status()).isEqualTo(200);

        Reply dead = admin("POST", "/jobs", "{\"type\":\"demo.fail\",\"queue\":\"" + name
                + "\",\"maxAttempts\":1,\"payload\":{\"times\":1}}");
        String id = dead.json().getString("id");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                admin("GET", "/jobs/" + id, null).json().getString("state").equals("DEAD_LETTER"));
        Reply redriven = admin("POST", "/jobs/redrive", "{\"queue\":\"" + name + "\",\"state\":\"DEAD_LETTER\"}");
        assertThat(redriven.status()).isEqualTo(200);
        assertThat(redriven.json().getInt("matched")).isEqualTo(1);
        assertThat(redriven.json().getJsonArray("redriven").getString(0)).isEqualTo(id);
        // demo.fail fails the first attempt of each budget: the re-driven job runs once more and is dead again.
        await().atMost(Duration.ofSeconds(30)).until(() ->
                admin("GET", "/jobs/" + id + "/attempts", null).json().getJsonArray("items").size() == 2
                        && admin("GET", "/jobs/" + id, null).json().getString("state").equals("DEAD_LETTER"));

        Reply badLimit = admin("POST", "/jobs/redrive", "{\"limit\":0}");
        assertThat(badLimit.status()).isEqualTo(400);
        assertThat(badLimit.json().getString("field")).isEqualTo("limit");
        Reply badState = admin("POST", "/jobs/redrive", "{\"state\":\"COMPLETED\"}");
        assertThat(badState.status()).isEqualTo(400);
        assertThat(badState.json().getString("field")).isEqualTo("state");
        assertThat(viewer("POST", "/jobs/redrive", "{}").status()).as("viewers cannot re-drive").isEqualTo(403);
        assertThat(viewer("PUT", "/queues/" + name + "/max-running", "{\"maxRunning\":1}").status()).isEqualTo(403);
        assertThat(viewer("GET", "/queues", null).status()).as("but they can look").isEqualTo(200);
        JsonObject yearly = admin("GET", "/recurring", null).json().getJsonArray("items").getValuesAs(JsonObject.class)
                .stream().filter(r -> r.getString("name").equals("it-yearly")).findFirst().orElseThrow();
        assertThat(yearly.getString("cron")).isEqualTo("0 3 1 1 *");
        assertThat(yearly.getString("nextRunAt")).isNotBlank();
    }

    @Test
    @RunAsClient
    void nodesActivityOverTimeAndPurgeOverRest() throws Exception {
        JsonObject self = admin("GET", "/nodes", null).json().getJsonArray("items").getValuesAs(JsonObject.class)
                .stream().filter(n -> n.getString("status").equals("alive")).findFirst().orElseThrow();
        assertThat(self.getString("phase")).isEqualTo("RUNNING");
        assertThat(self.getInt("workers")).isEqualTo(4);
        assertThat(self.getString("node")).startsWith(self.getString("name") + "#");
        assertThat(self.getJsonNumber("heartbeatAgeMs").longValue()).isLessThan(10_000);

        String name = "rest-purge-" + System.nanoTime();
        for (int i = 0; i < 3; i++) {
            admin("POST", "/jobs", "{\"type\":\"demo.echo\",\"queue\":\"" + name + "\",\"payload\":{\"i\":" + i + "}}");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> admin("GET", "/jobs?queue=" + name + "&state=COMPLETED", null)
                .json().getJsonArray("items").size() == 3);
        // Every node writes its activity once per stats interval (1 s here): the history of the queue shows the jobs.
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonObject h = admin("GET", "/stats/history?minutes=10&queue=" + name, null).json();
            long submitted = 0;
            long completed = 0;
            for (JsonObject p : h.getJsonArray("points").getValuesAs(JsonObject.class)) {
                submitted += p.getJsonNumber("submitted").longValue();
                completed += p.getJsonNumber("completed").longValue();
            }
            return submitted == 3 && completed == 3;
        });
        JsonObject history = admin("GET", "/stats/history?minutes=60", null).json();
        assertThat(history.getInt("stepSeconds")).isEqualTo(30);
        assertThat(history.getJsonArray("points")).hasSize(120);
        for (String bad : new String[] {"0", "abc", "100000"}) {
            Reply r = admin("GET", "/stats/history?minutes=" + bad, null);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.json().getString("field")).isEqualTo("minutes");
        }

        Reply running = admin("POST", "/jobs/purge", "{\"states\":[\"COMPLETED\",\"RUNNING\"],\"olderThanMinutes\":0}");
        assertThat(running.status()).isEqualTo(400);
        assertThat(running.json().getString("field")).isEqualTo("states[1]");
        Reply noAge = admin("POST", "/jobs/purge", "{\"states\":[\"COMPLETED\"]}");
        assertThat(noAge.status()).isEqualTo(400);
        assertThat(noAge.json().getString("field")).isEqualTo("olderThanMinutes");
        assertThat(viewer("POST", "/jobs/purge", "{\"olderThanMinutes\":0}").status()).isEqualTo(403);

        Reply purge = admin("POST", "/jobs/purge", "{\"states\":[\"COMPLETED\"],\"olderThanMinutes\":0,"
                + "\"queue\":\"" + name + "\"}");
        assertThat(purge.status()).isEqualTo(202);
        String retention = purge.json().getString("id");
        assertThat(purge.raw().headers().firstValue("Location")).hasValueSatisfying(l -> assertThat(l).endsWith(retention));
        await().atMost(Duration.ofSeconds(60)).until(() ->
                admin("GET", "/jobs/" + retention, null).json().getString("state").equals("COMPLETED"));
        JsonObject result = admin("GET", "/jobs/" + retention, null).json().getJsonObject("result");
        assertThat(result.getJsonObject("deleted").getInt("COMPLETED")).isEqualTo(3);
        assertThat(admin("GET", "/jobs?queue=" + name, null).json().getJsonArray("items")).isEmpty();
    }

    /** @return the value of the first /metrics sample named {@code name} whose labels contain every given label */
    private double metric(String name, String... labels) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base.getProtocol() + "://" + base.getHost()
                + ":" + base.getPort() + "/metrics")).header("Accept", "text/plain").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        return PrometheusText.value(r.body(), name, labels);
    }

    private double claimsThatTookJobs() throws Exception {
        return metric("dukequeue_claims_total", "result=\"full\"") + metric("dukequeue_claims_total", "result=\"short\"");
    }

    @Test
    @RunAsClient
    void metricsMoveWhenTheirEventsHappen() throws Exception {
        String q = "metrics-" + System.nanoTime();
        String label = "queue=\"" + q + "\"";
        double claimsThatTookJobs = claimsThatTookJobs();
        String ok = admin("POST", "/jobs", "{\"type\":\"demo.echo\",\"queue\":\"" + q + "\"}").json().getString("id");
        String flaky = admin("POST", "/jobs", "{\"type\":\"demo.fail\",\"queue\":\"" + q
                + "\",\"maxAttempts\":2,\"payload\":{\"times\":1}}").json().getString("id");
        String dead = admin("POST", "/jobs", "{\"type\":\"demo.fail\",\"queue\":\"" + q
                + "\",\"maxAttempts\":1,\"payload\":{\"times\":1}}").json().getString("id");
        String delayed = admin("POST", "/jobs", "{\"type\":\"demo.echo\",\"queue\":\"" + q
                + "\",\"delayMs\":600000}").json().getString("id");
        await().atMost(Duration.ofSeconds(30)).until(() ->
                admin("GET", "/jobs/" + ok, null).json().getString("state").equals("COMPLETED")
                        && admin("GET", "/jobs/" + flaky, null).json().getString("state").equals("COMPLETED")
                        && admin("GET", "/jobs/" + dead, null).json().getString("state").equals("DEAD_LETTER"));
        admin("POST", "/jobs/" + delayed + "/cancel", null);

        assertThat(metric("dukequeue_jobs_submitted_total", label)).isEqualTo(4);
        assertThat(metric("dukequeue_jobs_completed_total", label)).isEqualTo(2);
        assertThat(metric("dukequeue_jobs_failed_total", label, "category=\"TEMPORARY\"")).isEqualTo(2);
        assertThat(metric("dukequeue_jobs_retried_total", label)).isEqualTo(1);
        assertThat(metric("dukequeue_jobs_dead_lettered_total", label)).isEqualTo(1);
        assertThat(metric("dukequeue_jobs_cancelled_total", label)).isEqualTo(1);
        assertThat(metric("dukequeue_execution_seconds_count", label)).isEqualTo(4);
        assertThat(metric("dukequeue_queue_wait_seconds_count", label)).isEqualTo(4);
        assertThat(metric("dukequeue_database_circuit_open")).isZero();
        assertThat(metric("dukequeue_worker_utilization")).isBetween(0.0, 1.0);
        assertThat(claimsThatTookJobs()).as("the claim loop counts its claims (four runs: at least one claim)")
                .isGreaterThanOrEqualTo(claimsThatTookJobs + 1);

        // Depth gauges come from a snapshot the rescuer's timer refreshes (0.5 s here).
        admin("POST", "/queues/" + q + "/pause", null);
        admin("POST", "/jobs", "{\"type\":\"demo.echo\",\"queue\":\"" + q + "\"}");
        admin("POST", "/jobs", "{\"type\":\"demo.echo\",\"queue\":\"" + q + "\"}");
        await().atMost(Duration.ofSeconds(30)).until(() -> metric("dukequeue_queue_scheduled", label) == 2);
        admin("POST", "/queues/" + q + "/resume", null);
        await().atMost(Duration.ofSeconds(30)).until(() -> metric("dukequeue_queue_scheduled", label) == 0
                && metric("dukequeue_jobs_completed_total", label) == 4);
    }

    @Test
    @RunAsClient
    void theOpenApiDocumentDescribesTheApiWithExamplesAndErrors() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base.getProtocol() + "://" + base.getHost()
                + ":" + base.getPort() + "/openapi")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("title: DukeQueue").contains("api/v1/jobs/redrive")
                .contains("api/v1/queues/{name}/max-running").contains("\"429\"").contains("queue_full")
                .contains("scheme: basic").contains("dependency cycle")
                .contains("name: Idempotency-Key").contains("in: header");
    }

    /**
     * RFC 9457 in the OpenAPI document: every 4xx and 5xx answer of every operation (its own or a shared component)
     * has an application/problem+json body of the Problem schema, and every operation lists 401, 500 and 503 (403 when
     * it changes state). Read from the JSON form of the document the server serves, resolving the references.
     */
    @Test
    @RunAsClient
    void everyErrorOfEveryOperationIsAProblemInTheOpenApiDocument() throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(base.getProtocol() + "://" + base.getHost()
                + ":" + base.getPort() + "/openapi")).header("Accept", "application/json").build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonObject doc = Json.createReader(new java.io.StringReader(r.body())).readObject();
        JsonObject problem = doc.getJsonObject("components").getJsonObject("schemas").getJsonObject("Problem");
        assertThat(problem.getJsonObject("properties").keySet()).contains("type", "title", "status", "detail", "error",
                "field");
        JsonObject shared = doc.getJsonObject("components").getJsonObject("responses");
        int errors = 0;
        List<String> operations = new ArrayList<>();
        for (Map.Entry<String, JsonValue> path : doc.getJsonObject("paths").entrySet()) {
            if (!path.getKey().contains("api/v1")) {
                continue;
            }
            for (Map.Entry<String, JsonValue> op : path.getValue().asJsonObject().entrySet()) {
                String what = op.getKey().toUpperCase(java.util.Locale.ROOT) + " " + path.getKey();
                operations.add(what);
                JsonObject responses = op.getValue().asJsonObject().getJsonObject("responses");
                assertThat(responses.keySet()).as(what).contains("401", "500", "503");
                if (!op.getKey().equals("get")) {
                    assertThat(responses.keySet()).as(what).contains("403");
                }
                for (Map.Entry<String, JsonValue> answer : responses.entrySet()) {
                    if (!answer.getKey().startsWith("4") && !answer.getKey().startsWith("5")) {
                        continue;
                    }
                    JsonObject response = answer.getValue().asJsonObject();
                    if (response.containsKey("$ref")) {
                        String ref = response.getString("$ref");
                        response = shared.getJsonObject(ref.substring(ref.lastIndexOf('/') + 1));
                    }
                    JsonObject content = response.getJsonObject("content");
                    assertThat(content.keySet()).as(what + " " + answer.getKey()).containsExactly("application/problem+json");
                    assertThat(content.getJsonObject("application/problem+json").getJsonObject("schema")
                            .getString("$ref")).as(what + " " + answer.getKey()).isEqualTo("#/components/schemas/Problem");
                    errors++;
                }
            }
        }
        assertThat(operations).as("the operations read").hasSizeGreaterThan(15)
                .anySatisfy(o -> assertThat(o).startsWith("POST ").endsWith("api/v1/jobs"));
        assertThat(errors).as("error answers checked (78 when written)").isGreaterThan(60);
    }
}
