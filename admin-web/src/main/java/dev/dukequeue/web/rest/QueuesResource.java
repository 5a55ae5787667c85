package dev.dukequeue.web.rest;

import dev.dukequeue.web.rest.dto.Jsons;
import dev.dukequeue.JobQueue;
import dev.dukequeue.engine.read.JobSearch;
import dev.dukequeue.engine.read.QueueView;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import dev.dukequeue.web.rest.dto.BadRequestException;
import dev.dukequeue.web.rest.dto.JobRequestJson;
import dev.dukequeue.web.rest.dto.JsonFields;
import dev.dukequeue.QueueName;
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

    /** The largest limit of running jobs a queue may have. */
    public static final int MAX_RUNNING_LIMIT = 100_000;

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
        requireName(name);
        queue.pause(name);
        return Jsons.JSON.createObjectBuilder().add("queue", name).add("paused", true).build();
    }

    @POST
    @Path("{name}/resume")
    public JsonObject resume(@PathParam("name") String name) {
        requireName(name);
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
        requireName(name);
        JsonObject json = JobRequestJson.parseObject(body);
        for (String key : json.keySet()) {
            if (!key.equals("maxRunning")) {
                throw new BadRequestException("invalid_request", key, key + " is not a known field; send {\"maxRunning\": n}");
            }
        }
        if (!json.containsKey("maxRunning")) {
            throw new BadRequestException("invalid_request", "maxRunning", "maxRunning is required (a number, or null)");
        }
        Integer max;
        try {
            max = JsonFields.integer(json, "maxRunning", "", 1, MAX_RUNNING_LIMIT);
        } catch (BadRequestException e) {
            throw new BadRequestException("invalid_request", "maxRunning", "maxRunning must be an integer between 1"
                    + " and " + MAX_RUNNING_LIMIT + ", or null for no limit");
        }
        queue.setMaxRunning(name, max);
        JsonObjectBuilder b = Jsons.JSON.createObjectBuilder().add("queue", name);
        return (max == null ? b.addNull("maxRunning") : b.add("maxRunning", max)).build();
    }

    /** The queue's name in the path follows the one rule for queue names (a name of dots would be a dot-segment). */
    private static void requireName(String name) {
        if (!QueueName.isValid(name)) {
            throw new BadRequestException("invalid_parameter", "name", "name " + QueueName.RULE);
        }
    }
}
