package dev.dukequeue.engine.job;

import static dev.dukequeue.JobState.CANCELLED;
import static dev.dukequeue.JobState.COMPLETED;
import static dev.dukequeue.JobState.DEAD_LETTER;
import static dev.dukequeue.JobState.FAILED;
import static dev.dukequeue.JobState.PENDING;
import static dev.dukequeue.JobState.RUNNING;
import static dev.dukequeue.JobState.SCHEDULED;

import dev.dukequeue.JobState;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The state machine, as one table: for each event, the states it may happen in and the state it leads to.
 * Every state change in the engine asks this table first ({@link #target}); the store's statements then guard on
 * the same source state in SQL ({@code AND state = 'RUNNING' AND lease_token = ?} for moves out of RUNNING,
 * {@code AND state = 'SCHEDULED'} for claims, the row's locked state for operator events), so a transition the table
 * refuses never reaches the database and one that lost a race changes no row. {@code docs/state-machine.md} draws it.
 */
public final class JobTransitions {

    private record Rule(Set<JobState> from, JobState to) {
    }

    private static final Map<JobEvent, Rule> RULES = new EnumMap<>(JobEvent.class);

    static {
        rule(JobEvent.SUBMIT, EnumSet.noneOf(JobState.class), SCHEDULED);
        rule(JobEvent.SUBMIT_PENDING, EnumSet.noneOf(JobState.class), PENDING);
        rule(JobEvent.DEPENDENCIES_MET, EnumSet.of(PENDING), SCHEDULED);
        rule(JobEvent.DEPENDENCY_FAILED, EnumSet.of(PENDING), DEAD_LETTER);
        rule(JobEvent.CLAIM, EnumSet.of(SCHEDULED), RUNNING);
        rule(JobEvent.SUCCEED, EnumSet.of(RUNNING), COMPLETED);
        rule(JobEvent.FAIL_RETRYABLE, EnumSet.of(RUNNING), SCHEDULED);
        rule(JobEvent.FAIL_PERMANENT, EnumSet.of(RUNNING), FAILED);
        rule(JobEvent.EXHAUST, EnumSet.of(RUNNING), DEAD_LETTER);
        rule(JobEvent.RESCUE, EnumSet.of(RUNNING), SCHEDULED);
        rule(JobEvent.RESCUE_EXHAUSTED, EnumSet.of(RUNNING), DEAD_LETTER);
        rule(JobEvent.RELEASE, EnumSet.of(RUNNING), SCHEDULED);
        rule(JobEvent.CANCEL, EnumSet.of(PENDING, SCHEDULED, RUNNING), CANCELLED);
        rule(JobEvent.REDRIVE, EnumSet.of(FAILED, DEAD_LETTER), SCHEDULED);
        rule(JobEvent.DEPENDENCY_CANCELLED, EnumSet.of(PENDING), CANCELLED);
        rule(JobEvent.REDRIVE_PENDING, EnumSet.of(FAILED, DEAD_LETTER), PENDING);
    }

    private JobTransitions() {
    }

    private static void rule(JobEvent event, Set<JobState> from, JobState to) {
        RULES.put(event, new Rule(Collections.unmodifiableSet(from), to));
    }

    /**
     * The guard every transition passes through.
     *
     * @param from  the job's current state (null for a job being created)
     * @param event what happens
     * @return the state the job moves to
     * @throws IllegalTransitionException if the event is not allowed in {@code from}
     */
    public static JobState target(JobState from, JobEvent event) {
        Rule rule = RULES.get(event);
        boolean creation = rule.from().isEmpty();
        if (creation ? from != null : !rule.from().contains(from)) {
            throw new IllegalTransitionException(from, event, rule.from());
        }
        return rule.to();
    }

    /** @return the states in which {@code event} may happen (empty for the creation events) */
    public static Set<JobState> sources(JobEvent event) {
        return RULES.get(event).from();
    }

    /** @return the state {@code event} leads to */
    public static JobState targetOf(JobEvent event) {
        return RULES.get(event).to();
    }

    /** @return true if {@code event} is allowed in {@code from} */
    public static boolean allows(JobState from, JobEvent event) {
        return RULES.get(event).from().contains(from);
    }
}
