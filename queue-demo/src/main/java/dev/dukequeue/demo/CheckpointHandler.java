package dev.dukequeue.demo;

import dev.dukequeue.HandlesJob;
import dev.dukequeue.JobContext;
import dev.dukequeue.JobHandler;
import dev.dukequeue.PermanentJobException;
import dev.dukequeue.TemporaryJobException;
import dev.dukequeue.engine.config.DemoHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import java.time.Duration;

/**
 * {@code demo.checkpoint} {"steps": n, "stepMs": m}: works through n steps of m milliseconds each, saving a checkpoint
 * {"step": k} and its progress after every step. An attempt that follows a crash, a timeout or a shutdown resumes
 * after the last saved step. Returns {"steps": n, "resumedFrom": k, "ranSteps": [...]}: the steps this attempt ran.
 */
@ApplicationScoped
@DemoHandler
@HandlesJob("demo.checkpoint")
public class CheckpointHandler implements JobHandler<JsonObject> {

    @Override
    public Object handle(JsonObject payload, JobContext context) throws InterruptedException {
        if (payload == null || !(payload.get("steps") instanceof JsonNumber steps) || steps.intValue() < 1
                || !(payload.get("stepMs") instanceof JsonNumber stepMs) || stepMs.longValue() < 0) {
            throw new PermanentJobException("demo.checkpoint needs a payload {\"steps\": <at least 1>, \"stepMs\": <ms>}");
        }
        int total = steps.intValue();
        int from = context.lastCheckpoint(JsonObject.class).map(c -> c.getInt("step", 0)).orElse(0);
        JsonArrayBuilder ran = Json.createArrayBuilder();
        for (int step = from + 1; step <= total; step++) {
            if (context.awaitStop(Duration.ofMillis(stepMs.longValue()))) {
                throw new TemporaryJobException("stopped (" + context.stopReason().orElseThrow() + ") after step "
                        + (step - 1) + "; the next attempt resumes from the checkpoint");
            }
            ran.add(step);
            if (!context.checkpoint(Json.createObjectBuilder().add("step", step).build())) {
                throw new TemporaryJobException("lost the job after step " + step);
            }
            context.progress(step * 100 / total, "step " + step + " of " + total);
        }
        return Json.createObjectBuilder().add("steps", total).add("resumedFrom", from).add("ranSteps", ran).build();
    }
}
