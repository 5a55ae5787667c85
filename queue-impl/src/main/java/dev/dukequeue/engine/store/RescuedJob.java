package dev.dukequeue.engine.store;

import dev.dukequeue.JobId;
import dev.dukequeue.JobState;

/**
 * A job the rescuer took back from a node whose lease expired.
 *
 * @param id        the job
 * @param lostOwner the node incarnation that held the expired lease
 * @param newState  SCHEDULED (retried) or DEAD_LETTER (attempts exhausted)
 */
public record RescuedJob(JobId id, String lostOwner, JobState newState) {
}
