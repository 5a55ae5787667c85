package dev.dukequeue;

import java.time.Duration;
import java.util.Set;

/**
 * An application's own step in the node's orderly shutdown. Implement it in a CDI bean; the engine finds every such
 * bean and runs them, one at a time, when the node shuts down (SIGTERM, undeploy, server stop).
 *
 * <p>Steps run in dependency order ({@link #after()}), then by {@link #order()}. The engine's own phases take part in
 * the same ordering: {@code readiness-down} (0), {@code stop-claiming} (100), {@code drain} (200) and {@code close}
 * (1000). An application step therefore runs by default after running jobs have finished or been released and before
 * the engine closes. A step that throws or outlives its {@link #timeout()} is logged and abandoned; the remaining steps
 * still run.
 */
public interface ShutdownStep {

    /** Order of the engine's phase that turns readiness DOWN. */
    int READINESS_DOWN = 0;
    /** Order of the engine's phase that stops claiming jobs. */
    int STOP_CLAIMING = 100;
    /** Order of the engine's phase that waits for running jobs and releases the rest. */
    int DRAIN = 200;
    /** Default order of application steps. */
    int APPLICATION = 500;
    /** Order of the engine's last phase. */
    int CLOSE = 1000;

    /** @return a unique name, used in logs and in other steps' {@link #after()} */
    String name();

    /** @return the position among steps whose dependencies are met; lower runs first */
    default int order() {
        return APPLICATION;
    }

    /** @return names of steps that must have run (or failed) before this one */
    default Set<String> after() {
        return Set.of();
    }

    /** @return how long this step may take before it is abandoned */
    default Duration timeout() {
        return Duration.ofSeconds(5);
    }

    /**
     * Does the work.
     *
     * @throws Exception to report a failure (logged; shutdown continues)
     */
    void run() throws Exception;
}
