package dev.dukequeue.engine.dispatch;

import dev.dukequeue.JobId;
import dev.dukequeue.StopReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntSupplier;
import java.util.logging.Logger;

/**
 * The drain of a node's shutdown, in three phases.
 * <ol>
 * <li>Every running handler is asked to stop ({@link StopReason#SHUTDOWN} in its context) and gets up to the drain
 * time to end.</li>
 * <li>Handlers still running are interrupted and get the interrupt grace to end.</li>
 * <li>Each job whose handler ended has gone through the worker's own path: completed, failed, or (stopped by the
 * shutdown) released. A job whose handler has <em>not</em> ended is never released: another node would then run it
 * while this handler still does. It stays RUNNING under its lease, which this node stops renewing; once the lease
 * expires the rescuer (or this node's start-up recovery) takes it back with the attempt charged, the same fenced
 * path as a crash.</li>
 * </ol>
 *
 * <p>Not thread-safe: one drain per dispatcher, run by the shutdown.
 */
final class Drain {

    private static final Logger LOG = Logger.getLogger(Drain.class.getName());
    private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** Waits up to the given nanoseconds for an execution to finish (or a spurious wake-up). */
    interface FinishWait {
        void await(long nanos) throws InterruptedException;
    }

    private final Collection<Execution> running;
    private final FinishWait awaitFinish;
    private final Consumer<Execution> leaveUnderLease;
    private final IntSupplier releases;
    private final String owner;

    /**
     * @param running         the executions the node holds (a live view): handlers running, outcomes being written
     * @param leaveUnderLease stops tracking an execution the drain settled whose handler has not ended: no outcome is
     *                        written, its lease is no longer renewed, its thread counts as abandoned until it returns
     * @param releases        how many jobs the dispatcher has released so far
     * @param owner           the node's lease owner, for the log
     */
    Drain(Collection<Execution> running, FinishWait awaitFinish, Consumer<Execution> leaveUnderLease,
            IntSupplier releases, String owner) {
        this.running = running;
        this.awaitFinish = awaitFinish;
        this.leaveUnderLease = leaveUnderLease;
        this.releases = releases;
        this.owner = owner;
    }

    Dispatcher.DrainReport run(Duration drain, Duration interruptGrace) {
        int releasedBefore = releases.getAsInt();
        List<Execution> inFlight = List.copyOf(running);
        inFlight.forEach(e -> e.requestStop(StopReason.SHUTDOWN, false));
        List<Execution> interruptedHandlers = new ArrayList<>();
        if (!awaitEmpty(drain)) {
            for (Execution execution : running) {
                if (!execution.isSettled()) {
                    // The worker still holds it: its handler has not returned (or has not started yet).
                    execution.requestStop(StopReason.SHUTDOWN, true);
                    interruptedHandlers.add(execution);
                }
            }
            if (!interruptedHandlers.isEmpty()) {
                LOG.info(() -> "node " + owner + ": " + interruptedHandlers.size() + " handler(s) still running after"
                        + " the drain of " + drain.toMillis() + " ms; interrupted, " + interruptGrace.toMillis()
                        + " ms to end: " + ids(interruptedHandlers));
                awaitEmpty(interruptGrace);
            }
        }
        List<Execution> underLease = new ArrayList<>();
        for (Execution execution : List.copyOf(running)) {
            // A handler that returned a moment ago is settled by its worker, which writes its outcome.
            if (execution.abandoned() && execution.settle()) {
                // The handler has not ended: releasing the job would let another node run it while this one still
                // does. Left RUNNING under its lease, which expires because nobody renews it any more.
                leaveUnderLease.accept(execution);
                underLease.add(execution);
            }
        }
        List<Execution> outcomePending = List.copyOf(running);
        if (!underLease.isEmpty()) {
            LOG.warning(() -> "node " + owner + ": " + underLease.size() + " job(s) left RUNNING under their"
                    + " lease, not released, because their handlers did not end after the interrupt (a handler that"
                    + " ignores interrupts); they are taken back with the attempt charged once the lease expires"
                    + " (rescuer on another node, or start-up recovery here): " + ids(underLease));
        }
        if (!outcomePending.isEmpty()) {
            LOG.warning(() -> "node " + owner + ": " + outcomePending.size() + " outcome(s) not written yet"
                    + " (the database did not take them); if they are not written before the node stops, their jobs"
                    + " run again once the lease expires: " + ids(outcomePending));
        }
        int released = Math.max(0, releases.getAsInt() - releasedBefore);
        int left = underLease.size() + outcomePending.size();
        return new Dispatcher.DrainReport(inFlight.size(), Math.max(0, inFlight.size() - released - left), released,
                left);
    }

    /** @return true if every execution finished within {@code time} */
    private boolean awaitEmpty(Duration time) {
        long deadline = System.nanoTime() + time.toNanos();
        while (!running.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return false;
            }
            try {
                awaitFinish.await(Math.min(left, MAX_WAIT_NANOS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    private static List<JobId> ids(Collection<Execution> executions) {
        return executions.stream().map(Execution::jobId).toList();
    }
}
