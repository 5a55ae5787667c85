package dev.dukequeue.engine.store;

import dev.dukequeue.JobId;
import dev.dukequeue.JobState;

/**
 * A job taken back from a node that lost it: its lease expired (the rescuer) or its node restarted (start-up recovery).
 *
 * @param id        the job
 * @param lostOwner the node incarnation that held the lease
 * @param newState  SCHEDULED (retried) or DEAD_LETTER (attempts exhausted, or a poison pill)
 * @param poisoned  true if the job lost its worker too often and was dead-lettered as a poison pill
 * @param queue     its queue
 * @param type      its type
 * @param attempt   the attempt that lost its worker
 * @param message   the error written with it (why it was taken back)
 */
public record RescuedJob(JobId id, String lostOwner, JobState newState, boolean poisoned, String queue, String type,
        int attempt, String message) {
}
