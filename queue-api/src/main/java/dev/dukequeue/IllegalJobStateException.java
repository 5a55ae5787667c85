package dev.dukequeue;

import java.util.Set;

/**
 * An action does not apply to the job in its current state (for example cancelling a COMPLETED job).
 * Nothing was changed.
 */
public class IllegalJobStateException extends JobQueueException {

    private final JobId id;
    private final JobState state;
    private final String action;

    /**
     * @param id      the job
     * @param state   the state it was found in
     * @param action  what was asked (for example {@code cancel})
     * @param allowed the states from which the action is allowed
     */
    public IllegalJobStateException(JobId id, JobState state, String action, Set<JobState> allowed) {
        super("cannot " + action + " job " + id + " in state " + state + "; " + action + " applies to " + allowed);
        this.id = id;
        this.state = state;
        this.action = action;
    }

    /**
     * An action the state allows was refused for another reason.
     *
     * @param id     the job
     * @param state  the state it was found in
     * @param action what was asked
     * @param reason why it was refused
     */
    public IllegalJobStateException(JobId id, JobState state, String action, String reason) {
        super("cannot " + action + " job " + id + " in state " + state + ": " + reason);
        this.id = id;
        this.state = state;
        this.action = action;
    }

    /** @return the job */
    public JobId id() {
        return id;
    }

    /** @return the state the job was found in */
    public JobState state() {
        return state;
    }

    /** @return the refused action */
    public String action() {
        return action;
    }
}
