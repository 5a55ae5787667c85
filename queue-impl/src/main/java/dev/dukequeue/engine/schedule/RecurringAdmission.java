package dev.dukequeue.engine.schedule;

import dev.dukequeue.InvalidJobRequestException;
import dev.dukequeue.JobRequest;
import dev.dukequeue.engine.store.QueueRoom;
import java.time.Instant;
import java.util.List;

/**
 * What recurring jobs need from the one submission path: the checks a submission gets, and backpressure. Implemented
 * there ({@code submit.RecurringSubmissions}, over {@code SubmissionRules} and {@code Backpressure}); declared here so
 * that {@code schedule} does not depend on {@code submit}, which depends on {@code read}, which lists the recurring
 * jobs (a package cycle).
 */
public interface RecurringAdmission extends QueueRoom {

    /**
     * @param template a recurring job's job
     * @throws InvalidJobRequestException naming the field and the rule if a submission of it would be refused
     */
    void check(JobRequest template);

    /** Logs and counts instants of {@code schedule} refused because {@code queue} was full. */
    void refused(String schedule, String queue, List<Instant> instants);
}
