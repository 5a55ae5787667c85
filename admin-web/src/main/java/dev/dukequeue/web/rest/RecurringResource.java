package dev.dukequeue.web.rest;

import dev.dukequeue.engine.read.RecurringListing;
import dev.dukequeue.engine.read.RecurringView;
import dev.dukequeue.web.rest.dto.Jsons;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;

/** {@code GET /recurring}: the recurring jobs this node defines, with their next and last runs (shared by all nodes). */
@Path("recurring")
@RequestScoped
@Produces(MediaType.APPLICATION_JSON)
public class RecurringResource {

    @Inject
    RecurringListing recurring;

    @GET
    public JsonObject list() {
        JsonArrayBuilder items = Jsons.JSON.createArrayBuilder();
        for (RecurringView v : recurring.views()) {
            JsonObjectBuilder b = Jsons.JSON.createObjectBuilder().add("name", v.name()).add("cron", v.cron())
                    .add("zone", v.zone()).add("type", v.type()).add("queue", v.queue());
            instant(b, "nextRunAt", v.nextRunAt());
            instant(b, "lastRunAt", v.lastRunAt());
            if (v.lastJobId() == null) {
                b.addNull("lastJobId");
            } else {
                b.add("lastJobId", v.lastJobId());
            }
            items.add(b);
        }
        return Jsons.JSON.createObjectBuilder().add("items", items).build();
    }

    private static void instant(JsonObjectBuilder b, String name, Instant value) {
        if (value == null) {
            b.addNull(name);
        } else {
            b.add(name, value.toString());
        }
    }
}
