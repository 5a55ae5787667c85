package dev.dukequeue.engine.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Clock;

/** Produces the {@link EngineClock}: the system clock in UTC. */
@ApplicationScoped
public class EngineClocks {

    @Produces
    @EngineClock
    Clock clock() {
        return Clock.systemUTC();
    }
}
