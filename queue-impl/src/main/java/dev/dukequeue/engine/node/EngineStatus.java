package dev.dukequeue.engine.node;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Where this node is in its life, written by start-up and shutdown, read by the health checks: one place that says
 * why the node is not ready.
 */
@ApplicationScoped
public class EngineStatus {

    /** The node's phases, in the order they normally happen. */
    public enum Phase {
        /** Deployed; checking configuration and handlers. */
        STARTING,
        /** The database cannot be reached yet; retrying with back-off. */
        WAITING_FOR_DATABASE,
        /** Migrating the schema and reclaiming the jobs of earlier incarnations of this node. */
        RECOVERING,
        /** Claiming and running jobs. */
        RUNNING,
        /** Shutting down: readiness is DOWN, no new claims, running jobs finishing or being released. */
        DRAINING,
        /** Shut down. */
        STOPPED,
        /** Start-up failed for a reason retrying cannot fix (see the reason). */
        FAILED
    }

    /** For CDI. */
    public EngineStatus() {
    }

    /** Outside CDI (the hand-built engine). */
    public EngineStatus(dev.dukequeue.engine.observe.EngineMetrics metrics) {
        this.metrics = metrics;
    }

    private volatile Phase phase = Phase.STARTING;
    private volatile String reason = "starting";
    private final AtomicLong reclaimedAtStartup = new AtomicLong();
    private final Map<String, Long> shutdownPhaseMillis = Collections.synchronizedMap(new LinkedHashMap<>());
    private volatile long dispatcherTickNanos = System.nanoTime();

    public Phase phase() {
        return phase;
    }

    /** @return a sentence saying why the node is in its phase */
    public String reason() {
        return reason;
    }

    public void enter(Phase next, String why) {
        this.phase = next;
        this.reason = why;
    }

    /** @return true once start-up recovery finished (and the node ran), even while it shuts down */
    public boolean started() {
        return phase == Phase.RUNNING || phase == Phase.DRAINING || phase == Phase.STOPPED;
    }

    public void reclaimedAtStartup(long n) {
        reclaimedAtStartup.addAndGet(n);
    }

    /** @return jobs reclaimed from earlier incarnations of this node at start-up */
    public long reclaimedAtStartup() {
        return reclaimedAtStartup.get();
    }

    public void shutdownPhase(String name, Duration took) {
        shutdownPhaseMillis.put(name, took.toMillis());
        try {
            metrics.shutdownPhase(name, took);
        } catch (RuntimeException e) {
            // during JVM shutdown the metrics registry may be gone already; the log line has the figure
        }
    }

    @jakarta.inject.Inject
    dev.dukequeue.engine.observe.EngineMetrics metrics;

    /** @return how long each shutdown phase took, in milliseconds, in the order they ran */
    public Map<String, Long> shutdownPhaseMillis() {
        synchronized (shutdownPhaseMillis) {
            return Collections.unmodifiableMap(new LinkedHashMap<>(shutdownPhaseMillis));
        }
    }

    /** The dispatcher's claim loop calls this on every turn: the liveness check watches it. */
    public void dispatcherTick() {
        dispatcherTickNanos = System.nanoTime();
    }

    /** @return how long ago the claim loop last turned (monotonic clock) */
    public Duration sinceDispatcherTick() {
        return Duration.ofNanos(System.nanoTime() - dispatcherTickNanos);
    }
}
