package dev.dukequeue.engine.store;

import dev.dukequeue.JobState;

/**
 * What an operator's event did to a job: the store reports it, the caller decides what to tell its own caller. (No API
 * exception crosses the store's EJB boundary, where the container would wrap it.)
 *
 * @param found  false if there is no such job
 * @param before the state the job was in (null if not found)
 * @param after  the state it is in now (equal to {@code before} when the event was not allowed)
 * @param refusal why an event the state allows was refused anyway (a re-drive whose dependency can never complete),
 *                or null
 */
public record Transition(boolean found, JobState before, JobState after, String refusal) {

    public Transition(boolean found, JobState before, JobState after) {
        this(found, before, after, null);
    }

    /** @return true if the event was applied */
    public boolean applied() {
        return found && before != after;
    }
}
