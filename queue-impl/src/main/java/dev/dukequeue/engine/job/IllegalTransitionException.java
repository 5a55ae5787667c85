package dev.dukequeue.engine.job;

import dev.dukequeue.JobState;
import jakarta.ejb.ApplicationException;
import java.util.Set;

/** An event was applied to a job in a state that does not allow it: a bug or a lost race, never silently ignored. */
@ApplicationException(rollback = true)
public class IllegalTransitionException extends IllegalStateException {

    private final JobState from;
    private final JobEvent event;
    private final Set<JobState> allowed;

    public IllegalTransitionException(JobState from, JobEvent event, Set<JobState> allowed) {
        super("event " + event + " is not allowed in state " + from
                + (allowed.isEmpty() ? " (it creates jobs)" : "; allowed in " + allowed));
        this.from = from;
        this.event = event;
        this.allowed = allowed;
    }

    public JobState from() {
        return from;
    }

    public JobEvent event() {
        return event;
    }

    public Set<JobState> allowed() {
        return allowed;
    }
}
