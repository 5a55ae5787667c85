package dev.dukequeue.engine.store;

import java.time.Instant;

/**
 * A schedule's row: when it fires next and what it fired last.
 *
 * @param name      the schedule
 * @param nextRunAt the next instant it fires for
 * @param lastRunAt the last instant it fired for, or null
 * @param lastJobId the job of that instant, or null
 */
public record ScheduleState(String name, Instant nextRunAt, Instant lastRunAt, String lastJobId) {
}
