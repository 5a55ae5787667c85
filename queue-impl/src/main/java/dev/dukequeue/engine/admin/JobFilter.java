package dev.dukequeue.engine.admin;

import dev.dukequeue.JobState;

/**
 * Which jobs to list; null fields do not filter.
 *
 * @param state only jobs in this state
 * @param type  only jobs of this type
 * @param queue only jobs in this queue
 */
public record JobFilter(JobState state, String type, String queue) {

    /** @return a filter that matches every job */
    public static JobFilter all() {
        return new JobFilter(null, null, null);
    }
}
