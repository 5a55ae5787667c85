package dev.dukequeue.demo;

import dev.dukequeue.HandlesJob;
import dev.dukequeue.JobContext;
import dev.dukequeue.JobHandler;
import dev.dukequeue.PermanentJobException;
import dev.dukequeue.TemporaryJobException;
import dev.dukequeue.engine.config.DemoHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * {@code demo.fail} {"times": n, "permanent": false}: fails its first n attempts (TEMPORARY, or PERMANENT when
 * {@code permanent} is true), then succeeds with {"attempt": k}. With {"failUntil": "<ISO instant>"} instead it fails
 * every attempt before that instant (an outage that ends: a dead letter re-driven after it completes).
 */
@ApplicationScoped
@DemoHandler
@HandlesJob("demo.fail")
public class FailHandler implements JobHandler<JsonObject> {

    @Override
    public Object handle(JsonObject payload, JobContext context) {
        if (payload != null && payload.containsKey("failUntil")) {
            java.time.Instant until = java.time.Instant.parse(payload.getString("failUntil"));
            if (java.time.Instant.now().isBefore(until)) {
                throw new TemporaryJobException("demo.fail: the outage lasts until " + until);
            }
            return Json.createObjectBuilder().add("attempt", context.attempt()).build();
        }
        int times = payload == null ? Integer.MAX_VALUE : payload.getInt("times", Integer.MAX_VALUE);
        boolean permanent = payload != null && payload.getBoolean("permanent", false);
        if (context.attempt() <= times) {
            String message = "demo.fail: failing attempt " + context.attempt() + " of the first " + times;
            throw permanent ? new PermanentJobException(message) : new TemporaryJobException(message);
        }
        return Json.createObjectBuilder().add("attempt", context.attempt()).build();
    }
}
