package dev.dukequeue.engine.health;

import dev.dukequeue.engine.dispatch.Dispatcher;
import dev.dukequeue.engine.node.EngineStatus;
import dev.dukequeue.engine.database.DatabaseGuard;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready to take work: start-up finished (migrations and recovery done), the database circuit is closed, the database
 * has not just failed for lack of disk space, and the node is not shutting down. A load balancer stops sending submissions as soon as this goes DOWN. Reads state only: no
 * query per probe.
 */
@Readiness
@ApplicationScoped
public class ReadinessCheck implements HealthCheck {

    @Inject
    EngineStatus status;

    @Inject
    DatabaseGuard database;

    @Inject
    Dispatcher dispatcher;

    @Override
    public HealthCheckResponse call() {
        EngineStatus.Phase phase = status.phase();
        boolean running = phase == EngineStatus.Phase.RUNNING;
        boolean databaseUp = database.available() && !database.diskFull()
                && phase != EngineStatus.Phase.WAITING_FOR_DATABASE;
        HealthCheckResponseBuilder b = HealthCheckResponse.named("dukequeue")
                .status(running && databaseUp)
                .withData("phase", phase.name())
                .withData("database", databaseUp ? "UP" : database.openSince().map(t -> "circuit open since " + t)
                        .orElse(database.diskFull() ? "out of disk space" : "unreachable"))
                .withData("runningJobs", dispatcher.runningCount());
        if (!running) {
            b.withData("reason", status.reason());
        } else if (!databaseUp) {
            b.withData("reason", "database failing: " + database.lastError().orElse("unknown error"));
        }
        return b.build();
    }
}
