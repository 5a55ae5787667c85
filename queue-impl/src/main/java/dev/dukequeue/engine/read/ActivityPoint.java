package dev.dukequeue.engine.read;

import java.time.Instant;

/**
 * The cluster's activity in one time step, summed over nodes (and over queues unless filtered).
 *
 * @param at           the step's start (database clock)
 * @param submitted    jobs submitted in the step
 * @param completed    jobs completed in the step
 * @param failed       failed attempts in the step (retried or not)
 * @param deadLettered jobs dead-lettered in the step
 * @param waiting      PENDING + SCHEDULED jobs at the step's last snapshot, or -1 if no node wrote one in the step
 * @param running      RUNNING jobs at the step's last snapshot, or -1 likewise
 */
public record ActivityPoint(Instant at, long submitted, long completed, long failed, long deadLettered, long waiting,
                            long running) {

    /** @return failed attempts as a share of attempts that ended (0 when none ended) */
    public double failureRate() {
        long ended = completed + failed;
        return ended == 0 ? 0 : (double) failed / ended;
    }
}
