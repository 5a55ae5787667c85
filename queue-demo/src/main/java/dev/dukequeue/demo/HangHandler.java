package dev.dukequeue.demo;

import dev.dukequeue.HandlesJob;
import dev.dukequeue.JobContext;
import dev.dukequeue.JobHandler;
import dev.dukequeue.engine.config.DemoHandler;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.locks.LockSupport;

/**
 * {@code demo.hang}: never returns and ignores interruption, like a handler stuck in a loop or on a socket without
 * a timeout. The execution timeout must free its worker slot anyway.
 */
@ApplicationScoped
@DemoHandler
@HandlesJob("demo.hang")
public class HangHandler implements JobHandler<Object> {

    @Override
    public Object handle(Object payload, JobContext context) {
        while (true) {
            LockSupport.parkNanos(1_000_000_000L);
            Thread.interrupted(); // deliberately swallowed
        }
    }
}
