package dev.dukequeue;

import java.util.Objects;

/**
 * A CDI event: a job reached a terminal state ({@link JobState#COMPLETED}, {@link JobState#FAILED},
 * {@link JobState#DEAD_LETTER} or {@link JobState#CANCELLED}). Fired by the node that wrote the outcome, <b>after</b>
 * the outcome committed (a {@link JobQueue#cancel cancel} commits in its own transaction, whatever its caller's
 * transaction then does), on a thread of the engine, never on the worker that ran the job, and outside any
 * transaction:
 *
 * <pre>{@code
 * void onEnd(@Observes JobEnded e) {                  // or @ObservesAsync, or during = TransactionPhase.AFTER_SUCCESS
 *     if (e.state() == JobState.DEAD_LETTER) pager.alert(e.type() + " " + e.id() + ": " + e.errorMessage());
 * }
 * }</pre>
 *
 * <p>An observer that throws changes nothing: the outcome is already committed; the failure is logged. The event is a
 * notification, not a delivery guarantee: a node that dies between the commit and the event loses it, and under a
 * flood of ends the engine drops events past its buffer (counted and logged) rather than slow the queue. Work that
 * must happen after a job ends is a job that depends on it.
 *
 * <p>Observers are found in the bean archives the engine's module can see: the web application that holds the engine
 * (the runnable jar, or your own WAR with {@code queue-impl}). No event is fired when nothing observes it, and the
 * resource adapter's engine, which runs outside CDI, fires none. Jobs dead-lettered because a job they depend on
 * failed, or because their lifetime ran out while they waited for dependencies, get no event of their own: the
 * failing job's event is the cause, and the listing shows them.
 *
 * @param id           the job
 * @param type         its type
 * @param queue        its queue
 * @param state        the terminal state it reached
 * @param attempt      the attempt that ended it (0 for a job cancelled before it ran)
 * @param node         the node incarnation that wrote the outcome ({@code name#incarnation})
 * @param errorCategory why it failed; null for COMPLETED and CANCELLED
 * @param errorMessage the failure's message; null for COMPLETED and CANCELLED
 */
public record JobEnded(JobId id, String type, String queue, JobState state, int attempt, String node,
        ErrorCategory errorCategory, String errorMessage) {

    public JobEnded {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        if (!state.isTerminal()) {
            throw new IllegalArgumentException("a job ends in a terminal state, not " + state);
        }
    }
}
