package dev.dukequeue.web.rest.dto;

import static dev.dukequeue.web.rest.dto.JsonFields.integer;
import static dev.dukequeue.web.rest.dto.JsonFields.invalid;
import static dev.dukequeue.web.rest.dto.JsonFields.string;
import static dev.dukequeue.web.rest.dto.JsonFields.strings;

import dev.dukequeue.InvalidJobRequestException;
import dev.dukequeue.JobId;
import dev.dukequeue.JobRequest;
import dev.dukequeue.JobState;
import dev.dukequeue.QueueName;
import dev.dukequeue.RedriveFilter;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads the JSON of {@code POST /jobs} and {@code POST /jobs/batch} into {@link JobRequest}s. Strict: an unknown
 * field, a field of the wrong JSON type or a broken rule is a 400 naming the field, before anything is written.
 */
public final class JobRequestJson {

    private static final Set<String> FIELDS = Set.of("type", "payload", "queue", "priority", "runAt", "delayMs",
            "maxAttempts", "timeoutMs", "idempotencyKey", "key", "dependsOn", "dependsOnKeys", "lifetimeMs");

    private JobRequestJson() {
    }

    /** @return the body parsed as one JSON object, strictly (see {@link StrictJson}) */
    public static JsonObject parseObject(String body) {
        return StrictJson.parseObject(body);
    }

    /** The request header that may carry a single submission's idempotency key instead of its body. */
    public static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

    /**
     * The {@value #IDEMPOTENCY_HEADER} header of {@code POST /jobs}, an alternative to the body's
     * {@code idempotencyKey} (the IETF draft's header, which HTTP clients and gateways send).
     *
     * @param body   the request's object, as parsed
     * @param header the header's value, or null when the request has none
     * @return the body, with the header's value as its {@code idempotencyKey} if it had none
     * @throws BadRequestException naming the header: empty, over 200 characters (the key's bound), or a body whose key
     *                             differs (which of the two was meant cannot be known)
     */
    public static JsonObject withIdempotencyHeader(JsonObject body, String header) {
        if (header == null) {
            return body;
        }
        if (header.isEmpty() || header.length() > 200) {
            throw invalid(IDEMPOTENCY_HEADER, "must be 1..200 characters");
        }
        JsonValue inBody = body.get("idempotencyKey");
        if (inBody instanceof JsonString s) {
            if (!s.getString().equals(header)) {
                throw invalid(IDEMPOTENCY_HEADER, "differs from the body's idempotencyKey; send one of them, or the same"
                        + " key in both");
            }
            return body;
        }
        if (inBody != null && inBody != JsonValue.NULL) {
            return body; // not a string: read() refuses it, naming idempotencyKey
        }
        return Jsons.JSON.createObjectBuilder(body).add("idempotencyKey", header).build();
    }

    /** Reads one job request; field names in errors get {@code prefix} ({@code jobs[2].} in a batch). */
    public static JobRequest read(JsonObject json, String prefix) {
        for (String key : json.keySet()) {
            if (!FIELDS.contains(key)) {
                throw invalid(prefix + key, "is not a known field; known fields are " + FIELDS);
            }
        }
        String type = string(json, "type", prefix);
        if (type == null) {
            throw invalid(prefix + "type", "is required");
        }
        JobRequest.Builder b = JobRequest.builder(type);
        JsonValue payload = json.get("payload");
        if (payload != null) {
            b.payloadJson(payload.toString());
        }
        String queue = string(json, "queue", prefix);
        if (queue != null) {
            b.queue(queue);
        }
        Integer priority = integer(json, "priority", prefix, JobRequest.HIGHEST_PRIORITY, JobRequest.LOWEST_PRIORITY);
        if (priority != null) {
            b.priority(priority);
        }
        Integer maxAttempts = integer(json, "maxAttempts", prefix, 1, JobRequest.MAX_MAX_ATTEMPTS);
        if (maxAttempts != null) {
            b.maxAttempts(maxAttempts);
        }
        Long timeoutMs = millis(json, "timeoutMs", prefix);
        if (timeoutMs != null) {
            b.timeout(Duration.ofMillis(timeoutMs));
        }
        String runAt = string(json, "runAt", prefix);
        Long delayMs = millis(json, "delayMs", prefix);
        if (runAt != null && delayMs != null) {
            throw invalid(prefix + "runAt", "cannot be combined with delayMs");
        }
        if (runAt != null) {
            try {
                b.runAt(Instant.parse(runAt));
            } catch (DateTimeParseException e) {
                throw invalid(prefix + "runAt", "must be an ISO-8601 instant such as 2030-01-31T12:00:00Z");
            }
        }
        if (delayMs != null) {
            b.delay(Duration.ofMillis(delayMs));
        }
        String key = string(json, "idempotencyKey", prefix);
        if (key != null) {
            b.idempotencyKey(key);
        }
        String batchKey = string(json, "key", prefix);
        if (batchKey != null) {
            b.key(batchKey);
        }
        List<String> dependsOn = strings(json, "dependsOn", prefix);
        for (int k = 0; k < dependsOn.size(); k++) {
            try {
                b.dependsOn(JobId.parse(dependsOn.get(k)));
            } catch (IllegalArgumentException e) {
                throw invalid(prefix + "dependsOn[" + k + "]", "must be a job id (a UUID), got '" + dependsOn.get(k) + "'");
            }
        }
        b.dependsOnKeys(strings(json, "dependsOnKeys", prefix).toArray(String[]::new));
        Long lifetimeMs = millis(json, "lifetimeMs", prefix);
        if (lifetimeMs != null) {
            b.lifetime(Duration.ofMillis(lifetimeMs));
        }
        try {
            return b.build();
        } catch (InvalidJobRequestException e) {
            throw invalid(prefix + restName(e.field()), e.rule());
        }
    }

