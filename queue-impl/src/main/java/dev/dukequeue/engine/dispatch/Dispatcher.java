package dev.dukequeue.engine.dispatch;

import dev.dukequeue.JobId;
import dev.dukequeue.StopReason;
import dev.dukequeue.engine.config.EngineConfig;
import dev.dukequeue.engine.config.EngineJobs;
import dev.dukequeue.engine.job.OutcomePolicy;
import dev.dukequeue.engine.lease.LeaseKeeper;
import dev.dukequeue.engine.node.EngineStatus;
import dev.dukequeue.engine.node.NodeIdentity;
import dev.dukequeue.engine.observe.EngineMetrics;
import dev.dukequeue.engine.database.DatabaseGuard;
import dev.dukequeue.engine.store.JdbcJobStore;
import dev.dukequeue.engine.database.LocalTransactions;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Claims due jobs and runs them: the engine's one entry to running work, and the lives of its executions. The parts:
 * <ul>
 * <li>{@link ClaimLoop}: one dispatcher thread claims at most as many jobs as there are free {@link WorkerSlots}, in
 * one statement, woken at once when a local submission commits ({@link #wake()}) or a slot frees up, and polling every
 * {@code dukequeue.poll.interval.ms} otherwise;</li>
 * <li>here: each job runs on a container-managed worker thread ({@link Execution}, {@link JobHandlers}); a
 * scheduler thread enforces execution timeouts and runs the heartbeat ({@link LeaseKeeper});</li>
 * <li>{@link CompletionWriter}: the outcomes of handlers that returned, written in group commits;</li>
 * <li>{@link OutcomeRecorder}: failures, timeouts and releases, decided by the {@link OutcomePolicy}, and every write
 * the database could not take yet, retried while the lease lasts;</li>
 * <li>{@link Drain}: the shutdown's drain.</li>
 * </ul>
 *
 * <p>Every outcome goes through the store's lease fence: an outcome arriving after the lease was lost (timeout,
 * cancel, rescue) changes nothing and is logged as discarded. Every store call goes through the {@link DatabaseGuard}:
 * while its circuit is open the dispatcher stops claiming, and an outcome that cannot be written keeps its lease
 * (heartbeats go on) and is written as soon as the database answers, while the lease lasts.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class.getName());

    @Inject
    JdbcJobStore store;

    @Inject
    EngineMetrics metrics;

    @Inject
    DatabaseGuard database;

    /** The handlers: CDI's {@link HandlerRegistry} (see {@link #handlers}), or a hand-built host's. */
    JobHandlers registry;

    @Inject
    EngineConfig config;

    @Inject
    NodeIdentity node;

    @Inject
    EngineStatus status;

    @Resource
    ManagedThreadFactory threadFactory;

    /** Tells the application that jobs ended (CDI); a hand-built engine tells nobody. */
    @Inject
    dev.dukequeue.engine.observe.JobEndings endings = dev.dukequeue.engine.observe.JobEndings.none();

    @Resource(lookup = "java:app/jdbc/dukequeue")
    javax.sql.DataSource dataSource;

    /** A hand-built host's threads; null under CDI ({@link #threadFactory}). */
    private ThreadFactory threads;
    /** Types being drained ({@link #drain(Set, Duration)}): not claimed meanwhile, whatever the handlers say. */
    private final Set<String> draining = ConcurrentHashMap.newKeySet();

    /** For CDI. */
    public Dispatcher() {
    }

    /**
     * Outside CDI (the hand-built engine of a resource adapter).
     *
     * @param threads    makes every thread of the dispatcher (the host's: a WorkManager's, for instance)
     * @param dataSource the server's data source, for the claims' and completion batches' local transactions
     */
    public Dispatcher(JdbcJobStore store, EngineMetrics metrics, DatabaseGuard database, JobHandlers handlers,
            EngineConfig config, NodeIdentity node, EngineStatus status, ThreadFactory threads,
            javax.sql.DataSource dataSource) {
        this.store = store;
        this.metrics = metrics;
        this.database = database;
        this.registry = handlers;
        this.config = config;
        this.node = node;
        this.status = status;
        this.threads = threads;
        this.dataSource = dataSource;
    }

    /** CDI: the handlers are the registry's beans (injected by its class, so no other JobHandlers can stand in). */
    @Inject
    void handlers(HandlerRegistry registry) {
        this.registry = registry;
    }

    private ThreadFactory threads() {
        return threads != null ? threads : threadFactory;
    }

    /**
     * @return the types to claim now: the handlers', less those being drained; on an admin node only the engine's own
     *         ({@link EngineJobs}), whose claim loop still turns to announce its submissions to the workers
     */
    private Set<String> claimable() {
        Set<String> types = registry.types();
        if (!config.runsJobs()) {
            Set<String> own = new java.util.HashSet<>(types);
            own.retainAll(EngineJobs.ALL);
            types = own;
        }
        if (draining.isEmpty()) {
            return types;
        }
        Set<String> left = new java.util.HashSet<>(types);
        left.removeAll(draining);
        return left;
    }

    private final WorkerSlots slots = new WorkerSlots();
    private volatile boolean started;
    private OutcomeRecorder recorder;
    private volatile Executions executions;
    private CompletionWriter completions;
    private ClaimLoop claims;
    private ExecutorService workers;
    private ScheduledExecutorService scheduler;

    /** Starts claiming. Called once by the engine's start-up, after recovery. */
    public synchronized void start() {
        // Claims and completion batches: the store on the pool's connections outside JTA, for claims in auto-commit
        // mode (a claim is one statement), for completion batches in local JDBC transactions (LocalTransactions).
        LocalTransactions local = new LocalTransactions(dataSource);
        JdbcJobStore direct = new JdbcJobStore(local);
        slots.open(config.workers());
        // Unbounded threads, bounded by the slots: a hung handler keeps its thread, never a slot.
        workers = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), threads());
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, threads());
        timers.setRemoveOnCancelPolicy(true);
        scheduler = timers;
        String owner = node.owner();
        recorder = new OutcomeRecorder(store, database, metrics, config,
                OutcomePolicy.withJitter(config.backoffBase(), config.backoffMax()), owner, slots, scheduler,
                () -> started, endings);
        completions = new CompletionWriter(database, local, direct, recorder, slots, Math.max(64, 4 * config.workers()),
                () -> started);
        Executions running = new Executions(registry, type -> !draining.contains(type) && registry.runs(type), slots,
                recorder, completions, new StoreProgressSink(store, database, config.payloadMaxBytes()), metrics,
                scheduler, workers, owner);
        executions = running;
        LeaseKeeper leases = new LeaseKeeper(store, database, config.leaseDuration(), owner,
                () -> slots.executions().stream().map(Execution::lease).toList(), running::leaseLost);
        long heartbeat = config.heartbeatInterval().toMillis();
        scheduler.scheduleWithFixedDelay(leases::renew, heartbeat, heartbeat, TimeUnit.MILLISECONDS);
        claims = new ClaimLoop(database, local, direct, config, owner, this::claimable, registry::onlyQueues, status,
                slots, running::launch, metrics);
        started = true;
        completions.start(threads(), config.completionWriters());
        claims.start(threads(), store.notifications());
        LOG.info(() -> "dispatcher on node " + owner + " started: " + (config.runsJobs() ? config.workers()
                + " workers, types " + registry.types() : "an admin node, claims only the engine's own " + EngineJobs.ALL));
    }

    /**
     * Jobs were submitted and committed on this node: wakes the claim loop and has it tell the other nodes (PostgreSQL
     * {@code NOTIFY}, coalesced). Cheap; safe from any thread.
     *
     * @param priority the most urgent priority among them (a more urgent one than the claims' floor has the next claim
     *                 read from the start of the claim index: see {@link dev.dukequeue.engine.store.ClaimFloor})
     */
    public void announce(int priority) {
        ClaimLoop c = claims;
        if (c != null) {
            c.announce(priority);
        } else {
            slots.wake();
        }
    }

    /** Jobs of unknown priorities were committed on this node (recurring firings): {@link #announce(int)} of 0. */
    public void announce() {
        announce(0);
    }

    /**
     * Wakes the claim loop now, its next claim reading from the start of the claim index: jobs may have become
     * claimable behind the claims' floor (a re-drive, a queue resumed or its limit changed, handlers added). Cheap;
     * safe from any thread.
     */
    public void wake() {
        ClaimLoop c = claims;
        if (c != null) {
            c.rescan();
        } else {
            slots.wake();
        }
    }

    /**
     * A job running here was cancelled: stop its handler now and free its slot. The database already says
     * CANCELLED, so whatever the handler returns is refused by the fence.
     */
    public void cancelled(JobId id) {
        Executions e = executions;
        if (e != null) {
            e.cancelled(id);
        }
    }

    /** Shutdown, first phase: no more claims. Running jobs go on. */
    public void stopClaiming() {
        if (!started) {
            return;
        }
        claims.stop();
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
        return new Drain(slots.executions(), slots::awaitFinish, this::leaveUnderLease, recorder::releases,
                node.owner()).run(drain, config.interruptGrace());
    }

    /**
     * Drains only the jobs of the given types, as {@link #drain(Duration)} drains all (stop request, wait, interrupt,
     * release without charging; a handler that ignores the interrupt leaves its job under its lease), while the jobs
     * of other types keep running and being claimed. For a host whose handlers of some types go away while the node
     * runs (a message endpoint deactivated when its application is undeployed). The types are not claimed during the
     * drain; the caller removes them from the {@link JobHandlers} first, else they are claimed again after it.
     *
     * @return what the drain did to the jobs of those types
     */
    public DrainReport drain(Set<String> types, Duration drain) {
        if (!started || types.isEmpty()) {
            return new DrainReport(0, 0, 0, 0);
        }
        Set<String> drained = Set.copyOf(types);
        draining.addAll(drained);
        try {
            return new Drain(slots.executionsOf(drained), slots::awaitFinish, this::leaveUnderLease, () -> recorder.releases(drained),
                    node.owner()).run(drain, config.interruptGrace());
        } finally {
            draining.removeAll(drained);
        }
    }

    /** The drain settled it, its handler still running: out of running, so the heartbeat no longer renews its lease. */
    private void leaveUnderLease(Execution execution) {
        slots.abandon(execution, StopReason.SHUTDOWN);
        slots.finish(execution);
    }

    /** Shutdown, last phase: stops the worker and scheduler threads. */
    public void close() {
        if (!started) {
            return;
        }
        started = false;
        completions.close();
        scheduler.shutdownNow();
        workers.shutdownNow();
    }

    /** @return how many jobs this node holds: running handlers, and finished ones whose outcome is being written */
    public int runningCount() {
        return slots.size();
    }

    /** @return worker slots in use (handlers running; a handler that returned frees its slot at once) */
    public int busySlots() {
        return slots.busy();
    }

    /** @return ids of the jobs this node is running */
    public Set<JobId> runningJobs() {
        return slots.ids();
    }

    /** @return handler threads that were abandoned (timeout, lost lease, cancel) and have not returned */
    public long abandonedThreads() {
        return slots.abandonedThreads();
    }

    /** @return true while the dispatcher claims work */
    public boolean isClaiming() {
        ClaimLoop c = claims;
        return c != null && c.claiming();
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
