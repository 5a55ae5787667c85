package dev.dukequeue;

import java.util.Objects;

/**
 * What a submission returns.
 *
 * @param id      the job's id
 * @param state   its state right after submission (SCHEDULED, or PENDING while it waits on dependencies)
 * @param created false when an idempotency key matched an existing job, which is returned instead
 */
public record JobReceipt(JobId id, JobState state, boolean created) {

    public JobReceipt {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
    }
}
