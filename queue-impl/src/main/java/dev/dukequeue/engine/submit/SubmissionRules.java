package dev.dukequeue.engine.submit;

import dev.dukequeue.InvalidJobRequestException;
import dev.dukequeue.JobRequest;
import dev.dukequeue.PayloadTooLargeException;
import dev.dukequeue.engine.config.EngineConfig;
import dev.dukequeue.engine.store.SubmitRules;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The rules a submission is held to before anything is written: the batch's size, each job's payload size, the
 * batch's dependency graph ({@link DependencyGraph}); and the limits the store holds dependencies on existing jobs to
 * ({@link #storeRules()}). One place for both ways jobs come in: {@link DefaultJobQueue#submitAll} checks every
 * batch, and {@code RecurringJobs} checks a recurring job's template when it is registered ({@link RecurringSubmissions}), so that a template a
 * submission would refuse stops the start-up instead of failing at every instant.
 */
@ApplicationScoped
public class SubmissionRules {

    @Inject
    EngineConfig config;

    /** For CDI. */
    SubmissionRules() {
    }

    /** @param config the limits (outside a container: tests) */
    public SubmissionRules(EngineConfig config) {
        this.config = config;
    }

    /**
     * Checks a batch before any write.
     *
     * @param requests the batch, in submission order
     * @return the order to insert the jobs in (dependencies first, otherwise submission order)
     * @throws InvalidJobRequestException naming the field and the rule ({@link PayloadTooLargeException} for a
     *                                    payload past {@code dukequeue.payload.max.bytes})
     */
    public List<Integer> check(List<JobRequest> requests) {
        if (requests == null || requests.isEmpty()) {
            throw new InvalidJobRequestException("jobs", "must contain at least one job");
        }
        if (requests.size() > config.submitBatchMax()) {
            throw new InvalidJobRequestException("jobs", "must contain at most " + config.submitBatchMax()
                    + " jobs, got " + requests.size());
        }
        for (int i = 0; i < requests.size(); i++) {
            JobRequest r = requests.get(i);
            String prefix = DependencyGraph.prefix(requests, i);
            if (r == null) {
                throw new InvalidJobRequestException(prefix.isEmpty() ? "request" : "jobs[" + i + "]", "is required");
            }
            int bytes = r.payloadJson().getBytes(StandardCharsets.UTF_8).length;
            if (bytes > config.payloadMaxBytes()) {
                throw new PayloadTooLargeException(prefix + "payload", "must be at most " + config.payloadMaxBytes()
                        + " bytes (UTF-8), got " + bytes);
            }
        }
        return DependencyGraph.check(requests, config.maxDependencies(), config.maxDependents());
    }

    /** @return the limits the store checks dependencies on existing jobs against, while it inserts */
    public SubmitRules storeRules() {
        return new SubmitRules(config.dependencyLifetime().toMillis(), config.maxDependencyDepth(),
                config.maxDependents());
    }
}
