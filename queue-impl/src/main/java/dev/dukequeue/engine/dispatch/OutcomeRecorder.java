package dev.dukequeue.engine.dispatch;

import dev.dukequeue.engine.observe.JobEndings;
import dev.dukequeue.engine.job.JobTransitions;
import dev.dukequeue.JobState;
import dev.dukequeue.ErrorCategory;
import dev.dukequeue.StopReason;
import dev.dukequeue.engine.config.EngineConfig;
import dev.dukequeue.engine.job.AttemptOutcome;
import dev.dukequeue.engine.job.ClaimedJob;
import dev.dukequeue.engine.job.JobEvent;
import dev.dukequeue.engine.job.OutcomePolicy;
import dev.dukequeue.engine.observe.EngineMetrics;
import dev.dukequeue.engine.observe.JobLog;
import dev.dukequeue.engine.database.DatabaseGuard;
import dev.dukequeue.engine.store.Failure;
import dev.dukequeue.engine.store.JdbcJobStore;
import dev.dukequeue.engine.store.ReleaseOutcome;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes the outcomes of settled executions: failures, timeouts and releases one by one, completions that their batch
 * could not write (the {@link CompletionWriter} writes the others). What the outcome is comes from the
 * {@link OutcomePolicy}; every write goes through the database guard and the store's lease fence, so an outcome that
 * arrives after the lease was lost changes nothing and is logged as discarded.
 *
 * <p>If the database cannot take an outcome now, the execution keeps its lease (heartbeats go on) and, for failures,
 * timeouts and releases, its slot; the write is tried again every second until it lands, the lease turns out to be
 * lost, or the lease duration has passed without the database answering (then the job stays RUNNING until its lease
 * expires and runs again).
 */
final class OutcomeRecorder {

    private static final Logger LOG = Logger.getLogger(OutcomeRecorder.class.getName());
    static final long OUTCOME_RETRY_MS = 1000;

    private final JdbcJobStore store;
    private final DatabaseGuard database;
    private final EngineMetrics metrics;
    private final EngineConfig config;
    private final OutcomePolicy policy;
    private final String owner;
    private final WorkerSlots slots;
    private final ScheduledExecutorService scheduler;
    private final BooleanSupplier started;
    private final JobEndings endings;
    /** Jobs given back without charging their attempt (the drain reports its share). */
    private final AtomicInteger releases = new AtomicInteger();
    /** The same, per job type (a drain of some types reports theirs). */
    private final java.util.Map<String, AtomicInteger> releasesByType = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param scheduler runs the retries of writes
     * @param started   false once the dispatcher closes: writes are no longer retried
     */
    OutcomeRecorder(JdbcJobStore store, DatabaseGuard database, EngineMetrics metrics, EngineConfig config,
            OutcomePolicy policy, String owner, WorkerSlots slots, ScheduledExecutorService scheduler,
            BooleanSupplier started, JobEndings endings) {
        this.store = store;
        this.endings = endings;
        this.database = database;
        this.metrics = metrics;
        this.config = config;
        this.policy = policy;
        this.owner = owner;
        this.slots = slots;
        this.scheduler = scheduler;
        this.started = started;
    }

    /** @return jobs released without charging their attempt since start */
    int releases() {
        return releases.get();
    }

    /** @return jobs of the given types released without charging their attempt since start */
    int releases(java.util.Set<String> types) {
        int n = 0;
        for (String type : types) {
            AtomicInteger count = releasesByType.get(type);
            n += count == null ? 0 : count.get();
        }
        return n;
    }

    /** The handler threw: the policy decides; a handler stopped by this node's shutdown is released instead. */
    void failed(Execution execution, Throwable thrown) {
        record(execution, "failure", () -> fail(execution, thrown));
    }

