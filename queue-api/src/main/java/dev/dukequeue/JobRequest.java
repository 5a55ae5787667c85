package dev.dukequeue;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbException;
import java.io.StringReader;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A request to run a job: what to run, with what payload, where and when. Build one with {@link #builder(String)}.
 *
 * <p>Every rule is checked when the record is constructed, so an invalid request never reaches the queue: the
 * constructor throws {@link InvalidJobRequestException} naming the field and the rule. Immutable and thread-safe.
 *
 * @param type           the job type, bound to a handler by {@link HandlesJob}: 1..128 characters of letters,
 *                       digits and {@code . _ - :}
 * @param payloadJson    the payload as JSON text; {@code null} JSON when there is none
 * @param queue          the queue, a {@link QueueName}: 1..64 characters of letters, digits and {@code . _ -}, not
 *                       only dots; default {@code default}
 * @param priority       0 (highest) .. 4 (lowest); default 2
 * @param runAt          when the job becomes due, or null; exclusive with {@code delay}. Within the
 *                       {@link InstantWindow}; {@link Builder#build()} also requires it between
 *                       {@link #MAX_RUN_AT_PAST 1 day ago} and {@link #MAX_RUN_AT_AHEAD 10 years ahead} (this
 *                       constructor does not, so that the engine can re-create a recurring job's instant that is
 *                       already past)
 * @param delay          how long after submission (on the database's clock) the job becomes due, or null
 * @param maxAttempts    how many attempts the job may use, 1..1000; default 5
 * @param timeout        the execution timeout of one attempt, 1 ms .. 24 h; default 30 minutes
 * @param idempotencyKey a key unique within the queue: a second submission with the same key returns the first
 *                       job instead of creating another; null for none; 1..200 characters
 * @param key            a name for this job within one {@link JobQueue#submitAll batch}, so that other jobs of the
 *                       batch can depend on it through {@code dependsOnKeys}; null for none; 1..64 characters of
 *                       letters, digits and {@code . _ - :}. Not stored: it means nothing outside its batch.
 * @param dependsOn      existing jobs this job waits for: it stays PENDING until all of them are COMPLETED; never
 *                       null (empty for none), no duplicates
 * @param dependsOnKeys  jobs of the same batch this job waits for, by their {@code key}; never null, no duplicates
 * @param lifetime       for a job with dependencies: how long after submission it may wait PENDING; if its
 *                       dependencies have not all completed by then it goes to DEAD_LETTER. Null for the configured
 *                       default ({@code dukequeue.dependencies.lifetime}); 1 s .. 366 days
 */
public record JobRequest(
        String type,
        String payloadJson,
        String queue,
        int priority,
        Instant runAt,
        Duration delay,
        int maxAttempts,
        Duration timeout,
        String idempotencyKey,
        String key,
        List<JobId> dependsOn,
        List<String> dependsOnKeys,
        Duration lifetime) {

    public static final String DEFAULT_QUEUE = "default";
    public static final int DEFAULT_PRIORITY = 2;
    public static final int HIGHEST_PRIORITY = 0;
    public static final int LOWEST_PRIORITY = 4;
    public static final int DEFAULT_MAX_ATTEMPTS = 5;
    public static final int MAX_MAX_ATTEMPTS = 1000;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(30);
    public static final Duration MAX_TIMEOUT = Duration.ofHours(24);
    public static final Duration MAX_DELAY = Duration.ofDays(366);
    public static final Duration MAX_LIFETIME = Duration.ofDays(366);
    /** How far in the past a submitted run-at may be (a clock a little behind, a retry of a late request). */
    public static final Duration MAX_RUN_AT_PAST = Duration.ofDays(1);
    /** How far ahead a submitted run-at may be: 10 years, leap days included. */
    public static final Duration MAX_RUN_AT_AHEAD = Duration.ofDays(3653);

    private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final Pattern KEY = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    public JobRequest {
        if (type == null || type.isEmpty()) {
            throw new InvalidJobRequestException("type", "is required");
        }
        if (!TYPE.matcher(type).matches()) {
            throw new InvalidJobRequestException("type", "must be 1..128 characters of letters, digits and . _ - :");
        }
        payloadJson = payloadJson == null ? "null" : payloadJson;
        requireJson(payloadJson);
        queue = queue == null ? DEFAULT_QUEUE : queue;
        QueueName.require("queue", queue);
        if (priority < HIGHEST_PRIORITY || priority > LOWEST_PRIORITY) {
            throw new InvalidJobRequestException("priority", "must be between 0 (highest) and 4 (lowest)");
        }
        if (runAt != null && delay != null) {
            throw new InvalidJobRequestException("runAt", "cannot be combined with delay");
        }
        InstantWindow.require("runAt", runAt);
        if (delay != null && (delay.isNegative() || delay.compareTo(MAX_DELAY) > 0)) {
            throw new InvalidJobRequestException("delay", "must be between 0 and 366 days");
        }
        if (maxAttempts < 1 || maxAttempts > MAX_MAX_ATTEMPTS) {
            throw new InvalidJobRequestException("maxAttempts", "must be between 1 and 1000");
        }
        timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
        if (timeout.toMillis() < 1 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new InvalidJobRequestException("timeout", "must be between 1 ms and 24 hours");
        }
        if (idempotencyKey != null && (idempotencyKey.isEmpty() || idempotencyKey.length() > 200)) {
            throw new InvalidJobRequestException("idempotencyKey", "must be 1..200 characters");
        }
        if (key != null && !KEY.matcher(key).matches()) {
            throw new InvalidJobRequestException("key", "must be 1..64 characters of letters, digits and . _ - :");
        }
        dependsOn = List.copyOf(requireDistinct(dependsOn == null ? List.of() : dependsOn, "dependsOn"));
        dependsOnKeys = List.copyOf(requireDistinct(dependsOnKeys == null ? List.of() : dependsOnKeys, "dependsOnKeys"));
        for (int i = 0; i < dependsOnKeys.size(); i++) {
            if (!KEY.matcher(dependsOnKeys.get(i)).matches()) {
                throw new InvalidJobRequestException("dependsOnKeys[" + i + "]",
                        "must be 1..64 characters of letters, digits and . _ - :");
            }
        }
        if (lifetime != null) {
            if (dependsOn.isEmpty() && dependsOnKeys.isEmpty()) {
                throw new InvalidJobRequestException("lifetime",
                        "applies only to a job with dependencies (dependsOn or dependsOnKeys)");
            }
            if (lifetime.compareTo(Duration.ofSeconds(1)) < 0 || lifetime.compareTo(MAX_LIFETIME) > 0) {
                throw new InvalidJobRequestException("lifetime", "must be between 1 second and 366 days");
            }
        }
    }

    /** @return true if this job waits for other jobs */
    public boolean hasDependencies() {
        return !dependsOn.isEmpty() || !dependsOnKeys.isEmpty();
    }

    private static <T> List<T> requireDistinct(List<T> values, String field) {
        Set<T> seen = new HashSet<>();
        for (int i = 0; i < values.size(); i++) {
            T v = values.get(i);
            if (v == null) {
                throw new InvalidJobRequestException(field + "[" + i + "]", "must not be null");
            }
            if (!seen.add(v)) {
                throw new InvalidJobRequestException(field + "[" + i + "]", "repeats " + v);
            }
        }
        return values;
    }

    /**
     * Starts a request for a job of the given type.
     *
     * @param type the job type
     * @return a builder with every other field at its default
     */
    public static Builder builder(String type) {
        return new Builder(type);
    }

    /**
     * The window of a submitted run-at: from {@link #MAX_RUN_AT_PAST} before {@code now} to {@link #MAX_RUN_AT_AHEAD}
     * after it. A run-at outside it is a mistake (a date in the wrong unit or century), not a schedule.
     *
     * @throws InvalidJobRequestException naming {@code runAt} if {@code runAt} is outside the window
     */
    static void requireRunAtWindow(Instant runAt, Instant now) {
        if (runAt.isBefore(now.minus(MAX_RUN_AT_PAST)) || runAt.isAfter(now.plus(MAX_RUN_AT_AHEAD))) {
            throw new InvalidJobRequestException("runAt", "must be between 1 day ago and 10 years (3653 days) ahead,"
                    + " got " + runAt);
        }
    }

    /** Looked up once: {@code Json.createReader} runs a ServiceLoader lookup (a class path scan) on every call. */
    private static final jakarta.json.spi.JsonProvider JSON = jakarta.json.spi.JsonProvider.provider();

    private static void requireJson(String json) {
        try (JsonReader reader = JSON.createReader(new StringReader(json))) {
            reader.readValue();
        } catch (JsonException e) {
            throw new InvalidJobRequestException("payload", "must be valid JSON: " + e.getMessage());
        }
    }

    /** Builds a {@link JobRequest}; not thread-safe, validated by {@link #build()}. */
    public static final class Builder {
        private final String type;
        private String payloadJson;
        private String queue = DEFAULT_QUEUE;
        private int priority = DEFAULT_PRIORITY;
        private Instant runAt;
        private Duration delay;
        private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
        private Duration timeout = DEFAULT_TIMEOUT;
        private String idempotencyKey;
        private String key;
        private final List<JobId> dependsOn = new ArrayList<>();
        private final List<String> dependsOnKeys = new ArrayList<>();
        private Duration lifetime;

        private Builder(String type) {
            this.type = type;
        }

        /** @param json the payload as JSON text (checked to be valid JSON by {@link #build()}) */
        public Builder payloadJson(String json) {
            this.payloadJson = json;
            return this;
        }

        /**
         * @param value an object JSON-B can map, converted to JSON now
         * @throws InvalidJobRequestException if JSON-B cannot map it
         */
        public Builder payload(Object value) {
            try {
                this.payloadJson = value == null ? null : JsonbHolder.JSONB.toJson(value);
            } catch (JsonbException e) {
                throw new InvalidJobRequestException("payload", "cannot be mapped to JSON: " + e.getMessage());
            }
            return this;
        }

        public Builder queue(String queue) {
            this.queue = queue;
            return this;
        }

        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        /** Sets the time the job becomes due; clears any delay. */
        public Builder runAt(Instant runAt) {
            this.runAt = runAt;
            this.delay = null;
            return this;
        }

        /** Sets the delay after submission, measured on the database's clock; clears any run-at. */
        public Builder delay(Duration delay) {
            this.delay = delay;
            this.runAt = null;
            return this;
        }

        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        public Builder timeout(Duration timeout) {
            this.timeout = timeout;
            return this;
        }

        public Builder idempotencyKey(String key) {
            this.idempotencyKey = key;
            return this;
        }

        /** Names this job within its batch, so that other jobs of the batch can depend on it. */
        public Builder key(String key) {
            this.key = key;
            return this;
        }

        /** Adds existing jobs this job waits for (it stays PENDING until they are all COMPLETED). */
        public Builder dependsOn(JobId... ids) {
            return dependsOn(java.util.Arrays.asList(ids));
        }

        /** Adds existing jobs this job waits for. */
        public Builder dependsOn(Collection<JobId> ids) {
            dependsOn.addAll(ids);
            return this;
        }

        /** Adds jobs of the same batch this job waits for, by their {@link #key(String) keys}. */
        public Builder dependsOnKeys(String... keys) {
            dependsOnKeys.addAll(java.util.Arrays.asList(keys));
            return this;
        }

        /** Sets how long the job may wait for its dependencies before it is dead-lettered. */
        public Builder lifetime(Duration lifetime) {
            this.lifetime = lifetime;
            return this;
        }

        /**
         * @return the validated request
         * @throws InvalidJobRequestException naming the first field that breaks a rule; for a run-at, also when it is
         *                                    more than {@link #MAX_RUN_AT_PAST} ago or {@link #MAX_RUN_AT_AHEAD} ahead
         */
        public JobRequest build() {
            JobRequest request = new JobRequest(type, payloadJson, queue, priority, runAt, delay, maxAttempts, timeout,
                    idempotencyKey, key, dependsOn, dependsOnKeys, lifetime);
            if (runAt != null) {
                requireRunAtWindow(runAt, Instant.now());
            }
            return request;
        }
    }

    /** Lazily created, shared JSON-B instance (thread-safe per the JSON-B specification). */
    private static final class JsonbHolder {
        static final Jsonb JSONB = JsonbBuilder.create();
    }
}
