package dev.dukequeue.demo;

import dev.dukequeue.HandlesJob;
import dev.dukequeue.JobContext;
import dev.dukequeue.JobHandler;
import dev.dukequeue.PermanentJobException;
import dev.dukequeue.engine.config.DemoHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonNumber;

/** {@code demo.sleep} {"ms": n}: sleeps n milliseconds (interruptible), then returns {"slept": n}. */
@ApplicationScoped
@DemoHandler
@HandlesJob("demo.sleep")
public class SleepHandler implements JobHandler<JsonObject> {

    @Override
    public Object handle(JsonObject payload, JobContext context) throws InterruptedException {
        if (payload == null || !(payload.get("ms") instanceof JsonNumber ms) || ms.longValue() < 0) {
            throw new PermanentJobException("demo.sleep needs a payload {\"ms\": <non-negative integer>}");
        }
        Thread.sleep(ms.longValue());
        return Json.createObjectBuilder().add("slept", ms.longValue()).build();
    }
}
