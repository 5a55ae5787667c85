package dev.dukequeue.engine.lease;

import dev.dukequeue.engine.config.EngineConfig;
import dev.dukequeue.engine.retry.BackoffPolicy;
import dev.dukequeue.engine.database.DatabaseGuard;
import dev.dukequeue.engine.store.JdbcJobStore;
import dev.dukequeue.engine.store.RescuedJob;
import jakarta.annotation.Resource;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.Timeout;
import jakarta.ejb.Timer;
import jakarta.ejb.TimerConfig;
import jakarta.ejb.TimerService;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Finds RUNNING jobs whose lease expired and takes them back: SCHEDULED with the attempt counted and a backoff, or
 * DEAD_LETTER when no attempts remain. Every node runs it; {@code FOR UPDATE SKIP LOCKED} keeps two rescuers from
 * taking the same job, and the lease fence keeps a rescuer from overwriting an outcome that landed first.
 *
 * <p>Driven by a non-persistent EJB timer: the timer only wakes the rescuer, the database decides what is expired
 * (by its own clock), so nothing is lost when a node restarts and nothing needs cluster-wide timer coordination.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class JobRescuer {

    private static final Logger LOG = Logger.getLogger(JobRescuer.class.getName());
    private static final int BATCH = 100;

    @Resource
    TimerService timerService;

    @Inject
    JdbcJobStore store;

    @Inject
    DatabaseGuard database;

    @Inject
    EngineConfig config;

    @Inject
    dev.dukequeue.engine.lifecycle.NodeRegistry nodes;

    @Inject
    dev.dukequeue.engine.observe.EngineMetrics metrics;

    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicLong rescuedTotal = new AtomicLong();
    private volatile BackoffPolicy backoff;
    private volatile Timer timer;

    /** Starts the periodic rescue. */
    public void start() {
        backoff = new BackoffPolicy(config.backoffBase(), config.backoffMax(), () -> ThreadLocalRandom.current().nextDouble());
        long interval = config.rescuerInterval().toMillis();
        timer = timerService.createIntervalTimer(interval, interval, new TimerConfig("dukequeue-rescuer", false));
    }

    /** Stops the periodic rescue. */
    public void stop() {
        Timer t = timer;
        timer = null;
        if (t != null) {
            try {
                t.cancel();
            } catch (RuntimeException e) {
                LOG.fine(() -> "rescuer timer already gone: " + e);
            }
        }
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void onTimer(Timer t) {
        rescueNow();
        settleDependencies();
        refreshDepths();
        nodes.beat();
    }

    /** The metrics' queue depth snapshot: one grouped query over the active jobs per interval. */
    private void refreshDepths() {
        try {
            metrics.depths(database.call("queue depths", () -> store.activeCounts()), nodes.depthReporter());
        } catch (RuntimeException e) {
            LOG.fine(() -> "queue depths: " + e);
        }
    }

    /**
     * The dependency sweep (playbook 6): dead-letters PENDING jobs whose lifetime ran out, and settles PENDING jobs
     * whose dependencies ended while their submission was still uncommitted.
     *
     * @return how many jobs changed
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public int settleDependencies() {
        int changed = 0;
        try {
            List<?> expired;
            do {
                expired = database.call("pending-job expiry", () -> store.expirePending(BATCH));
                changed += expired.size();
            } while (expired.size() == BATCH);
            changed += database.call("dependency repair", () -> store.repairDependencies(BATCH));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "dependency sweep: " + e.getMessage(),
                    e instanceof dev.dukequeue.QueueUnavailableException ? null : e);
        }
        return changed;
    }

    /**
     * Rescues every job whose lease has expired now.
     *
     * @return how many were rescued
     */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public int rescueNow() {
        if (!busy.compareAndSet(false, true)) {
            return 0; // the previous run is still going
        }
        int total = 0;
        try {
            List<RescuedJob> batch;
            do {
                batch = database.call("rescue", () -> store.rescueExpiredLeases(BATCH, backoff::delayMs,
                        config.poisonLeaseLosses()));
                metrics.stuckDetected(batch.size());
                for (RescuedJob r : batch) {
                    metrics.failed(r.queue(), dev.dukequeue.ErrorCategory.SYSTEM,
                            r.newState() == dev.dukequeue.JobState.SCHEDULED,
                            r.newState() == dev.dukequeue.JobState.DEAD_LETTER);
                    dev.dukequeue.engine.observe.JobLog.log(LOG, r.poisoned() ? Level.SEVERE : Level.WARNING,
                            dev.dukequeue.engine.observe.JobLog.fields(r.id(), null, r.queue(), r.lostOwner(),
                                    r.newState() == dev.dukequeue.JobState.SCHEDULED ? "RESCUE" : "RESCUE_EXHAUSTED", null),
                            () -> "job " + r.id() + ": RUNNING -> " + r.newState() + " (lease of node " + r.lostOwner()
                                    + " expired" + (r.poisoned() ? "; poison pill, dead-lettered" : "") + ")", null);
                }
                total += batch.size();
            } while (batch.size() == BATCH);
            rescuedTotal.addAndGet(total);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "rescuer: " + e.getMessage(), e instanceof dev.dukequeue.QueueUnavailableException ? null : e);
        } finally {
            busy.set(false);
        }
        return total;
    }

    /** @return jobs rescued by this node since start */
    public long rescuedTotal() {
        return rescuedTotal.get();
    }
}
