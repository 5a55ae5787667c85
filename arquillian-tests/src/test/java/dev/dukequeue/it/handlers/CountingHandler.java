package dev.dukequeue.it.handlers;

import dev.dukequeue.HandlesJob;
import dev.dukequeue.JobContext;
import dev.dukequeue.JobHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;

/** {@code test.count}: records that the job ran, returns how often it ran. */
@ApplicationScoped
@HandlesJob("test.count")
public class CountingHandler implements JobHandler<JsonObject> {

    @Inject
    Switchboard switchboard;

    @Override
    public Object handle(JsonObject payload, JobContext context) {
        switchboard.executed(context.jobId().toString());
        return Json.createObjectBuilder().add("runs", switchboard.executions(context.jobId().toString())).build();
    }
}
