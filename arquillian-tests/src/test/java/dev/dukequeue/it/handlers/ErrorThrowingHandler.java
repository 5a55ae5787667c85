package dev.dukequeue.it.handlers;

import dev.dukequeue.HandlesJob;
import dev.dukequeue.JobContext;
import dev.dukequeue.JobHandler;
import jakarta.enterprise.context.ApplicationScoped;

/** {@code test.error}: its first attempt throws an {@link Error} (a "panic"); later attempts succeed. */
@ApplicationScoped
@HandlesJob("test.error")
public class ErrorThrowingHandler implements JobHandler<Object> {

    @Override
    public Object handle(Object payload, JobContext context) {
        if (context.attempt() == 1) {
            throw new AssertionError("handler panic on attempt 1");
        }
        return "recovered on attempt " + context.attempt();
    }
}
