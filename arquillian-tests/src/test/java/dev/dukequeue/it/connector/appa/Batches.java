package dev.dukequeue.it.connector.appa;

import dev.dukequeue.JobQueueConnection;
import dev.dukequeue.JobQueueConnectionFactory;
import dev.dukequeue.JobReceipt;
import dev.dukequeue.JobRequest;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Submits many jobs in one container-managed transaction through the adapter's connection factory (declared by
 * {@link Orders}): all of them exist once it commits, none if it rolls back. Each job's payload asks its bean to pause
 * for a while ({@code "ms"}), so that a node holds many deliveries in flight at once.
 */
@Stateless
public class Batches {

    @Resource(lookup = "java:app/env/jobs")
    JobQueueConnectionFactory jobs;

    /**
     * @param seed  seeds the pauses, so that a run can be repeated
     * @param minMs the shortest pause a payload asks for
     * @param maxMs the longest
     * @return the jobs' ids, in submission order
     */
    public List<String> submit(String type, String marker, int count, int maxAttempts, long seed, int minMs, int maxMs) {
        Random random = new Random(seed);
        List<JobRequest> requests = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            String payload = Json.createObjectBuilder().add("marker", marker)
                    .add("ms", minMs + random.nextInt(maxMs - minMs + 1)).build().toString();
            requests.add(JobRequest.builder(type).payloadJson(payload).maxAttempts(maxAttempts).build());
        }
        try (JobQueueConnection queue = jobs.getConnection()) {
            return queue.submitAll(requests).stream().map(JobReceipt::id).map(Object::toString).toList();
        }
    }
}
