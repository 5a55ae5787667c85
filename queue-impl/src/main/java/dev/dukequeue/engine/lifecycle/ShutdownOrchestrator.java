package dev.dukequeue.engine.lifecycle;

import dev.dukequeue.ShutdownStep;
import dev.dukequeue.engine.config.EngineConfig;
import dev.dukequeue.engine.config.EngineClock;
import dev.dukequeue.engine.node.EngineStatus;
import dev.dukequeue.engine.node.JvmNodeNames;
import dev.dukequeue.engine.node.NodeIdentity;
import dev.dukequeue.engine.node.NodeRegistry;
import dev.dukequeue.engine.dispatch.Dispatcher;
import dev.dukequeue.engine.upkeep.Housekeeping;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Shuts the node down in order (seed 002), once, whatever asked first (SIGTERM through the JVM shutdown hook, undeploy,
 * server stop): readiness DOWN, stop claiming, drain (running handlers see {@code SHUTDOWN}, get the drain timeout to
 * finish, then are interrupted and get the interrupt grace; a job whose handler ended is released without charging
 * an attempt, one whose handler did not is left RUNNING under its lease), the applications' {@link ShutdownStep}s,
 * close.
 * Each phase runs with its own timeout on a thread of its own and is logged with its duration; one that fails or
 * times out is logged and the next still runs.
 */
@ApplicationScoped
public class ShutdownOrchestrator {

    private static final Logger LOG = Logger.getLogger(ShutdownOrchestrator.class.getName());

    @Inject
    Dispatcher dispatcher;

    @Inject
    Housekeeping housekeeping;

    @Inject
    NodeRegistry nodes;

    @Inject
    dev.dukequeue.engine.schedule.RecurringJobs recurring;

    @Inject
    EngineStatus status;

    @Inject
    EngineConfig config;

    @Inject
    NodeIdentity node;

    @Inject
    @Any
    Instance<ShutdownStep> applicationSteps;

    @Inject
    @EngineClock
    Clock clock;

    /**
     * Standard error itself (file descriptor 2). During a JVM shutdown the logging system is reset by its own shutdown
     * hook, concurrently with ours, so the phases of a SIGTERM shutdown are also written here, where nothing can close
     * them.
     */
    private static final PrintStream FD2 = new PrintStream(new FileOutputStream(FileDescriptor.err), true,
            StandardCharsets.UTF_8);

    /** For CDI. */
    public ShutdownOrchestrator() {
    }

    /**
     * Outside CDI (the hand-built engine): the engine's own phases only, without recurring jobs (not run there) or
     * applications' {@link ShutdownStep}s (no CDI to find them).
     */
    public ShutdownOrchestrator(Dispatcher dispatcher, Housekeeping housekeeping, NodeRegistry nodes,
            EngineStatus status, EngineConfig config, NodeIdentity node, Clock clock) {
        this.dispatcher = dispatcher;
        this.housekeeping = housekeeping;
        this.nodes = nodes;
        this.status = status;
        this.config = config;
        this.node = node;
        this.clock = clock;
    }

    private final AtomicBoolean begun = new AtomicBoolean();
    private final CountDownLatch done = new CountDownLatch(1);
    private volatile boolean jvmExiting;

    /** A phase of the shutdown: the engine's own or an application's. */
    record Step(String name, int order, Set<String> after, Duration timeout, Callable work) {
    }

    /** A step's work. */
    @FunctionalInterface
    interface Callable {
        String run() throws Exception;
    }

    /**
     * Runs the whole shutdown. The first caller does the work; later callers wait for it to finish.
     *
     * @param trigger what asked for it, for the log
     */
    public void shutdown(String trigger) {
        shutdown(trigger, false);
    }

