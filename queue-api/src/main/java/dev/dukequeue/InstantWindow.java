package dev.dukequeue;

import java.time.Instant;

/**
 * The instants the queue stores or compares with what it stores: from {@value #EARLIEST_TEXT} to
 * {@value #LATEST_TEXT}. Every database DukeQueue supports holds these, and durations between any two of them fit
 * the engine's arithmetic; instants outside (year 0001, year 1,000,000,000) overflow a JDBC timestamp or a duration in
 * nanoseconds. The bound of every instant filter (re-drive, listings) and of a job's run-at.
 */
public final class InstantWindow {

    static final String EARLIEST_TEXT = "1970-01-01T00:00:00Z";
    static final String LATEST_TEXT = "9999-12-31T23:59:59Z";

    /** The earliest instant accepted. */
    public static final Instant EARLIEST = Instant.parse(EARLIEST_TEXT);

    /** The latest instant accepted. */
    public static final Instant LATEST = Instant.parse(LATEST_TEXT);

    /** The rule, as a sentence fragment after the field's name. */
    public static final String RULE = "must be between " + EARLIEST_TEXT + " and " + LATEST_TEXT;

    private InstantWindow() {
    }

    /** @return true if {@code at} is null or within the window */
    public static boolean contains(Instant at) {
        return at == null || (!at.isBefore(EARLIEST) && !at.isAfter(LATEST));
    }

    /**
     * @param field the field that holds the instant, for the exception
     * @param at    the instant, or null
     * @return {@code at}
     * @throws InvalidJobRequestException naming {@code field} if {@code at} is outside the window
     */
    public static Instant require(String field, Instant at) {
        if (!contains(at)) {
            throw new InvalidJobRequestException(field, RULE + ", got " + at);
        }
        return at;
    }
}
