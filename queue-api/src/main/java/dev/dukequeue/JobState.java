package dev.dukequeue;

import java.util.EnumSet;
import java.util.Set;

/**
 * The states of a job. {@code docs/state-machine.md} draws the allowed moves between them; the engine enforces
 * them in code and the database enforces the state values and the "finished exactly when terminal" rule.
 */
public enum JobState {
    /** Submitted, waiting for the jobs it depends on to complete. Not claimable. */
    PENDING,
    /** Waiting to run: due now or at its run-at time (a delay or a retry's backoff). Claimable once due. */
    SCHEDULED,
    /** Leased by one node, whose worker runs its handler. Leaves this state only through the lease's fence. */
    RUNNING,
    /** The handler returned; its result is stored. Terminal. */
    COMPLETED,
    /** The handler declared the job unprocessable ({@link PermanentJobException}). Terminal; can be retried by hand. */
    FAILED,
    /** Every allowed attempt failed (or the job could never run). Terminal; can be re-driven by hand. */
    DEAD_LETTER,
    /** Cancelled before it finished. Terminal. */
    CANCELLED;

    private static final Set<JobState> TERMINAL = EnumSet.of(COMPLETED, FAILED, DEAD_LETTER, CANCELLED);

    /** @return true for the states a job never leaves by itself (it has a finish time) */
    public boolean isTerminal() {
        return TERMINAL.contains(this);
    }
}
