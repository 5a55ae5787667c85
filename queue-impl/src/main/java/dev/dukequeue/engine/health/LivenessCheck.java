package dev.dukequeue.engine.health;

import dev.dukequeue.engine.config.EngineConfig;
import dev.dukequeue.engine.node.EngineStatus;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;

/**
 * Alive: start-up did not fail for good, and while running, the dispatcher's claim loop keeps turning (it turns at
 * least every poll interval, or every few seconds while the database is down). DOWN asks the orchestrator to restart
 * the node; a node that merely waits for its database stays alive (and not ready).
 */
@Liveness
@ApplicationScoped
public class LivenessCheck implements HealthCheck {

    @Inject
    EngineStatus status;

    @Inject
    EngineConfig config;

    @Override
    public HealthCheckResponse call() {
        EngineStatus.Phase phase = status.phase();
        if (phase == EngineStatus.Phase.FAILED) {
            return HealthCheckResponse.named("dukequeue-dispatcher").down().withData("phase", phase.name())
                    .withData("reason", status.reason()).build();
        }
        Duration since = status.sinceDispatcherTick();
        Duration limit = config.livenessMaxIdle();
        boolean wedged = phase == EngineStatus.Phase.RUNNING && since.compareTo(limit) > 0;
        return HealthCheckResponse.named("dukequeue-dispatcher").status(!wedged).withData("phase", phase.name())
                .withData("claimLoopIdleMs", since.toMillis())
                .withData("reason", wedged ? "the claim loop has not turned for " + since.toSeconds() + " s" : "ok")
                .build();
    }
}
