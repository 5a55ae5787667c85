package dev.dukequeue.engine.health;

import dev.dukequeue.engine.node.EngineStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Startup;

/** Started: migrations ran and the jobs of earlier incarnations of this node were reclaimed. */
@Startup
@ApplicationScoped
public class StartedCheck implements HealthCheck {

    @Inject
    EngineStatus status;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("dukequeue-startup").status(status.started())
                .withData("phase", status.phase().name())
                .withData("reason", status.reason())
                .withData("reclaimedAtStartup", status.reclaimedAtStartup())
                .build();
    }
}
