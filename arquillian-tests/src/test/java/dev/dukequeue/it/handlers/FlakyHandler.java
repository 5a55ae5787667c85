package dev.dukequeue.it.handlers;

import dev.dukequeue.HandlesJob;
import dev.dukequeue.JobContext;
import dev.dukequeue.JobHandler;
import dev.dukequeue.TemporaryJobException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** {@code test.flaky}: payload is a key (a JSON string); fails while the test keeps the key failing. */
@ApplicationScoped
@HandlesJob("test.flaky")
public class FlakyHandler implements JobHandler<String> {

    @Inject
    Switchboard switchboard;

    @Override
    public Object handle(String keyJson, JobContext context) {
        String key = keyJson.replace("\"", "");
        if (switchboard.isFailing(key)) {
            throw new TemporaryJobException("external service for " + key + " is down");
        }
        return "ok";
    }
}
