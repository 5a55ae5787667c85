package dev.dukequeue.web.rest.dto;

import dev.dukequeue.JobReceipt;
import dev.dukequeue.JobView;
import dev.dukequeue.engine.admin.AttemptView;
import dev.dukequeue.engine.admin.JobPage;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.time.Instant;
import java.util.List;

/** Writes jobs, receipts, pages and attempts as the REST API's JSON. Payloads and results are embedded as JSON. */
public final class JobJson {

    private JobJson() {
    }

    public static JsonObject receipt(JobReceipt r) {
        return Jsons.JSON.createObjectBuilder().add("id", r.id().toString()).add("state", r.state().name())
                .add("created", r.created()).build();
    }

    public static JsonObject job(JobView v) {
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
        b.add("payload", json(v.payloadJson()));
        b.add("result", v.resultJson() == null ? JsonValue.NULL : json(v.resultJson()));
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
        b.add("checkpoint", v.checkpointJson() == null ? JsonValue.NULL : json(v.checkpointJson()));
        instant(b, "checkpointAt", v.checkpointAt());
        if (v.progressPercent() == null) {
            b.addNull("progress");
        } else {
            JsonObjectBuilder progress = Jsons.JSON.createObjectBuilder().add("percent", v.progressPercent());
            text(progress, "message", v.progressMessage());
            b.add("progress", progress);
        }
        return b.build();
    }

    /** The existing job a duplicate idempotency key matched, marked {@code "created": false}. */
    public static JsonObject existing(JobView v) {
        return Jsons.JSON.createObjectBuilder(job(v)).add("created", false).build();
    }

    public static JsonObject page(JobPage page) {
        JsonArrayBuilder items = Jsons.JSON.createArrayBuilder();
        page.items().forEach(v -> items.add(job(v)));
        JsonObjectBuilder b = Jsons.JSON.createObjectBuilder().add("items", items);
        text(b, "nextCursor", page.nextCursor());
        return b.build();
    }

    public static JsonObject attempts(List<AttemptView> attempts) {
        JsonArrayBuilder items = Jsons.JSON.createArrayBuilder();
        for (AttemptView a : attempts) {
            JsonObjectBuilder b = Jsons.JSON.createObjectBuilder().add("run", a.runNo()).add("attempt", a.attempt())
                    .add("node", a.node());
            instant(b, "startedAt", a.startedAt());
            instant(b, "finishedAt", a.finishedAt());
            text(b, "outcome", a.outcome());
            text(b, "category", a.category());
            text(b, "message", a.message());
            text(b, "stackTrace", a.stackTrace());
            items.add(b);
        }
        return Jsons.JSON.createObjectBuilder().add("items", items).build();
    }

    public static JsonObject error(String error, String field, String message) {
        JsonObjectBuilder b = Jsons.JSON.createObjectBuilder().add("error", error);
        text(b, "field", field);
        b.add("message", message == null ? "" : message);
        return b.build();
    }

    private static JsonValue json(String text) {
        try (JsonReader reader = Jsons.JSON.createReader(new StringReader(text))) {
            return reader.readValue();
        } catch (JsonException e) {
            return Jsons.JSON.createValue(text); // never expected: payloads and results are validated JSON
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
