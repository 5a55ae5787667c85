package dev.dukequeue.web.rest;

import dev.dukequeue.web.rest.dto.Jsons;
import dev.dukequeue.engine.read.ClusterActivity;
import dev.dukequeue.engine.read.NodeView;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code GET /nodes}: the nodes sharing the database, with their last heartbeat and the jobs they run. */
@Path("nodes")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class NodesResource {

    @Inject
    ClusterActivity cluster;

    @GET
    @Operation(summary = "The cluster's nodes", description = "Every node that sent a heartbeat recently (rows of nodes"
            + " silent for dukequeue.nodes.forget-after are deleted): status alive, stopped or missing, phase, workers,"
            + " running jobs, start and last heartbeat (database clock).")
    public JsonObject list() {
        JsonArrayBuilder items = Jsons.JSON.createArrayBuilder();
        for (NodeView n : cluster.nodes()) {
            items.add(Jsons.JSON.createObjectBuilder().add("node", n.owner()).add("name", n.name()).add("status", n.status())
                    .add("phase", n.phase()).add("workers", n.workers()).add("running", n.running())
                    .add("startedAt", n.startedAt().toString()).add("heartbeatAt", n.heartbeatAt().toString())
                    .add("heartbeatAgeMs", n.heartbeatAge().toMillis()));
        }
        return Jsons.JSON.createObjectBuilder().add("items", items).build();
    }
}