    /** The execution timed out (its handler was asked to stop and its slot is to be replaced). */
    void timedOut(Execution execution) {
        ClaimedJob job = execution.job;
        OutcomePolicy.Decision decision = policy.timedOut(job);
        JobEvent event = decision.event();
        String message = "execution timeout of " + job.timeoutMs() + " ms exceeded on node " + owner
                + "; handler interrupted and its worker slot replaced";
        JobLog.log(LOG, Level.WARNING, JobLog.fields(execution.jobId(), job.type(), job.queue(), owner,
                event.name(), job.attempt()), () -> execution + ": " + message + " (" + event + ")", null);
        Failure failure = Failure.observed(AttemptOutcome.TIMED_OUT, ErrorCategory.TIMEOUT, message);
        record(execution, "timeout", () -> {
            boolean written = database.call("timeout of " + execution.jobId(),
                    () -> store.fail(execution.lease(), event, failure, decision.delayMs()));
            if (written) {
                metrics.executed(job.queue(), execution.elapsed());
                metrics.failed(job.queue(), decision.category(), decision.retried(), decision.exhausted());
                ended(execution, JobTransitions.target(JobState.RUNNING, event), failure);
            } else {
                LOG.warning(() -> execution + ": timeout refused, the lease was lost first");
            }
            return written;
        });
    }

    /** Gives a job back (fenced release), e.g. one that never started. */
    void released(Execution execution, String reason) {
        record(execution, "release", () -> release(execution, reason));
    }

