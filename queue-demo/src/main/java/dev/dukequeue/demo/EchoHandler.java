package dev.dukequeue.demo;

import dev.dukequeue.HandlesJob;
import dev.dukequeue.JobContext;
import dev.dukequeue.JobHandler;
import dev.dukequeue.engine.config.DemoHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonValue;

/** {@code demo.echo}: the result is the payload. */
@ApplicationScoped
@DemoHandler
@HandlesJob("demo.echo")
public class EchoHandler implements JobHandler<JsonValue> {

    @Override
    public Object handle(JsonValue payload, JobContext context) {
        return payload;
    }
}
