package dev.dukequeue.it.handlers;

import dev.dukequeue.HandlesJob;
import dev.dukequeue.JobContext;
import dev.dukequeue.JobHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * {@code test.block}: payload is a key. Signals that it started, sleeps up to a minute, notes whether it was
 * interrupted and with which stop reason, signals that it exited, and returns a result anyway (which must be
 * discarded when the job was cancelled meanwhile).
 */
@ApplicationScoped
@HandlesJob("test.block")
public class BlockingHandler implements JobHandler<String> {

    @Inject
    Switchboard switchboard;

    @Override
    public Object handle(String keyJson, JobContext context) {
        String key = keyJson.replace("\"", "");
        switchboard.started(key).countDown();
        try {
            Thread.sleep(60_000);
            switchboard.note(key, "slept");
        } catch (InterruptedException e) {
            switchboard.note(key, "interrupted:" + context.stopReason().map(Enum::name).orElse("none"));
        } finally {
            switchboard.exited(key).countDown();
        }
        return "late result";
    }
}
