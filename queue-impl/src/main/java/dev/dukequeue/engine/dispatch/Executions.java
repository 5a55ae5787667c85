package dev.dukequeue.engine.dispatch;

import dev.dukequeue.engine.observe.Tracing;
import dev.dukequeue.JobId;
import dev.dukequeue.PermanentJobException;
import dev.dukequeue.StopReason;
import dev.dukequeue.engine.job.ClaimedJob;
import dev.dukequeue.engine.observe.EngineMetrics;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The life of each execution on this node, from the claim to the hand-off of its outcome: the launch on a worker
 * thread (whatever fails there gives the job back and frees its slot), the handler's run, and the one settlement that
 * wins among its outcome, its timeout, its lost lease and its cancel ({@link Execution#settle()}). Outcomes go to the
 * {@link CompletionWriter} (returned) or the {@link OutcomeRecorder} (failed, timed out, released); a handler that
 * settled its job itself ({@link Settled}) leaves nothing to write. Part of the {@link Dispatcher}, built by its start.
 */
final class Executions {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());

    private final JobHandlers handlers;
    private final Predicate<String> runs;
    private final WorkerSlots slots;
    private final OutcomeRecorder recorder;
    private final CompletionWriter completions;
    private final ProgressSink progressSink;
    private final EngineMetrics metrics;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService workers;
    private final String owner;

    /**
     * @param runs whether the node still runs a claimed job's type when it is launched (its handler may have left, or
     *             its type be draining, while the claim ran)
     */
    Executions(JobHandlers handlers, Predicate<String> runs, WorkerSlots slots, OutcomeRecorder recorder,
            CompletionWriter completions, ProgressSink progressSink, EngineMetrics metrics,
            ScheduledExecutorService scheduler, ExecutorService workers, String owner) {
        this.handlers = handlers;
        this.runs = runs;
        this.slots = slots;
        this.recorder = recorder;
        this.completions = completions;
        this.progressSink = progressSink;
        this.metrics = metrics;
        this.scheduler = scheduler;
        this.workers = workers;
        this.owner = owner;
    }

    /**
     * Starts a claimed job on a worker. Nothing that goes wrong between the claim and the start may keep the slot or the
     * job: any failure here (a rejected worker, a metric, a scheduler) frees the slot, forgets the execution and gives
     * the job back (fenced release, attempt not charged), counted and logged; the claim's other jobs still launch.
     */
    void launch(ClaimedJob job) {
        Execution execution = new Execution(job, progressSink);
        if (!runs.test(job.type())) {
            // Its handler left (or is being drained) while the claim ran: give it back, attempt not charged.
            slots.hold(execution);
            giveBack(execution, "node " + owner + " no longer runs type " + job.type(), null);
            return;
        }
        try {
            slots.hold(execution);
            LOG.fine(() -> execution + ": SCHEDULED -> RUNNING on node " + owner);
            execution.timeout = scheduler.schedule(() -> onTimeout(execution), job.timeoutMs(), TimeUnit.MILLISECONDS);
            workers.execute(() -> run(execution));
        } catch (RejectedExecutionException e) {
            giveBack(execution, "node " + owner + " is shutting down", null);
            return;
        } catch (Throwable t) { // Errors included: a slot must never leak
            giveBack(execution, "node " + owner + " could not start it: " + t, t);
            return;
        }
        try {
            metrics.claimed(job.queue(), job.queueWaitMs());
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, execution + ": queue-wait metric not recorded", e);
        }
    }

    /** A claimed job that never started: give it back in the store (fenced), then free its slot and its map entry. */
    private void giveBack(Execution execution, String reason, Throwable cause) {
        if (cause != null) {
            metrics.launchFailed(execution.job.queue());
            LOG.log(Level.SEVERE, execution + ": launch failed, the job is given back and its slot freed", cause);
        }
        if (execution.settle()) {
            // The recorder retries a failed write, then frees the slot and the map entry whatever happened.
            recorder.released(execution, reason);
        }
    }

    private void run(Execution execution) {
        Object result = null;
        Throwable thrown = null;
        execution.bindThread(Thread.currentThread());
        ClaimedJob job = execution.job;
        // The attempt's span, a child of the submitter's (MicroProfile Telemetry; a no-op without it).
        Tracing.AttemptSpan span = Tracing.attempt(job.traceparent(), execution.jobId().toString(), job.type(),
                job.queue(), job.attempt(), owner);
        try {
            CorruptJobException.check(execution.job); // a row DukeQueue did not write never reaches the handler
            result = handlers.invoke(execution, execution.lease());
        } catch (Throwable t) { // Errors included: a handler must never take the worker down with it
            thrown = t;
        } finally {
            execution.unbindThread();
            Thread.interrupted(); // clear a stop request's interrupt before this thread runs anything else
            span.end(thrown == null ? "succeeded" : execution.stopReason().map(r -> r.name().toLowerCase(
                    java.util.Locale.ROOT)).orElse("failed"), thrown);
        }
        if (!execution.settle()) {
            // Someone else (timeout, lost lease, cancel, shutdown) already settled it; the fence would refuse anyway.
            slots.abandonedReturned();
            LOG.info(() -> execution + ": handler returned after " + execution.stopReason().map(Enum::name)
                    .orElse("settlement") + "; its outcome is discarded");
            return;
        }
        execution.timeout.cancel(false);
        if (thrown == null && result instanceof Settled settled) {
            settledByHandler(execution, settled);
            return;
        }
        if (thrown == null) {
            completeLater(execution, result);
            return;
        }
        recorder.failed(execution, thrown);
    }

    /**
     * A handler returned: its outcome goes to the completion writers, and its worker slot is free at once for the next
     * job (the execution, its lease and its heartbeat stay until the outcome is written).
     */
    private void completeLater(Execution execution, Object result) {
        String json;
        try {
            json = handlers.resultJson(result);
        } catch (RuntimeException e) {
            recorder.failed(execution, new PermanentJobException(
                    "the handler's result cannot be mapped to JSON: " + e.getMessage(), e));
            return;
        }
        try {
            completions.put(execution, json);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            recorder.completionNow(execution, json);
            return;
        }
        slots.releaseSlot(execution);
    }

    /** The handler wrote its job's outcome itself: nothing to write, the slot and the execution are done. */
    private void settledByHandler(Execution execution, Settled settled) {
        slots.finish(execution);
        if (settled.completed()) {
            recorder.completed(execution);
        } else {
            LOG.info(() -> execution + ": the handler's completion was refused by the lease fence (rescued, cancelled"
                    + " or taken over); nothing written");
        }
    }

    private void onTimeout(Execution execution) {
        if (!execution.settle()) {
            return;
        }
        slots.abandon(execution, StopReason.TIMEOUT);
        recorder.timedOut(execution);
    }

    /** The heartbeat found this job's lease gone: its handler is asked to stop and its slot freed. */
    void leaseLost(JobId id) {
        Execution execution = slots.get(id);
        if (execution == null) {
            return;
        }
        execution.markLeaseLost();
        if (execution.settle()) {
            LOG.warning(() -> execution + ": lease lost (cancelled, rescued or taken over); asking the handler "
                    + "to stop");
            slots.abandon(execution, StopReason.LEASE_LOST);
            slots.finish(execution);
        }
    }

    /** A job running here was cancelled: stop its handler now and free its slot (the fence refuses its outcome). */
    void cancelled(JobId id) {
        Execution execution = slots.get(id);
        if (execution != null && execution.settle()) {
            slots.abandon(execution, StopReason.CANCELLED);
            slots.finish(execution);
        }
    }
}
