package dev.dukequeue;

import java.util.Objects;
import java.util.UUID;

/**
 * The identity of a job: a UUID assigned by the queue at submission.
 *
 * <p>Immutable and thread-safe. Its text form ({@link #toString()}) is the canonical UUID form and is what the
 * REST API shows.
 *
 * @param value the UUID, never null
 */
public record JobId(UUID value) {

    public JobId {
        Objects.requireNonNull(value, "value");
    }

    /**
     * Parses the canonical text form of a job id.
     *
     * @param text the UUID text
     * @return the job id
     * @throws IllegalArgumentException if {@code text} is null or not a UUID
     */
    public static JobId parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("job id must not be null");
        }
        try {
            return new JobId(UUID.fromString(text));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("job id must be a UUID, got '" + text + "'", e);
        }
    }

    /** @return a new random job id */
    public static JobId random() {
        return new JobId(UUID.randomUUID());
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
