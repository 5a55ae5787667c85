package dev.dukequeue.demo;

import dev.dukequeue.HandlesJob;
import dev.dukequeue.JobContext;
import dev.dukequeue.JobHandler;
import dev.dukequeue.engine.config.DemoHandler;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.logging.Logger;

/**
 * {@code demo.crash}: halts the JVM at once (no shutdown hooks), like a native crash or an OOM kill. A poison pill:
 * the job's lease is lost without an outcome, every time it runs.
 */
@ApplicationScoped
@DemoHandler
@HandlesJob("demo.crash")
public class CrashHandler implements JobHandler<Object> {

    private static final Logger LOG = Logger.getLogger(CrashHandler.class.getName());

    @Override
    public Object handle(Object payload, JobContext context) {
        LOG.severe(() -> "demo.crash: halting the JVM now, during " + context.jobId() + " attempt " + context.attempt());
        Runtime.getRuntime().halt(137);
        return null;
    }
}
