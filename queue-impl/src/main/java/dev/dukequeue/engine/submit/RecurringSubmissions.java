package dev.dukequeue.engine.submit;

import dev.dukequeue.JobRequest;
import dev.dukequeue.engine.schedule.RecurringAdmission;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;

/** Recurring jobs held to the submission rules and backpressure, through the same classes as {@link DefaultJobQueue}. */
@ApplicationScoped
public class RecurringSubmissions implements RecurringAdmission {

    @Inject
    SubmissionRules rules;

    @Inject
    Backpressure backpressure;

    /** For CDI. */
    RecurringSubmissions() {
    }

    /** Outside a container (tests). */
    public RecurringSubmissions(SubmissionRules rules, Backpressure backpressure) {
        this.rules = rules;
        this.backpressure = backpressure;
    }

    @Override
    public void check(JobRequest template) {
        rules.check(List.of(template));
    }

    @Override
    public long room(String queue, long waiting) {
        return backpressure.room(queue, waiting);
    }

    @Override
    public void refused(String schedule, String queue, List<Instant> instants) {
        backpressure.refusedRecurring(schedule, queue, instants);
    }
}
