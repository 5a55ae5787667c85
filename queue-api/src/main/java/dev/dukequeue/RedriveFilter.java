package dev.dukequeue;

import java.time.Instant;

/**
 * Which finished jobs a bulk re-drive takes: jobs in {@code state} (DEAD_LETTER by default, or FAILED), optionally of
 * one queue and one type, finished in {@code [finishedFrom, finishedTo)}, oldest first, at most {@code limit}.
 * Validated when constructed. Immutable.
 *
 * @param state        DEAD_LETTER or FAILED; null for DEAD_LETTER
 * @param queue        only this queue (a {@link QueueName}), or null for all
 * @param type         only this type, or null for all
 * @param finishedFrom only jobs finished at or after this instant (within the {@link InstantWindow}), or null
 * @param finishedTo   only jobs finished before this instant (within the {@link InstantWindow}), or null
 * @param limit        at most this many jobs, 1..{@value #MAX_LIMIT}; 0 for {@value #DEFAULT_LIMIT}
 */
public record RedriveFilter(JobState state, String queue, String type, Instant finishedFrom, Instant finishedTo,
        int limit) {

    public static final int DEFAULT_LIMIT = 1000;
    public static final int MAX_LIMIT = 10_000;

    public RedriveFilter {
        state = state == null ? JobState.DEAD_LETTER : state;
        if (state != JobState.DEAD_LETTER && state != JobState.FAILED) {
            throw new InvalidJobRequestException("state", "must be DEAD_LETTER or FAILED, got " + state);
        }
        if (queue != null) {
            QueueName.require("queue", queue);
        }
        if (type != null && !type.matches("[A-Za-z0-9._:-]{1,128}")) {
            throw new InvalidJobRequestException("type", "must be 1..128 characters of letters, digits and . _ - :");
        }
        InstantWindow.require("finishedFrom", finishedFrom);
        InstantWindow.require("finishedTo", finishedTo);
        if (finishedFrom != null && finishedTo != null && !finishedFrom.isBefore(finishedTo)) {
            throw new InvalidJobRequestException("finishedFrom", "must be before finishedTo");
        }
        limit = limit == 0 ? DEFAULT_LIMIT : limit;
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidJobRequestException("limit", "must be between 1 and " + MAX_LIMIT);
        }
    }

    /** @return every DEAD_LETTER job, up to the default limit */
    public static RedriveFilter deadLetters() {
        return new RedriveFilter(null, null, null, null, null, 0);
    }
}
