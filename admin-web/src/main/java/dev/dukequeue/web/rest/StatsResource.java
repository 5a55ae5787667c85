package dev.dukequeue.web.rest;

import dev.dukequeue.JobState;
import dev.dukequeue.engine.admin.JobSearch;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.EnumMap;
import java.util.Map;

/** {@code /api/v1/stats}: job counts per queue and state, and totals per state. */
@Path("stats")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {

    @Inject
    JobSearch search;

    @GET
    public jakarta.json.JsonObject stats() {
        Map<String, Map<JobState, Long>> counts = search.countsByQueueAndState();
        Map<JobState, Long> totals = new EnumMap<>(JobState.class);
        for (JobState s : JobState.values()) {
            totals.put(s, 0L);
        }
        JsonObjectBuilder queues = Json.createObjectBuilder();
        counts.forEach((queue, perState) -> {
            JsonObjectBuilder q = Json.createObjectBuilder();
            perState.forEach((state, n) -> {
                q.add(state.name(), n);
                totals.merge(state, n, Long::sum);
            });
            queues.add(queue, q);
        });
        JsonObjectBuilder total = Json.createObjectBuilder();
        totals.forEach((state, n) -> total.add(state.name(), n));
        return Json.createObjectBuilder().add("queues", queues).add("totals", total).build();
    }
}
