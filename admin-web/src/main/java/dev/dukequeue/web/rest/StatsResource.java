package dev.dukequeue.web.rest;

import dev.dukequeue.web.rest.dto.Jsons;
import dev.dukequeue.JobState;
import dev.dukequeue.engine.read.JobSearch;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObjectBuilder;
import dev.dukequeue.engine.read.ActivityPoint;
import dev.dukequeue.engine.read.ClusterActivity;
import dev.dukequeue.web.rest.dto.BadRequestException;
import jakarta.json.JsonArrayBuilder;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.QueryParam;
import java.time.Duration;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.EnumMap;
import java.util.Map;

/**
 * {@code /api/v1/stats}: job counts per queue and state, and totals per state; {@code /api/v1/stats/history}: the
 * cluster's activity over time (the admin UI's charts).
 */
@Path("stats")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class StatsResource {

    @Inject
    JobSearch search;

    @Inject
    ClusterActivity cluster;

    /**
     * Activity over the last {@code minutes} (1..2880), in equal steps, oldest first: jobs submitted, completed,
     * failed attempts, dead-lettered, the failure rate, and queue depth (waiting, running; null where no node wrote a
     * snapshot in the step).
     */
    @GET
    @Path("history")
    @org.eclipse.microprofile.openapi.annotations.Operation(summary = "Activity over time",
            description = "Per step: submitted, completed, failed attempts, dead-lettered, failureRate, waiting, running."
                    + " Written by every node once per dukequeue.stats.interval.ms.")
    public jakarta.json.JsonObject history(@QueryParam("minutes") @DefaultValue("60") String minutes,
            @QueryParam("queue") String queue) {
        long m;
        try {
            m = Long.parseLong(minutes.trim());
        } catch (NumberFormatException e) {
            m = -1;
        }
        if (m < 1 || m > ClusterActivity.MAX_WINDOW.toMinutes()) {
            throw new BadRequestException("invalid_parameter", "minutes", "minutes must be an integer between 1 and "
                    + ClusterActivity.MAX_WINDOW.toMinutes());
        }
        ClusterActivity.History h = cluster.history(Duration.ofMinutes(m),
                queue == null || queue.isBlank() ? null : queue.trim());
        JsonArrayBuilder points = Jsons.JSON.createArrayBuilder();
        for (ActivityPoint p : h.points()) {
            JsonObjectBuilder b = Jsons.JSON.createObjectBuilder().add("at", p.at().toString()).add("submitted", p.submitted())
                    .add("completed", p.completed()).add("failed", p.failed()).add("deadLettered", p.deadLettered())
                    .add("failureRate", p.failureRate());
            if (p.waiting() < 0) {
                b.addNull("waiting").addNull("running");
            } else {
                b.add("waiting", p.waiting()).add("running", p.running());
            }
            points.add(b);
        }
        return Jsons.JSON.createObjectBuilder().add("minutes", m).add("stepSeconds", h.step().toSeconds())
                .add("points", points).build();
    }

    @GET
    public jakarta.json.JsonObject stats() {
        Map<String, Map<JobState, Long>> counts = search.countsByQueueAndState();
        Map<JobState, Long> totals = new EnumMap<>(JobState.class);
        for (JobState s : JobState.values()) {
            totals.put(s, 0L);
        }
        JsonObjectBuilder queues = Jsons.JSON.createObjectBuilder();
        counts.forEach((queue, perState) -> {
            JsonObjectBuilder q = Jsons.JSON.createObjectBuilder();
            perState.forEach((state, n) -> {
                q.add(state.name(), n);
                totals.merge(state, n, Long::sum);
            });
            queues.add(queue, q);
        });
        JsonObjectBuilder total = Jsons.JSON.createObjectBuilder();
        totals.forEach((state, n) -> total.add(state.name(), n));
        return Jsons.JSON.createObjectBuilder().add("queues", queues).add("totals", total).build();
    }
}
