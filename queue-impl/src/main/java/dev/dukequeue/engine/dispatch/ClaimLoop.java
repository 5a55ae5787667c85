package dev.dukequeue.engine.dispatch;

import dev.dukequeue.QueueUnavailableException;
import dev.dukequeue.engine.config.EngineConfig;
import dev.dukequeue.engine.job.ClaimedJob;
import dev.dukequeue.engine.node.EngineStatus;
import dev.dukequeue.engine.observe.EngineMetrics;
import dev.dukequeue.engine.database.DatabaseGuard;
import dev.dukequeue.engine.store.ClaimFloor;
import dev.dukequeue.engine.store.JdbcJobStore;
import dev.dukequeue.engine.database.JobNotifications;
import dev.dukequeue.engine.database.LocalTransactions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The dispatcher thread: claims at most as many due jobs as there are free worker slots, in one statement, and hands
 * each to the launcher. It claims again at once after a full batch, and otherwise waits until it is woken (a local
 * submission committed, a slot freed, a PostgreSQL {@code NOTIFY}) or the poll interval passed (jobs submitted on
 * other nodes, delays and backoffs coming due). While the database circuit is open it pauses for the breaker's delay;
 * after any other failure it backs off exponentially, up to 30 s. Its claims read the claim index from a
 * {@link ClaimFloor}: what wakes it also says when a claim must read from the index's start.
 */
final class ClaimLoop {

    private static final Logger LOG = Logger.getLogger(ClaimLoop.class.getName());
    private static final int NOTHING_TO_ANNOUNCE = Integer.MAX_VALUE;

    private final DatabaseGuard database;
    private final LocalTransactions local;
    private final JdbcJobStore direct;
    private final EngineConfig config;
    private final String owner;
    private final Supplier<Set<String>> types;
    private final Supplier<Map<String, String>> onlyQueues;
    private final EngineStatus status;
    private final WorkerSlots slots;
    private final Consumer<ClaimedJob> launch;
    private final ClaimFloor floor;
    private final EngineMetrics metrics;
    private volatile boolean claiming;
    /** The most urgent priority submitted here since the loop's last turn, {@link #NOTHING_TO_ANNOUNCE} if none. */
    private final AtomicInteger announce = new AtomicInteger(NOTHING_TO_ANNOUNCE);
    private Thread loop;
    private Thread listener;

    /**
     * @param local  the pool's connections outside JTA: a claim is one statement, in auto-commit mode
     * @param direct the store on those connections
     * @param types  the job types this node has handlers for
     * @param onlyQueues per type whose handler takes jobs from one queue only, that queue
     * @param launch starts a claimed job on a worker; its slot is already taken
     * @param metrics counts the claims by result
     */
    ClaimLoop(DatabaseGuard database, LocalTransactions local, JdbcJobStore direct, EngineConfig config, String owner,
            Supplier<Set<String>> types, Supplier<Map<String, String>> onlyQueues, EngineStatus status,
            WorkerSlots slots, Consumer<ClaimedJob> launch, EngineMetrics metrics) {
        this.database = database;
        this.local = local;
        this.direct = direct;
        this.config = config;
        this.owner = owner;
        this.types = types;
        this.onlyQueues = onlyQueues;
        this.status = status;
        this.slots = slots;
        this.launch = launch;
        this.floor = new ClaimFloor(config.pollInterval());
        this.metrics = metrics;
    }

    /** Starts the loop, and the listener when the database sends notifications (else {@code notifications} is null). */
    void start(java.util.concurrent.ThreadFactory threadFactory, JobNotifications notifications) {
        claiming = true;
        if (notifications != null) {
            listener = threadFactory.newThread(() -> listen(notifications));
            listener.setName("dukequeue-listener");
            listener.start();
        }
        loop = threadFactory.newThread(this::run);
        loop.setName("dukequeue-dispatcher");
        loop.start();
    }

    boolean claiming() {
        return claiming;
    }

    /**
     * Jobs were stored and committed here: the loop wakes, and after its next claim tells the other nodes
     * ({@link JdbcJobStore#announceSubmitted}), one notification for all the commits since its last turn. Cheap; safe
     * from any thread (a transaction's completion included).
     *
     * @param priority the most urgent priority among them ({@link ClaimFloor#submitted})
     */
    void announce(int priority) {
        floor.submitted(priority);
        announce.accumulateAndGet(priority, Math::min);
        slots.wake();
    }

    /** Jobs may have become claimable under the claim floor (re-drive, resume, handlers added): wakes the loop. */
    void rescan() {
        floor.reset();
        slots.wake();
    }

    /** No more claims: the loop ends its turn and leaves (waited for up to 10 s). */
    void stop() {
        claiming = false;
        slots.wake();
        try {
            loop.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        long failures = 0;
        while (claiming) {
            status.dispatcherTick();
            try {
                int want = Math.min(slots.free(), config.claimBatch());
                List<ClaimedJob> jobs = want > 0
                        ? database.call("claim", () -> local.withAutoCommit(() -> direct.claim(owner, types.get(), want,
                                config.leaseDuration().toMillis(), freePerLimitedQueue(), onlyQueues.get(), floor)))
                        : List.of();
                failures = 0;
                if (want > 0) {
                    metrics.claimRound(want, jobs.size());
                }
                for (ClaimedJob job : jobs) {
                    // Only this thread acquires, so the permits counted above are still there.
                    slots.acquire();
                    launch.accept(job);
                }
                // After this node's own claim: telling the other nodes is not on the path of the jobs it just took.
                int announced = announce.getAndSet(NOTHING_TO_ANNOUNCE);
                if (announced != NOTHING_TO_ANNOUNCE) {
                    announceSubmitted(announced);
                }
                if (want > 0 && jobs.size() == want) {
                    continue; // a full batch: more may be due right now
                }
                slots.awaitWake(config.pollInterval().toMillis(), this::claiming);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (QueueUnavailableException e) {
                // The circuit is open: claiming pauses; the next try after the breaker's delay is its trial call.
                pause(e.retryAfter().toMillis());
            } catch (RuntimeException e) {
                failures++;
                long pause = Math.min(config.pollInterval().toMillis() << Math.min(failures, 6), 30_000);
                LOG.log(Level.WARNING, "node " + owner + ": claiming failed (" + failures
                        + " in a row), next try in " + pause + " ms: " + e.getMessage(), failures == 1 ? e : null);
                pause(pause);
            }
        }
    }

    /** Only a wake-up for the other nodes (they poll anyway): a failure is logged, never retried or counted. */
    private void announceSubmitted(int priority) {
        try {
            local.withAutoCommit(() -> {
                direct.announceSubmitted(priority);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.fine(() -> "node " + owner + ": stored jobs not announced to the other nodes: " + e.getMessage());
        }
    }

    private void pause(long millis) {
        try {
            slots.awaitWake(millis, this::claiming);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            claiming = false;
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
                    int priority = notifications.await(1000);
                    if (priority != JobNotifications.NONE) {
                        floor.submitted(priority); // another node's (or this one's) submissions
                        slots.wake();
                    }
                    failures = 0;
                } catch (RuntimeException e) {
                    failures++;
                    if (failures == 1) {
                        LOG.warning(() -> "node " + owner + ": not listening for new jobs (" + e.getMessage()
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
        Map<String, Integer> free = new HashMap<>(limits);
        for (Execution e : slots.executions()) {
            free.computeIfPresent(e.job.queue(), (q, n) -> n - 1);
        }
        return free;
    }
}
