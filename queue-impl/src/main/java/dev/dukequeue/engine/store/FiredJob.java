package dev.dukequeue.engine.store;

import dev.dukequeue.JobReceipt;
import java.time.Instant;

/**
 * One instant of a recurring job, enqueued.
 *
 * @param schedule the schedule's name
 * @param instant  the instant it fired for
 * @param receipt  the job (created false when another node had enqueued this instant already)
 */
public record FiredJob(String schedule, Instant instant, JobReceipt receipt) {
}
