package dev.dukequeue.engine.store;

import dev.dukequeue.JobRequest;
import java.time.Instant;
import java.util.function.UnaryOperator;

/**
 * A recurring job as the store fires it.
 *
 * @param name      the schedule's name (its dq_schedule row)
 * @param signature what its timing depends on (cron and zone): when it changes, the next run is computed afresh
 * @param template  the job of each instant, without run-at and idempotency key
 * @param next      the first instant strictly after the given one, or null if there is none
 * @param catchUp   true to enqueue every missed instant, false to enqueue only the latest one that is due
 */
public record ScheduleDefinition(String name, String signature, JobRequest template, UnaryOperator<Instant> next,
        boolean catchUp) {
}
