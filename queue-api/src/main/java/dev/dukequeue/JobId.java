package dev.dukequeue;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.UUID;

/**
 * The identity of a job: a UUID assigned by the queue at submission. New ids are time-ordered (the layout of UUID
 * version 7: 48 bits of Unix time in milliseconds, then 74 random bits), so their text forms sort by creation time to
 * the millisecond, and the database's indexes on job ids take new entries at their end instead of on any page.
 *
 * <p>Immutable and thread-safe. Its text form ({@link #toString()}) is the canonical UUID form and is what the
 * REST API shows.
 *
 * @param value the UUID, never null
 */
public record JobId(UUID value) {

    private static final SecureRandom RANDOM = new SecureRandom();

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

    /**
     * @return a new job id, unique (74 random bits from a {@link SecureRandom} per millisecond) and time-ordered (see
     *     the type's description). Ids made in the same millisecond are in no particular order among themselves.
     */
    public static JobId random() {
        byte[] r = new byte[10];
        RANDOM.nextBytes(r);
        long millis = System.currentTimeMillis() & 0xFFFF_FFFF_FFFFL;
        long high = millis << 16 | 0x7000L | (r[0] & 0x0FL) << 8 | r[1] & 0xFFL; // version 7
        long low = 0x8000_0000_0000_0000L | (r[2] & 0x3FL) << 56; // IETF variant
        for (int i = 3; i < 10; i++) {
            low |= (r[i] & 0xFFL) << (8 * (9 - i));
        }
        return new JobId(new UUID(high, low));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
