package dev.dukequeue.web.rest;

import dev.dukequeue.web.rest.dto.Jsons;
import dev.dukequeue.JobQueue;
import dev.dukequeue.engine.admin.JobSearch;
import dev.dukequeue.engine.admin.QueueView;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import dev.dukequeue.web.rest.dto.BadRequestException;
import dev.dukequeue.web.rest.dto.JobRequestJson;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** {@code /api/v1/queues}: every queue with its counts and pause state; pause and resume. */
@Path("queues")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class QueuesResource {

    @Inject
    JobQueue queue;

    @Inject
    JobSearch search;

    @GET
    public JsonObject list() {
        JsonArrayBuilder items = Jsons.JSON.createArrayBuilder();
        for (QueueView q : search.queues()) {
            JsonObjectBuilder counts = Jsons.JSON.createObjectBuilder();
            q.counts().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(e -> counts.add(e.getKey().name(), e.getValue()));
            JsonObjectBuilder item = Jsons.JSON.createObjectBuilder().add("name", q.name()).add("paused", q.paused());
            if (q.maxRunning() == null) {
                item.addNull("maxRunning");
            } else {
                item.add("maxRunning", q.maxRunning());
            }
            item.add("maxWaiting", q.maxWaiting()).add("warnAt", q.warnAt()).add("refused", q.refused());
            items.add(item.add("counts", counts));
        }
        return Jsons.JSON.createObjectBuilder().add("items", items).build();
    }

    /** Durable, for every node: the queue keeps accepting jobs, none of its jobs is claimed until it is resumed. */
    @POST
    @Path("{name}/pause")
    public JsonObject pause(@PathParam("name") String name) {
        queue.pause(name);
        return Jsons.JSON.createObjectBuilder().add("queue", name).add("paused", true).build();
    }

    @POST
    @Path("{name}/resume")
    public JsonObject resume(@PathParam("name") String name) {
        queue.resume(name);
        return Jsons.JSON.createObjectBuilder().add("queue", name).add("paused", false).build();
    }

    /**
     * {@code {"maxRunning": n}} limits the queue to n RUNNING jobs across all nodes; {@code {"maxRunning": null}}
     * removes the limit. Durable, for every node.
     */
    @PUT
    @Path("{name}/max-running")
    public JsonObject limit(@PathParam("name") String name, String body) {
        JsonObject json = JobRequestJson.parseObject(body);
        for (String key : json.keySet()) {
            if (!key.equals("maxRunning")) {
                throw new BadRequestException("invalid_request", key, key + " is not a known field; send {\"maxRunning\": n}");
            }
        }
        JsonValue v = json.get("maxRunning");
        Integer max;
        if (v == null) {
            throw new BadRequestException("invalid_request", "maxRunning", "maxRunning is required (a number, or null)");
        } else if (v == JsonValue.NULL) {
            max = null;
        } else if (v instanceof JsonNumber n && n.isIntegral() && n.longValue() >= 1 && n.longValue() <= 100_000) {
            max = n.intValue();
        } else {
            throw new BadRequestException("invalid_request", "maxRunning",
                    "maxRunning must be a whole number between 1 and 100000, or null for no limit");
        }
        queue.setMaxRunning(name, max);
        JsonObjectBuilder b = Jsons.JSON.createObjectBuilder().add("queue", name);
        return (max == null ? b.addNull("maxRunning") : b.add("maxRunning", max)).build();
    }
}