    /** Its completion could not be written with its batch: written on its own, every second while its lease lasts. */
    void completionLater(Execution execution, String json) {
        long deadline = System.nanoTime() + config.leaseDuration().toNanos();
        try {
            scheduler.schedule(() -> attempt(execution, "completion", () -> succeed(execution, json), deadline, 2),
                    OUTCOME_RETRY_MS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            slots.finish(execution);
        }
    }

    /** Writes one completion now (the completion writers could not take it), retried like any outcome. */
    void completionNow(Execution execution, String json) {
        record(execution, "completion", () -> succeed(execution, json));
    }

    /** A completion landed: counted, and logged at FINE. */
    void completed(Execution execution) {
        metrics.executed(execution.job.queue(), execution.elapsed());
        metrics.completed(execution.job.queue());
        ended(execution, JobState.COMPLETED, null);
        if (!LOG.isLoggable(Level.FINE)) {
            return; // the common case: no fields map per job
        }
        JobLog.log(LOG, Level.FINE, JobLog.fields(execution.jobId(), execution.job.type(), execution.job.queue(),
                owner, "SUCCEED", execution.job.attempt()),
                () -> execution + ": RUNNING -> COMPLETED on node " + owner, null);
    }

    /** A completion its batch found refused by the fence. */
    static void completionRefused(Execution execution) {
        LOG.warning(() -> execution + ": completion refused, the lease was lost first (rescued, cancelled or "
                + "taken over); the result is discarded");
    }

    /** Tells the application when the written outcome ended the job (a retry does not). */
    private void ended(Execution execution, JobState state, Failure failure) {
        ClaimedJob job = execution.job;
        endings.ended(execution.jobId(), job.type(), job.queue(), state, job.attempt(), owner,
                failure == null ? null : failure.category(), failure == null ? null : failure.message());
    }

    private void record(Execution execution, String what, BooleanSupplier write) {
        long deadline = System.nanoTime() + config.leaseDuration().toNanos();
        attempt(execution, what, write, deadline, 1);
    }

    private void attempt(Execution execution, String what, BooleanSupplier write, long deadline, int attempt) {
        if (execution.leaseLost()) {
            LOG.warning(() -> execution + ": lease lost while its " + what + " waited for the database; discarded");
            slots.finish(execution);
            return;
        }
        try {
            write.getAsBoolean();
            slots.finish(execution);
        } catch (RuntimeException e) {
            if (System.nanoTime() > deadline || !started.getAsBoolean()) {
                LOG.log(Level.SEVERE, execution + ": could not write its " + what + " (" + e.getMessage() + "); the job "
                        + "stays RUNNING until its lease expires, then runs again", e);
                slots.finish(execution);
                return;
            }
            if (attempt == 1) {
                LOG.warning(() -> execution + ": " + what + " not written yet (" + e.getMessage() + "); keeping the "
                        + "slot and the lease, retrying every " + OUTCOME_RETRY_MS + " ms");
            }
            try {
                scheduler.schedule(() -> attempt(execution, what, write, deadline, attempt + 1), OUTCOME_RETRY_MS,
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                slots.finish(execution);
            }
        }
    }

    private boolean succeed(Execution execution, String json) {
        boolean written = database.call("completion of " + execution.jobId(), () -> store.complete(execution.lease(), json));
        if (written) {
            completed(execution);
        } else {
            // 0 rows: the rescuer, a cancel or another node got there first.
            completionRefused(execution);
        }
        return written;
    }

    private boolean fail(Execution execution, Throwable thrown) {
        if (execution.stopReason().orElse(null) == StopReason.SHUTDOWN) {
            // The node's shutdown, or the removal of the job type's handler (an undeployed message-driven bean),
            // made the handler give up: never the job's fault.
            return release(execution, "node " + owner + " stopped the attempt: shutdown, or its handler was removed ("
                    + thrown + ")");
        }
        ClaimedJob job = execution.job;
        boolean corrupt = thrown instanceof CorruptJobException;
        OutcomePolicy.Decision decision = corrupt ? policy.corrupt(job) : policy.thrown(job, thrown);
        ErrorCategory category = decision.category();
        JobEvent event = decision.event();
        long delay = decision.delayMs();
        Level level = corrupt ? Level.SEVERE : category == ErrorCategory.SYSTEM ? Level.WARNING : Level.INFO;
        JobLog.log(LOG, level, JobLog.fields(execution.jobId(), job.type(), job.queue(), owner, event.name(),
                job.attempt()), () -> execution + " failed on node " + owner + " (" + category + ", " + event
                + (delay > 0 ? ", retry in " + delay + " ms" : "") + "): " + thrown,
                category == ErrorCategory.SYSTEM && !corrupt ? thrown : null);
        Failure failure = corrupt ? Failure.observed(AttemptOutcome.FAILED, ErrorCategory.SYSTEM, thrown.getMessage())
                : Failure.thrown(category, thrown);
        boolean written = database.call(event + " of " + execution.jobId(),
                () -> store.fail(execution.lease(), event, failure, delay));
        if (written) {
            metrics.executed(job.queue(), execution.elapsed());
            metrics.failed(job.queue(), category, decision.retried(), decision.exhausted());
            if (corrupt) {
                metrics.corrupt(job.queue());
            }
            ended(execution, JobTransitions.target(JobState.RUNNING, event), failure);
        } else {
            LOG.warning(() -> execution + ": failure refused, the lease was lost first; discarded");
        }
        return written;
    }

    /**
     * RUNNING -> SCHEDULED without charging the attempt, up to {@code dukequeue.release.max} times per job; past that
     * the release charges the attempt (retry after the policy's backoff, or DEAD_LETTER on the last attempt).
     */
    private boolean release(Execution execution, String reason) {
        ReleaseOutcome outcome = database.call("release of " + execution.jobId(), () -> store.release(
                execution.lease(), reason, config.releaseMax(), policy::retryDelayMs));
        ClaimedJob job = execution.job;
        switch (outcome) {
            case RELEASED -> {
                releases.incrementAndGet();
                releasesByType.computeIfAbsent(job.type(), t -> new AtomicInteger()).incrementAndGet();
                LOG.info(() -> execution + ": RUNNING -> SCHEDULED (released, attempt not charged): " + reason);
            }
            case CHARGED_RETRY, CHARGED_DEAD_LETTER -> {
                boolean dead = outcome == ReleaseOutcome.CHARGED_DEAD_LETTER;
                JobLog.log(LOG, Level.WARNING, JobLog.fields(execution.jobId(), job.type(), job.queue(), owner,
                        dead ? JobEvent.EXHAUST.name() : JobEvent.FAIL_RETRYABLE.name(), job.attempt()),
                        () -> execution + ": released more than dukequeue.release.max=" + config.releaseMax()
                                + " times without finishing; this attempt is charged (" + (dead ? "DEAD_LETTER"
                                : "retried after a backoff") + "): " + reason, null);
                metrics.executed(job.queue(), execution.elapsed());
                metrics.failed(job.queue(), ErrorCategory.SYSTEM, !dead, dead);
                if (dead) {
                    endings.ended(execution.jobId(), job.type(), job.queue(), JobState.DEAD_LETTER, job.attempt(),
                            owner, ErrorCategory.SYSTEM, reason);
                }
            }
            case LEASE_LOST -> LOG.warning(() -> execution + ": release refused, the lease was lost first; nothing to"
                    + " give back");
        }
        return outcome.written();
    }
}