    /**
     * @param jvmExiting true when called from the JVM shutdown hook: phases are also written to standard error
     */
    public void shutdown(String trigger, boolean jvmExiting) {
        if (!begun.compareAndSet(false, true)) {
            try {
                done.await(config.drain().toMillis() + 60_000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return;
        }
        this.jvmExiting = jvmExiting;
        long start = System.nanoTime();
        say(Level.INFO, "Graceful shutdown initiated on node " + node.owner() + " (" + trigger + ")");
        try {
            for (Step step : ordered(steps())) {
                runStep(step);
            }
        } finally {
            status.enter(EngineStatus.Phase.STOPPED, "shut down (" + trigger + ")");
            JvmNodeNames.release(node); // after the drain: this engine's jobs are settled or left under its lease
            say(Level.INFO, "Graceful shutdown of node " + node.owner() + " completed in "
                    + (System.nanoTime() - start) / 1_000_000 + " ms; phases (ms): " + status.shutdownPhaseMillis());
            done.countDown();
        }
    }

    /** @return true once a shutdown has begun */
    public boolean begun() {
        return begun.get();
    }

    private List<Step> steps() {
        List<Step> steps = new ArrayList<>();
        steps.add(new Step("readiness-down", ShutdownStep.READINESS_DOWN, Set.of(), Duration.ofSeconds(1), () -> {
            status.enter(EngineStatus.Phase.DRAINING, "shutting down: draining running jobs");
            return "readiness DOWN";
        }));
        steps.add(new Step("stop-claiming", ShutdownStep.STOP_CLAIMING, Set.of("readiness-down"), Duration.ofSeconds(15),
                () -> {
                    housekeeping.stop();
                    if (recurring != null) {
                        recurring.stop();
                    }
                    dispatcher.stopClaiming();
                    return "no new claims";
                }));
        Duration drainStep = config.drain().plus(config.interruptGrace()).plusSeconds(15);
        steps.add(new Step("drain", ShutdownStep.DRAIN, Set.of("stop-claiming"), drainStep, () -> {
            say(Level.INFO, "Waiting for " + dispatcher.runningCount() + " jobs to complete (up to "
                    + config.drain().toMillis() + " ms, then their handlers are interrupted and get "
                    + config.interruptGrace().toMillis() + " ms more; a job whose handler ended is released, one whose"
                    + " handler did not stays RUNNING under its lease until it expires)");
            Dispatcher.DrainReport r = dispatcher.drain(config.drain());
            return r.inFlight() + " running, " + r.completed() + " finished, " + r.released() + " released, "
                    + r.leftUnderLease() + " left under lease" + (r.leftUnderLease() == 0 ? ""
                    : " (handlers still running or outcomes not written: taken back once the lease of "
                    + config.leaseDuration().toMillis() + " ms expires)");
        }));
        for (ShutdownStep s : applicationSteps == null ? List.<ShutdownStep>of() : applicationSteps) {
            steps.add(new Step(s.name(), s.order(), s.after(), s.timeout(), () -> {
                s.run();
                return "done";
            }));
        }
        steps.add(new Step("close", ShutdownStep.CLOSE, Set.of("drain"), Duration.ofSeconds(10), () -> {
            dispatcher.close();
            nodes.leave();
            return "worker threads stopped";
        }));
        return steps;
    }

    /** Dependency order first (a step runs once every step it names in {@code after} ran), then {@code order}. */
    static List<Step> ordered(List<Step> steps) {
        Map<String, Step> byName = new LinkedHashMap<>();
        for (Step s : steps) {
            if (byName.putIfAbsent(s.name(), s) != null) {
                LOG.warning(() -> "two shutdown steps are named '" + s.name() + "'; the second is ignored");
            }
        }
        List<Step> pending = new ArrayList<>(byName.values());
        pending.sort(Comparator.comparingInt(Step::order).thenComparing(Step::name));
        List<Step> result = new ArrayList<>();
        Set<String> ran = new HashSet<>();
        while (!pending.isEmpty()) {
            Step next = pending.stream()
                    .filter(s -> s.after().stream().allMatch(a -> ran.contains(a) || !byName.containsKey(a)))
                    .findFirst()
                    .orElse(null);
            if (next == null) {
                // A cycle: run the rest by order rather than not at all.
                List<Step> rest = List.copyOf(pending);
                LOG.warning(() -> "shutdown steps " + rest.stream().map(Step::name).toList()
                        + " wait on each other; running them by order");
                result.addAll(rest);
                break;
            }
            pending.remove(next);
            ran.add(next.name());
            result.add(next);
        }
        return result;
    }

    void runStep(Step step) {
        long start = System.nanoTime();
        FutureTask<String> task = new FutureTask<>(step.work()::run);
        Thread t = new Thread(task, "dukequeue-shutdown-" + step.name());
        t.setDaemon(true);
        t.start();
        String outcome;
        Level level = Level.INFO;
        try {
            outcome = task.get(step.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            outcome = "timed out after " + step.timeout().toMillis() + " ms; abandoned";
            level = Level.WARNING;
        } catch (ExecutionException e) {
            outcome = "failed: " + e.getCause();
            level = Level.WARNING;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            outcome = "interrupted";
            level = Level.WARNING;
        }
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        status.shutdownPhase(step.name(), took);
        say(level, "shutdown phase '" + step.name() + "' " + outcome + " (" + took.toMillis() + " ms)");
    }

    private void say(Level level, String message) {
        LOG.log(level, message);
        if (jvmExiting) {
            FD2.println(standardErrorLine(level, message));
        }
    }

    /** @return the line written to standard error during a JVM shutdown, stamped with the engine's clock */
    String standardErrorLine(Level level, String message) {
        return "[" + clock.instant() + "] [" + level + "] [dukequeue] " + message;
    }
}
