package dev.dukequeue.it.connector.bench;

import dev.dukequeue.JobQueueConnection;
import dev.dukequeue.JobQueueConnectionFactory;
import dev.dukequeue.JobRequest;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.resource.ConnectionFactoryDefinition;
import java.util.ArrayList;
import java.util.List;

/** The benchmark's calls on the queue, through the adapter's connection factory, each in a container transaction. */
@Stateless
@ConnectionFactoryDefinition(name = "java:app/env/bench-jobs", interfaceName = "dev.dukequeue.JobQueueConnectionFactory",
        resourceAdapter = "dukequeue")
public class BenchQueue {

    @Resource(lookup = "java:app/env/bench-jobs")
    JobQueueConnectionFactory jobs;

    /** Throws QueueUnavailableException while the adapter's engine is not ready. */
    public void check() {
        try (JobQueueConnection queue = jobs.getConnection()) {
            // getConnection() is what refuses
        }
    }

    /** Submits {@code count} no-op jobs to {@code queue} in one transaction. */
    public void submit(String queue, int count) {
        List<JobRequest> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            requests.add(JobRequest.builder(NoOpBean.TYPE).queue(queue).payloadJson("{}").maxAttempts(3).build());
        }
        try (JobQueueConnection connection = jobs.getConnection()) {
            connection.submitAll(requests);
        }
    }

    public void pause(String queue) {
        try (JobQueueConnection connection = jobs.getConnection()) {
            connection.pause(queue);
        }
    }

    public void resume(String queue) {
        try (JobQueueConnection connection = jobs.getConnection()) {
            connection.resume(queue);
        }
    }
}
