package dev.dukequeue.engine.dispatch;

import dev.dukequeue.ErrorCategory;
import dev.dukequeue.JobId;
import dev.dukequeue.PermanentJobException;
import dev.dukequeue.QueueUnavailableException;
import dev.dukequeue.StopReason;
import dev.dukequeue.TemporaryJobException;
import dev.dukequeue.engine.config.EngineConfig;
import dev.dukequeue.engine.job.AttemptOutcome;
import dev.dukequeue.engine.job.ClaimedJob;
import dev.dukequeue.engine.job.JobEvent;
import dev.dukequeue.engine.job.Lease;
import dev.dukequeue.engine.observe.JobLog;
import dev.dukequeue.engine.lifecycle.EngineStatus;
import dev.dukequeue.engine.lifecycle.NodeIdentity;
import dev.dukequeue.engine.retry.BackoffPolicy;
import dev.dukequeue.engine.database.DatabaseGuard;
import dev.dukequeue.engine.store.Failure;
import dev.dukequeue.engine.store.JdbcJobStore;
import dev.dukequeue.engine.database.LocalTransactions;
import dev.dukequeue.engine.store.ReleaseOutcome;
import dev.dukequeue.engine.database.JobNotifications;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Claims due jobs and runs them. One dispatcher thread claims at most as many jobs as there are free worker slots,
 * in one statement; each job runs on a container-managed worker thread; a scheduler thread enforces execution
 * timeouts, renews the leases of running jobs and retries outcomes the database could not take yet.
 *
 * <p>The dispatcher wakes at once when a local submission commits ({@link #wake()}) or a slot frees up, and polls
 * every {@code dukequeue.poll.interval.ms} otherwise (jobs submitted on other nodes, delays and backoffs coming due).
 *
 * <p>Every outcome goes through the store's lease fence: an outcome arriving after the lease was lost (timeout,
 * cancel, rescue) changes nothing and is logged as discarded. Every store call goes through the {@link DatabaseGuard}:
 * while its circuit is open the dispatcher stops claiming, and an outcome that cannot be written keeps its worker slot
 * and its lease (heartbeats go on) and is written as soon as the database answers, while the lease lasts.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());
    private static final long OUTCOME_RETRY_MS = 1000;
    /** The most completions one transaction writes. */
    static final int MAX_COMPLETION_BATCH = 256;

    @Inject
    JdbcJobStore store;

    @Inject
    dev.dukequeue.engine.observe.EngineMetrics metrics;

    @Inject
    DatabaseGuard database;

    @Inject
    HandlerRegistry registry;

    @Inject
    EngineConfig config;

    @Inject
    NodeIdentity node;

    @Inject
    EngineStatus status;

    @Resource
    ManagedThreadFactory threadFactory;

    @Resource(lookup = "java:app/jdbc/dukequeue")
    javax.sql.DataSource dataSource;

    /**
     * Claims and completion batches: the store on the pool's connections outside JTA, for claims in auto-commit mode
     * (a claim is one statement), for completion batches in local JDBC transactions (see {@link LocalTransactions}).
     */
    private LocalTransactions local;
    private JdbcJobStore direct;

    private final Map<JobId, Execution> running = new ConcurrentHashMap<>();
    /**
     * Outcomes of handlers that returned, waiting to be written: the completion writers take all that wait and write
     * them in one transaction (group commit), each still fenced by its own lease. Bounded: when the database falls
     * behind, workers wait here (backpressure) instead of claiming more.
     */
    private BlockingQueue<PendingCompletion> completions;
    private final List<Thread> completionWriters = new ArrayList<>();

    private record PendingCompletion(Execution execution, String json) {
    }
    private final Object signal = new Object();
    private final AtomicLong abandonedThreads = new AtomicLong();
    /** Jobs given back without charging their attempt (the drain reports its share). */
    private final java.util.concurrent.atomic.AtomicInteger releases = new java.util.concurrent.atomic.AtomicInteger();
    private boolean woken;
    private volatile boolean claiming;
    private volatile boolean started;
    private Semaphore slots;
    private BackoffPolicy backoff;
    private ExecutorService workers;
    private ScheduledExecutorService scheduler;
    private Thread loop;
    private Thread listener;

    /** Starts claiming. Called once by the engine's start-up, after recovery. */
    public synchronized void start() {
        local = new LocalTransactions(dataSource);
        direct = new JdbcJobStore(local);
        slots = new Semaphore(config.workers());
        backoff = new BackoffPolicy(config.backoffBase(), config.backoffMax(), () -> ThreadLocalRandom.current().nextDouble());
        // Unbounded threads, bounded by the slots: a hung handler keeps its thread, never a slot.
        workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), threadFactory);
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, threadFactory);
        timers.setRemoveOnCancelPolicy(true);
        scheduler = timers;
        long heartbeat = config.heartbeatInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::renewLeases, heartbeat, heartbeat, TimeUnit.MILLISECONDS);
        claiming = true;
        started = true;
        completions = new LinkedBlockingQueue<>(Math.max(64, 4 * config.workers()));
        for (int i = 0; i < config.completionWriters(); i++) {
            Thread writer = threadFactory.newThread(this::writeCompletions);
            writer.setName("dukequeue-completions-" + i);
            completionWriters.add(writer);
            writer.start();
        }
        JobNotifications notifications = store.notifications();
        if (notifications != null) {
            listener = threadFactory.newThread(() -> listen(notifications));
            listener.setName("dukequeue-listener");
            listener.start();
        }
        loop = threadFactory.newThread(this::claimLoop);
        loop.setName("dukequeue-dispatcher");
        loop.start();
        LOG.info(() -> "dispatcher on node " + node.owner() + " started: " + config.workers() + " workers, types "
                + registry.types());
    }

    /** Wakes the claim loop now (a submission committed, a slot freed). Cheap; safe from any thread. */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void awaitWake(long millis) throws InterruptedException {
        synchronized (signal) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (!woken && claiming) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(signal, left);
            }
            woken = false;
        }
    }

    private void claimLoop() {
        long failures = 0;
        while (claiming) {
            status.dispatcherTick();
            try {
                int want = Math.min(slots.availablePermits(), config.claimBatch());
                List<ClaimedJob> jobs = want > 0
                        ? database.call("claim", () -> local.withAutoCommit(() -> direct.claim(node.owner(),
                                registry.types(), want, config.leaseDuration().toMillis(), freePerLimitedQueue())))
                        : List.of();
                failures = 0;
                for (ClaimedJob job : jobs) {
                    // Only this thread acquires, so the permits counted above are still there.
                    slots.acquireUninterruptibly();
                    launch(job);
                }
                if (want > 0 && jobs.size() == want) {
                    continue; // a full batch: more may be due right now
                }
                awaitWake(config.pollInterval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (QueueUnavailableException e) {
                // The circuit is open: claiming pauses; the next try after the breaker's delay is its trial call.
                pause(e.retryAfter().toMillis());
            } catch (RuntimeException e) {
                failures++;
                long pause = Math.min(config.pollInterval().toMillis() << Math.min(failures, 6), 30_000);
                LOG.log(Level.WARNING, "node " + node.owner() + ": claiming failed (" + failures
                        + " in a row), next try in " + pause + " ms: " + e.getMessage(), failures == 1 ? e : null);
                pause(pause);
            }
        }
    }

    /**
     * PostgreSQL: wakes the claim loop when any node commits a submission ({@code NOTIFY}), so an idle node starts
     * another node's job at once instead of at its next poll. Best effort: while the listening connection is broken,
     * the poll interval still finds the work.
     */
    private void listen(JobNotifications notifications) {
        long failures = 0;
        try {
            while (claiming) {
                try {
                    if (notifications.await(1000)) {
                        wake();
                    }
                    failures = 0;
                } catch (RuntimeException e) {
                    failures++;
                    if (failures == 1) {
                        LOG.warning(() -> "node " + node.owner() + ": not listening for new jobs (" + e.getMessage()
                                + "); polling every " + config.pollInterval().toMillis() + " ms until it is back");
                    }
                    try {
                        Thread.sleep(Math.min(1000L << Math.min(failures, 5), 30_000)); // reconnect back-off
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        } finally {
            notifications.close();
        }
    }

    /** @return for each queue limited on this node ({@code dukequeue.node.queue-workers}), its free places here */
    private Map<String, Integer> freePerLimitedQueue() {
        Map<String, Integer> limits = config.queueWorkers();
        if (limits.isEmpty()) {
            return Map.of();
        }
        Map<String, Integer> free = new java.util.HashMap<>(limits);
        for (Execution e : running.values()) {
            free.computeIfPresent(e.job.queue(), (q, n) -> n - 1);
        }
        return free;
    }

    /** Checkpoints and progress of running attempts: written at once, through the guard and the lease fence. */
    private final ProgressSink progressSink = new ProgressSink() {
        private final jakarta.json.bind.Jsonb jsonb = jakarta.json.bind.JsonbBuilder.create();

        @Override
        public boolean checkpoint(Lease lease, String json) {
            return database.call("checkpoint of " + lease.jobId(), () -> store.saveCheckpoint(lease, json));
        }

        @Override
        public boolean progress(Lease lease, int percent, String message) {
            return database.call("progress of " + lease.jobId(), () -> store.saveProgress(lease, percent, message));
        }

        @Override
        public int maxBytes() {
            return config.payloadMaxBytes();
        }

        @Override
        public String toJson(Object value) {
            try {
                return jsonb.toJson(value);
            } catch (jakarta.json.bind.JsonbException e) {
                throw new dev.dukequeue.InvalidJobRequestException("checkpoint", "cannot be mapped to JSON: "
                        + e.getMessage());
            }
        }

        @Override
        public <T> T fromJson(String json, Class<T> type) {
            if (type == String.class || type == Object.class) {
                return type.cast(json);
            }
            if (jakarta.json.JsonValue.class.isAssignableFrom(type)) {
                try (jakarta.json.JsonReader r = HandlerRegistry.JSON.createReader(new java.io.StringReader(json))) {
                    return type.cast(r.readValue());
                }
            }
            return jsonb.fromJson(json, type);
        }
    };

    private void pause(long millis) {
        try {
            awaitWake(millis);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            claiming = false;
        }
    }

    /**
     * Starts a claimed job on a worker. Nothing that goes wrong between the claim and the start may keep the slot or the
     * job: any failure here (a rejected worker, a metric, a scheduler) frees the slot, forgets the execution and gives
     * the job back (fenced release, attempt not charged), counted and logged; the claim's other jobs still launch.
     */
    private void launch(ClaimedJob job) {
        Execution execution = new Execution(job, progressSink);
        try {
            running.put(job.lease().jobId(), execution);
            LOG.fine(() -> execution + ": SCHEDULED -> RUNNING on node " + node.owner());
            execution.timeout = scheduler.schedule(() -> onTimeout(execution), job.timeoutMs(), TimeUnit.MILLISECONDS);
            workers.execute(() -> run(execution));
        } catch (RejectedExecutionException e) {
            giveBack(execution, "node " + node.owner() + " is shutting down", null);
            return;
        } catch (Throwable t) { // Errors included: a slot must never leak
            giveBack(execution, "node " + node.owner() + " could not start it: " + t, t);
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
            // record() retries a failed write, then frees the slot and the map entry whatever happened (finish).
            record(execution, "release", () -> release(execution, reason));
        }
    }

    private void run(Execution execution) {
        Object result = null;
        Throwable thrown = null;
        execution.bindThread(Thread.currentThread());
        try {
            CorruptJobException.check(execution.job); // a row DukeQueue did not write never reaches the handler
            result = registry.invoke(execution);
        } catch (Throwable t) { // Errors included: a handler must never take the worker down with it
            thrown = t;
        } finally {
            execution.unbindThread();
            Thread.interrupted(); // clear a stop request's interrupt before this thread runs anything else
        }
        if (!execution.settle()) {
            // Someone else (timeout, lost lease, cancel, shutdown) already settled it; the fence would refuse anyway.
            abandonedThreads.decrementAndGet();
            LOG.info(() -> execution + ": handler returned after " + execution.stopReason().map(Enum::name)
                    .orElse("settlement") + "; its outcome is discarded");
            return;
        }
        execution.timeout.cancel(false);
        if (thrown == null) {
            completeLater(execution, result);
            return;
        }
        Throwable failure = thrown;
        record(execution, "failure", () -> fail(execution, failure));
    }

    /**
     * A handler returned: its outcome goes to the completion writers, and its worker slot is free at once for the next
     * job (the execution, its lease and its heartbeat stay until the outcome is written).
     */
    private void completeLater(Execution execution, Object result) {
        String json;
        try {
            json = registry.resultJson(result);
        } catch (RuntimeException e) {
            record(execution, "failure", () -> fail(execution, new PermanentJobException(
                    "the handler's result cannot be mapped to JSON: " + e.getMessage(), e)));
            return;
        }
        try {
            completions.put(new PendingCompletion(execution, json));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            record(execution, "completion", () -> succeed(execution, json));
            return;
        }
        releaseSlot(execution);
    }

    /** A completion writer: takes every outcome waiting (up to a batch) and writes them with one commit. */
    private void writeCompletions() {
        List<PendingCompletion> batch = new ArrayList<>(MAX_COMPLETION_BATCH);
        while (true) {
            PendingCompletion first;
            try {
                first = completions.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first == null) {
                if (!started) {
                    return;
                }
                continue;
            }
            batch.clear();
            batch.add(first);
            completions.drainTo(batch, MAX_COMPLETION_BATCH - 1);
            List<JdbcJobStore.Completion> writes = new ArrayList<>(batch.size());
            batch.forEach(p -> writes.add(new JdbcJobStore.Completion(p.execution().lease(), p.json())));
            boolean[] written;
            try {
                written = database.call("completion of " + writes.size() + " job(s)",
                        () -> local.inTransaction(() -> direct.completeAll(writes)));
            } catch (RuntimeException e) {
                // Each outcome is retried on its own, every second, while its lease lasts (the slot is already free).
                LOG.warning(() -> writes.size() + " completion(s) not written yet (" + e.getMessage() + "); retrying"
                        + " each every " + OUTCOME_RETRY_MS + " ms while its lease lasts");
                for (PendingCompletion p : batch) {
                    retryLater(p.execution(), "completion", () -> succeed(p.execution(), p.json()));
                }
                continue;
            }
            for (int i = 0; i < batch.size(); i++) {
                Execution execution = batch.get(i).execution();
                if (written[i]) {
                    completed(execution);
                } else {
                    LOG.warning(() -> execution + ": completion refused, the lease was lost first (rescued, cancelled"
                            + " or taken over); the result is discarded");
                }
                finish(execution);
            }
        }
    }

    private void retryLater(Execution execution, String what, BooleanSupplier write) {
        long deadline = System.nanoTime() + config.leaseDuration().toNanos();
        try {
            scheduler.schedule(() -> attemptRecord(execution, what, write, deadline, 2), OUTCOME_RETRY_MS,
                    TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException shuttingDown) {
            finish(execution);
        }
    }

    private void completed(Execution execution) {
        metrics.executed(execution.job.queue(), execution.elapsed());
        metrics.completed(execution.job.queue());
        if (!LOG.isLoggable(Level.FINE)) {
            return; // the common case: no fields map per job
        }
        JobLog.log(LOG, Level.FINE, JobLog.fields(execution.jobId(), execution.job.type(), execution.job.queue(),
                node.owner(), "SUCCEED", execution.job.attempt()),
                () -> execution + ": RUNNING -> COMPLETED on node " + node.owner(), null);
    }

    /**
     * Writes a settled execution's outcome and frees its slot. If the database cannot take it now, the slot and the
     * lease are kept (heartbeats go on) and the write is tried again every second until it lands, the lease turns out
     * to be lost, or the lease duration has passed without the database answering.
     */
    private void record(Execution execution, String what, BooleanSupplier write) {
        long deadline = System.nanoTime() + config.leaseDuration().toNanos();
        attemptRecord(execution, what, write, deadline, 1);
    }

    private void attemptRecord(Execution execution, String what, BooleanSupplier write, long deadline, int attempt) {
        if (execution.leaseLost()) {
            LOG.warning(() -> execution + ": lease lost while its " + what + " waited for the database; discarded");
            finish(execution);
            return;
        }
        try {
            write.getAsBoolean();
            finish(execution);
        } catch (RuntimeException e) {
            if (System.nanoTime() > deadline || !started) {
                LOG.log(Level.SEVERE, execution + ": could not write its " + what + " (" + e.getMessage() + "); the job "
                        + "stays RUNNING until its lease expires, then runs again", e);
                finish(execution);
                return;
            }
            if (attempt == 1) {
                LOG.warning(() -> execution + ": " + what + " not written yet (" + e.getMessage() + "); keeping the "
                        + "slot and the lease, retrying every " + OUTCOME_RETRY_MS + " ms");
            }
            try {
                scheduler.schedule(() -> attemptRecord(execution, what, write, deadline, attempt + 1), OUTCOME_RETRY_MS,
                        TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException shuttingDown) {
                finish(execution);
            }
        }
    }

    /** Writes one completion on its own (a retry after its batch failed). */
    private boolean succeed(Execution execution, String json) {
        boolean written = database.call("completion of " + execution.jobId(), () -> store.complete(execution.lease(), json));
        if (written) {
            completed(execution);
        } else {
            // 0 rows: the rescuer, a cancel or another node got there first.
            LOG.warning(() -> execution + ": completion refused, the lease was lost first (rescued, cancelled or "
                    + "taken over); the result is discarded");
        }
        return written;
    }

    private boolean fail(Execution execution, Throwable thrown) {
        if (execution.stopReason().orElse(null) == StopReason.SHUTDOWN) {
            // The node's own shutdown made the handler give up: never the job's fault.
            return release(execution, "node " + node.owner() + " shut down during the attempt (" + thrown + ")");
        }
        ErrorCategory category = classify(thrown);
        ClaimedJob job = execution.job;
        boolean corrupt = thrown instanceof CorruptJobException;
        JobEvent event = category == ErrorCategory.PERMANENT || corrupt ? JobEvent.FAIL_PERMANENT
                : job.lastAttempt() ? JobEvent.EXHAUST : JobEvent.FAIL_RETRYABLE;
        long delay = event == JobEvent.FAIL_RETRYABLE ? backoff.delayMs(job.attempt()) : 0;
        Level level = corrupt ? Level.SEVERE : category == ErrorCategory.SYSTEM ? Level.WARNING : Level.INFO;
        JobLog.log(LOG, level, JobLog.fields(execution.jobId(), job.type(), job.queue(), node.owner(), event.name(),
                job.attempt()), () -> execution + " failed on node " + node.owner() + " (" + category + ", " + event
                + (delay > 0 ? ", retry in " + delay + " ms" : "") + "): " + thrown,
                category == ErrorCategory.SYSTEM && !corrupt ? thrown : null);
        Failure failure = corrupt ? Failure.observed(AttemptOutcome.FAILED, ErrorCategory.SYSTEM, thrown.getMessage())
                : Failure.thrown(category, thrown);
        boolean written = database.call(event + " of " + execution.jobId(),
                () -> store.fail(execution.lease(), event, failure, delay));
        if (written) {
            metrics.executed(job.queue(), execution.elapsed());
            metrics.failed(job.queue(), category, event == JobEvent.FAIL_RETRYABLE, event == JobEvent.EXHAUST);
            if (corrupt) {
                metrics.corrupt(job.queue());
            }
        } else {
            LOG.warning(() -> execution + ": failure refused, the lease was lost first; discarded");
        }
        return written;
    }

    /**
     * Checked exceptions and {@link TemporaryJobException} are TEMPORARY (the world may change); unchecked exceptions
     * and errors are SYSTEM (a bug or a broken runtime); {@link PermanentJobException} is PERMANENT.
     */
    static ErrorCategory classify(Throwable t) {
        if (t instanceof PermanentJobException) {
            return ErrorCategory.PERMANENT;
        }
        if (t instanceof TemporaryJobException || !(t instanceof RuntimeException || t instanceof Error)) {
            return ErrorCategory.TEMPORARY;
        }
        return ErrorCategory.SYSTEM;
    }

    private void onTimeout(Execution execution) {
        if (!execution.settle()) {
            return;
        }
        abandon(execution, StopReason.TIMEOUT);
        ClaimedJob job = execution.job;
        JobEvent event = job.lastAttempt() ? JobEvent.EXHAUST : JobEvent.FAIL_RETRYABLE;
        long delay = event == JobEvent.FAIL_RETRYABLE ? backoff.delayMs(job.attempt()) : 0;
        String message = "execution timeout of " + job.timeoutMs() + " ms exceeded on node " + node.owner()
                + "; handler interrupted and its worker slot replaced";
        JobLog.log(LOG, Level.WARNING, JobLog.fields(execution.jobId(), job.type(), job.queue(), node.owner(),
                event.name(), job.attempt()), () -> execution + ": " + message + " (" + event + ")", null);
        Failure failure = Failure.observed(AttemptOutcome.TIMED_OUT, ErrorCategory.TIMEOUT, message);
        record(execution, "timeout", () -> {
            boolean written = database.call("timeout of " + execution.jobId(),
                    () -> store.fail(execution.lease(), event, failure, delay));
            if (written) {
                metrics.executed(job.queue(), execution.elapsed());
                metrics.failed(job.queue(), ErrorCategory.TIMEOUT, event == JobEvent.FAIL_RETRYABLE,
                        event == JobEvent.EXHAUST);
            } else {
                LOG.warning(() -> execution + ": timeout refused, the lease was lost first");
            }
            return written;
        });
    }

    /** Heartbeat: renews every lease this node holds, including outcomes still waiting for the database. */
    private void renewLeases() {
        List<Lease> leases = running.values().stream().map(Execution::lease).toList();
        if (leases.isEmpty()) {
            return;
        }
        try {
            Set<JobId> lost = database.call("lease renewal",
                    () -> store.renewLeases(leases, config.leaseDuration().toMillis()));
            for (JobId id : lost) {
                Execution execution = running.get(id);
                if (execution == null) {
                    continue;
                }
                execution.markLeaseLost();
                if (execution.settle()) {
                    LOG.warning(() -> execution + ": lease lost (cancelled, rescued or taken over); asking the handler "
                            + "to stop");
                    abandon(execution, StopReason.LEASE_LOST);
                    finish(execution);
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "node " + node.owner() + ": lease renewal of " + leases.size() + " job(s) failed: "
                    + e.getMessage(), e instanceof QueueUnavailableException ? null : e);
        }
    }

    /**
     * A job running here was cancelled: stop its handler now and free its slot. The database already says
     * CANCELLED, so whatever the handler returns is refused by the fence.
     */
    public void cancelled(JobId id) {
        Execution execution = running.get(id);
        if (execution != null && execution.settle()) {
            abandon(execution, StopReason.CANCELLED);
            finish(execution);
        }
    }

    /**
     * RUNNING -> SCHEDULED without charging the attempt, up to {@code dukequeue.release.max} times per job; past that
     * the release charges the attempt (retry after a backoff, or DEAD_LETTER on the last attempt).
     */
    private boolean release(Execution execution, String reason) {
        ReleaseOutcome outcome = database.call("release of " + execution.jobId(), () -> store.release(
                execution.lease(), reason, config.releaseMax(), backoff::delayMs));
        ClaimedJob job = execution.job;
        switch (outcome) {
            case RELEASED -> {
                releases.incrementAndGet();
                LOG.info(() -> execution + ": RUNNING -> SCHEDULED (released, attempt not charged): " + reason);
            }
            case CHARGED_RETRY, CHARGED_DEAD_LETTER -> {
                boolean dead = outcome == ReleaseOutcome.CHARGED_DEAD_LETTER;
                JobLog.log(LOG, Level.WARNING, JobLog.fields(execution.jobId(), job.type(), job.queue(), node.owner(),
                        dead ? JobEvent.EXHAUST.name() : JobEvent.FAIL_RETRYABLE.name(), job.attempt()),
                        () -> execution + ": released more than dukequeue.release.max=" + config.releaseMax()
                                + " times without finishing; this attempt is charged (" + (dead ? "DEAD_LETTER"
                                : "retried after a backoff") + "): " + reason, null);
                metrics.executed(job.queue(), execution.elapsed());
                metrics.failed(job.queue(), ErrorCategory.SYSTEM, !dead, dead);
            }
            case LEASE_LOST -> LOG.warning(() -> execution + ": release refused, the lease was lost first; nothing to"
                    + " give back");
        }
        return outcome.written();
    }

    /** Settled by someone other than its worker: interrupt the handler; its thread counts as abandoned until it returns. */
    private void abandon(Execution execution, StopReason reason) {
        abandonedThreads.incrementAndGet();
        execution.requestStop(reason, true);
    }

    private void finish(Execution execution) {
        if (execution.timeout != null) {
            execution.timeout.cancel(false);
        }
        if (running.remove(execution.jobId(), execution)) {
            releaseSlot(execution);
        }
        wake();
    }

    /** Frees the execution's worker slot, once (at completion hand-off or at finish, whichever is first). */
    private void releaseSlot(Execution execution) {
        if (execution.releaseSlot()) {
            slots.release();
            wake();
        }
    }

    /** Shutdown, first phase: no more claims. Running jobs go on. */
    public void stopClaiming() {
        if (!started) {
            return;
        }
        claiming = false;
        wake();
        try {
            loop.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Shutdown, second phase: asks every running handler to stop ({@link StopReason#SHUTDOWN} in its context) and waits
     * up to {@code drain} for them to end; interrupts those still running and waits up to
     * {@code dukequeue.shutdown.interrupt-grace.ms} more. A job whose handler ended went through its worker's own path
     * (completed, failed, or released without charging its attempt, up to {@code dukequeue.release.max} times). A job
     * whose handler has not ended is left RUNNING under its lease and never released, so that no other node runs it
     * while this handler still does (see {@link Drain}).
     *
     * @return how many jobs finished, were released, and were left under their lease
     */
    public DrainReport drain(Duration drain) {
        if (!started) {
            return new DrainReport(0, 0, 0, 0);
        }
        return new Drain(running.values(), this::awaitFinish, this::leaveUnderLease, releases::get, node.owner())
                .run(drain, config.interruptGrace());
    }

    private void awaitFinish(long nanos) throws InterruptedException {
        synchronized (signal) {
            TimeUnit.NANOSECONDS.timedWait(signal, nanos); // finish() wakes it
        }
    }

    /** The drain settled it, its handler still running: out of running, so the heartbeat no longer renews its lease. */
    private void leaveUnderLease(Execution execution) {
        abandon(execution, StopReason.SHUTDOWN);
        finish(execution);
    }

    /** Shutdown, last phase: stops the worker and scheduler threads. */
    public void close() {
        if (!started) {
            return;
        }
        started = false;
        for (Thread writer : completionWriters) {
            try {
                writer.join(5_000); // they leave once nothing is waiting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            writer.interrupt();
        }
        scheduler.shutdownNow();
        workers.shutdownNow();
    }

    /** @return how many jobs this node holds: running handlers, and finished ones whose outcome is being written */
    public int runningCount() {
        return running.size();
    }

    /** @return worker slots in use (handlers running; a handler that returned frees its slot at once) */
    public int busySlots() {
        Semaphore s = slots;
        return s == null ? 0 : Math.max(0, config.workers() - s.availablePermits());
    }

    /** @return ids of the jobs this node is running */
    public Set<JobId> runningJobs() {
        return running.keySet().stream().collect(Collectors.toUnmodifiableSet());
    }

    /** @return handler threads that were abandoned (timeout, lost lease, cancel) and have not returned */
    public long abandonedThreads() {
        return abandonedThreads.get();
    }

    /** @return true while the dispatcher claims work */
    public boolean isClaiming() {
        return claiming;
    }

    /**
     * What a drain did.
     *
     * @param inFlight       jobs running when it began
     * @param completed      jobs whose outcome was written during it (completed, failed, or released and charged)
     * @param released       jobs given back without charging their attempt
     * @param leftUnderLease jobs left RUNNING under this node's lease: handlers that did not end after the interrupt,
     *                       and outcomes not written yet; taken back once the lease expires
     */
    public record DrainReport(int inFlight, int completed, int released, int leftUnderLease) {
    }
}