    private static final Set<String> REDRIVE_FIELDS = Set.of("state", "queue", "type", "finishedFrom", "finishedTo",
            "limit");

    /** Reads the filter of {@code POST /jobs/redrive}. */
    public static RedriveFilter readRedriveFilter(JsonObject json) {
        for (String key : json.keySet()) {
            if (!REDRIVE_FIELDS.contains(key)) {
                throw invalid(key, "is not a known field; known fields are " + REDRIVE_FIELDS);
            }
        }
        JobState state = null;
        String stateText = string(json, "state", "");
        if (stateText != null) {
            try {
                state = JobState.valueOf(stateText);
            } catch (IllegalArgumentException e) {
                throw invalid("state", "must be DEAD_LETTER or FAILED");
            }
        }
        Integer limit = integer(json, "limit", "", 1, RedriveFilter.MAX_LIMIT);
        try {
            return new RedriveFilter(state, string(json, "queue", ""), string(json, "type", ""),
                    instant(json, "finishedFrom"), instant(json, "finishedTo"), limit == null ? 0 : limit);
        } catch (InvalidJobRequestException e) {
            throw invalid(e.field(), e.rule());
        }
    }

    private static Instant instant(JsonObject json, String field) {
        String text = string(json, field, "");
        try {
            return text == null ? null : Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw invalid(field, "must be an ISO-8601 instant such as 2030-01-31T12:00:00Z");
        }
    }

    /** The largest {@code olderThanMinutes} of a purge (about 19 years). */
    public static final long MAX_PURGE_MINUTES = 10_000_000L;
    private static final Set<String> PURGE_FIELDS = Set.of("states", "olderThanMinutes", "queue");
    /** The states a purge may delete: finished ones only. */
    public static final List<String> PURGEABLE = List.of("COMPLETED", "CANCELLED", "FAILED", "DEAD_LETTER");

    /**
     * What {@code POST /jobs/purge} asked for.
     *
     * @param states           finished states to delete (all four when the request names none)
     * @param olderThanMinutes only jobs finished longer ago than this
     * @param queue            only this queue, or null for all
     */
    public record PurgeRequest(List<String> states, long olderThanMinutes, String queue) {
    }

    /** Reads {@code {"states": [...], "olderThanMinutes": n, "queue": "..."}} of {@code POST /jobs/purge}. */
    public static PurgeRequest readPurge(JsonObject json) {
        for (String key : json.keySet()) {
            if (!PURGE_FIELDS.contains(key)) {
                throw invalid(key, "is not a known field; known fields are " + PURGE_FIELDS);
            }
        }
        List<String> states = strings(json, "states", "");
        if (json.containsKey("states") && states.isEmpty()) {
            throw invalid("states", "must be a non-empty array of " + PURGEABLE);
        }
        for (int i = 0; i < states.size(); i++) {
            if (!PURGEABLE.contains(states.get(i))) {
                throw invalid("states[" + i + "]", "must be one of " + PURGEABLE + " (only finished jobs are purged)");
            }
        }
        Long minutes = integer(json, "olderThanMinutes", "", 0L, MAX_PURGE_MINUTES);
        if (minutes == null) {
            throw invalid("olderThanMinutes", "is required: a whole number of minutes between 0 and "
                    + MAX_PURGE_MINUTES);
        }
        String queue = string(json, "queue", "");
        if (queue != null && !QueueName.isValid(queue)) {
            throw invalid("queue", QueueName.RULE);
        }
        return new PurgeRequest(states.isEmpty() ? PURGEABLE : List.copyOf(states), minutes, queue);
    }

    /** Reads {@code {"jobs": [ ... ]}}. */
    public static List<JobRequest> readBatch(JsonObject json) {
        for (String key : json.keySet()) {
            if (!key.equals("jobs")) {
                throw invalid(key, "is not a known field; a batch is {\"jobs\": [...]}");
            }
        }
        JsonValue jobs = json.get("jobs");
        if (!(jobs instanceof JsonArray array)) {
            throw invalid("jobs", "is required and must be an array of job objects");
        }
        List<JobRequest> requests = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            if (array.get(i).getValueType() != JsonValue.ValueType.OBJECT) {
                throw invalid("jobs[" + i + "]", "must be a JSON object");
            }
            requests.add(read(array.getJsonObject(i), "jobs[" + i + "]."));
        }
        return requests;
    }

    /** The API's field names are the REST names, except for durations, which REST gives in milliseconds. */
    private static String restName(String apiField) {
        return switch (apiField) {
            case "delay" -> "delayMs";
            case "timeout" -> "timeoutMs";
            case "lifetime" -> "lifetimeMs";
            default -> apiField;
        };
    }

    /** A duration in milliseconds: any long (JobRequest checks the duration's own range). */
    private static Long millis(JsonObject json, String field, String prefix) {
        return integer(json, field, prefix, Long.MIN_VALUE, Long.MAX_VALUE);
    }
}
