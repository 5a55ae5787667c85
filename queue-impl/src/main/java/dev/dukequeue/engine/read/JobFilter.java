package dev.dukequeue.engine.read;

import dev.dukequeue.JobState;

/**
 * Which jobs to list; null fields do not filter.
 *
 * @param state only jobs in this state
 * @param type  only jobs of this type
 * @param queue only jobs in this queue
 * @param text  only jobs whose id is this text, or whose idempotency key, type or last error contains it
 * @param createdFrom only jobs submitted at or after this instant
 * @param createdTo   only jobs submitted before this instant
 */
public record JobFilter(JobState state, String type, String queue, String text, java.time.Instant createdFrom,
        java.time.Instant createdTo) {

    public JobFilter(JobState state, String type, String queue) {
        this(state, type, queue, null, null, null);
    }

    /** @return a filter that matches every job */
    public static JobFilter all() {
        return new JobFilter(null, null, null);
    }
}
