package dev.dukequeue.web.rest.dto;

import dev.dukequeue.JobReceipt;
import dev.dukequeue.JobView;
import dev.dukequeue.engine.read.AttemptPage;
import dev.dukequeue.engine.read.AttemptView;
import dev.dukequeue.engine.read.JobPage;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Instant;

/**
 * Writes jobs, receipts, pages and attempts as the REST API's JSON. Payloads and results are embedded as JSON. A
 * listing is bounded: of each job it carries the payload, result and checkpoint only when their JSON text is at most
 * {@value #LISTED_VALUE_MAX_CHARS} characters, else null with {@code payloadTruncated} (or {@code resultTruncated},
 * {@code checkpointTruncated}) true; {@code GET /jobs/{id}} has them whole. A stack trace in an attempt is cut at
 * {@value #STACK_TRACE_MAX_CHARS} characters, with {@code stackTraceTruncated} true.
 */
public final class JobJson {

    /** The longest payload, result or checkpoint (JSON text) a listing carries whole. */
    public static final int LISTED_VALUE_MAX_CHARS = 1024;

    /** The longest stack trace an attempt carries. */
    public static final int STACK_TRACE_MAX_CHARS = 8192;

    private JobJson() {
    }

    public static JsonObject receipt(JobReceipt r) {
        return Jsons.JSON.createObjectBuilder().add("id", r.id().toString()).add("state", r.state().name())
                .add("created", r.created()).build();
    }

    /** @return the job with its payload, result and checkpoint whole */
    public static JsonObject job(JobView v) {
        return job(v, Integer.MAX_VALUE).build();
    }

    /** @return the job as a listing shows it: large payloads, results and checkpoints left out, with a flag */
    public static JsonObject listed(JobView v) {
        return job(v, LISTED_VALUE_MAX_CHARS).build();
    }

    private static JsonObjectBuilder job(JobView v, int maxChars) {
        boolean listing = maxChars != Integer.MAX_VALUE;
        JsonObjectBuilder b = Jsons.JSON.createObjectBuilder()
                .add("id", v.id().toString())
                .add("type", v.type())
                .add("queue", v.queue())
                .add("state", v.state().name())
                .add("priority", v.priority())
                .add("attempts", v.attempt())
                .add("maxAttempts", v.maxAttempts());
        instant(b, "createdAt", v.createdAt());
        instant(b, "runAt", v.runAt());
        instant(b, "startedAt", v.startedAt());
        instant(b, "finishedAt", v.finishedAt());
        embed(b, "payload", v.payloadJson(), maxChars, listing);
        embed(b, "result", v.resultJson(), maxChars, listing);
        if (v.lastError() == null) {
            b.addNull("lastError");
        } else {
            b.add("lastError", Jsons.JSON.createObjectBuilder().add("category", v.lastError().category().name())
                    .add("message", v.lastError().message()));
        }
        text(b, "idempotencyKey", v.idempotencyKey());
        text(b, "runningOn", v.leaseOwner());
        JsonArrayBuilder deps = Jsons.JSON.createArrayBuilder();
        v.dependsOn().forEach(id -> deps.add(id.toString()));
        b.add("dependsOn", deps);
        b.add("pendingDependencies", v.pendingDependencies());
        instant(b, "expiresAt", v.expiresAt());
        embed(b, "checkpoint", v.checkpointJson(), maxChars, listing);
        instant(b, "checkpointAt", v.checkpointAt());
        if (v.progressPercent() == null) {
            b.addNull("progress");
        } else {
            JsonObjectBuilder progress = Jsons.JSON.createObjectBuilder().add("percent", v.progressPercent());
            text(progress, "message", v.progressMessage());
            b.add("progress", progress);
        }
        return b;
    }

    /** Embeds a JSON text; in a listing, adds {@code <name>Truncated} and leaves out a text longer than the bound. */
    private static void embed(JsonObjectBuilder b, String name, String text, int maxChars, boolean listing) {
        boolean tooLong = text != null && text.length() > maxChars;
        b.add(name, text == null || tooLong ? JsonValue.NULL : json(text));
        if (listing) {
            b.add(name + "Truncated", tooLong);
        }
    }

    /** The existing job a duplicate idempotency key matched, marked {@code "created": false}. */
    public static JsonObject existing(JobView v) {
        return Jsons.JSON.createObjectBuilder(job(v)).add("created", false).build();
    }

    public static JsonObject page(JobPage page) {
        JsonArrayBuilder items = Jsons.JSON.createArrayBuilder();
        page.items().forEach(v -> items.add(listed(v)));
        JsonObjectBuilder b = Jsons.JSON.createObjectBuilder().add("items", items);
        text(b, "nextCursor", page.nextCursor());
        return b.build();
    }

    /** @return one page of a job's executions, oldest first, with {@code nextCursor} (null on the last page) */
    public static JsonObject attempts(AttemptPage page) {
        JsonArrayBuilder items = Jsons.JSON.createArrayBuilder();
        for (AttemptView a : page.items()) {
            JsonObjectBuilder b = Jsons.JSON.createObjectBuilder().add("run", a.runNo()).add("attempt", a.attempt())
                    .add("node", a.node());
            instant(b, "startedAt", a.startedAt());
            instant(b, "finishedAt", a.finishedAt());
            text(b, "outcome", a.outcome());
            text(b, "category", a.category());
            text(b, "message", a.message());
            boolean cut = a.stackTrace() != null && a.stackTrace().length() > STACK_TRACE_MAX_CHARS;
            text(b, "stackTrace", cut ? a.stackTrace().substring(0, STACK_TRACE_MAX_CHARS) : a.stackTrace());
            b.add("stackTraceTruncated", cut);
            items.add(b);
        }
        JsonObjectBuilder b = Jsons.JSON.createObjectBuilder().add("items", items);
        text(b, "nextCursor", page.nextCursor());
        return b.build();
    }

    private static JsonValue json(String text) {
        try (JsonReader reader = Jsons.JSON.createReader(new StringReader(text))) {
            return reader.readValue();
        } catch (JsonException e) {
            return Jsons.JSON.createValue(text); // a corrupt row (written behind the engine), shown as the text it is
        }
    }

    private static void instant(JsonObjectBuilder b, String name, Instant value) {
        if (value == null) {
            b.addNull(name);
        } else {
            b.add(name, value.toString());
        }
    }

    private static void text(JsonObjectBuilder b, String name, String value) {
        if (value == null) {
            b.addNull(name);
        } else {
            b.add(name, value);
        }
    }
}
