package dev.dukequeue.web.rest;

import dev.dukequeue.JobQueue;
import dev.dukequeue.engine.admin.JobSearch;
import dev.dukequeue.engine.admin.QueueView;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
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
        JsonArrayBuilder items = Json.createArrayBuilder();
        for (QueueView q : search.queues()) {
            JsonObjectBuilder counts = Json.createObjectBuilder();
            q.counts().entrySet().stream().sorted(java.util.Map.Entry.comparingByKey())
                    .forEach(e -> counts.add(e.getKey().name(), e.getValue()));
            items.add(Json.createObjectBuilder().add("name", q.name()).add("paused", q.paused()).add("counts", counts));
        }
        return Json.createObjectBuilder().add("items", items).build();
    }

    /** Durable, for every node: the queue keeps accepting jobs, none of its jobs is claimed until it is resumed. */
    @POST
    @Path("{name}/pause")
    public JsonObject pause(@PathParam("name") String name) {
        queue.pause(name);
        return Json.createObjectBuilder().add("queue", name).add("paused", true).build();
    }

    @POST
    @Path("{name}/resume")
    public JsonObject resume(@PathParam("name") String name) {
        queue.resume(name);
        return Json.createObjectBuilder().add("queue", name).add("paused", false).build();
    }
}
