package dev.dukequeue.engine.read;

import java.time.Instant;

/**
 * A recurring job for operators: its definition on this node and its shared state.
 *
 * @param name      the schedule's name
 * @param cron      its cron expression
 * @param zone      the time zone the expression is read in
 * @param type      the job type it enqueues
 * @param queue     the queue it enqueues into
 * @param nextRunAt the next instant it fires for (null before it is registered)
 * @param lastRunAt the last instant it fired for, or null
 * @param lastJobId the job of that instant, or null
 */
public record RecurringView(String name, String cron, String zone, String type, String queue, Instant nextRunAt,
        Instant lastRunAt, String lastJobId) {
}
