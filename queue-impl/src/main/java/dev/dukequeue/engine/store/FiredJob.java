package dev.dukequeue.engine.store;

import dev.dukequeue.JobReceipt;
import java.time.Instant;

/**
 * One due instant of a recurring job: enqueued, or refused because its queue was full.
 *
 * @param schedule the schedule's name
 * @param instant  the instant it fired for
 * @param receipt  the job (created false when another node had enqueued this instant already); null when the
 *                 instant was refused: no job was written and the schedule moved past it
 */
public record FiredJob(String schedule, Instant instant, JobReceipt receipt) {

    /** @return an instant refused because its queue was full */
    static FiredJob refused(String schedule, Instant instant) {
        return new FiredJob(schedule, instant, null);
    }

    /** @return true if no job was written for this instant because its queue was full */
    public boolean refused() {
        return receipt == null;
    }

    /** @return true if this call enqueued the instant's job */
    public boolean created() {
        return receipt != null && receipt.created();
    }
}
