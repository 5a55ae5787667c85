package dev.dukequeue.engine.lease;

import dev.dukequeue.ErrorCategory;
import dev.dukequeue.JobState;
import dev.dukequeue.QueueUnavailableException;
import dev.dukequeue.engine.config.EngineConfig;
import dev.dukequeue.engine.job.OutcomePolicy;
import dev.dukequeue.engine.observe.EngineMetrics;
import dev.dukequeue.engine.observe.JobLog;
import dev.dukequeue.engine.database.DatabaseGuard;
import dev.dukequeue.engine.store.JdbcJobStore;
import dev.dukequeue.engine.store.RescuedJob;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Finds RUNNING jobs whose lease expired and takes them back: SCHEDULED with the attempt counted and a backoff, or
 * DEAD_LETTER when no attempts remain. Every node runs it; {@code FOR UPDATE SKIP LOCKED} keeps two rescuers from
 * taking the same job, and the lease fence keeps a rescuer from overwriting an outcome that landed first.
 *
 * <p>Woken by the housekeeping timer ({@code engine.upkeep.Housekeeping}, every {@code dukequeue.rescuer.interval.ms}):
 * the timer only wakes the rescuer, the database decides what is expired (by its own clock), so nothing is lost when a
 * node restarts and nothing needs cluster-wide timer coordination.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class JobRescuer {

    private static final Logger LOG = Logger.getLogger(JobRescuer.class.getName());
    private static final int BATCH = 100;

    @Inject
    JdbcJobStore store;

    @Inject
    DatabaseGuard database;

    @Inject
    EngineConfig config;

    @Inject
    EngineMetrics metrics;

    /** Tells the application that jobs ended (CDI); a hand-built engine tells nobody. */
    @Inject
    dev.dukequeue.engine.observe.JobEndings endings = dev.dukequeue.engine.observe.JobEndings.none();

    /** This node, which writes the rescues (null in a hand-built engine, which tells nobody of them). */
    @Inject
    dev.dukequeue.engine.node.NodeIdentity node;

    /** For the container. */
    public JobRescuer() {
    }

    /** Outside the container (the hand-built engine). */
    public JobRescuer(JdbcJobStore store, DatabaseGuard database, EngineConfig config, EngineMetrics metrics) {
        this.store = store;
        this.database = database;
        this.config = config;
        this.metrics = metrics;
    }

    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicLong rescuedTotal = new AtomicLong();
    private volatile OutcomePolicy policy;

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
            OutcomePolicy retries = policy();
            List<RescuedJob> batch;
            do {
                batch = database.call("rescue", () -> store.rescueExpiredLeases(BATCH, retries::retryDelayMs,
                        config.poisonLeaseLosses()));
                metrics.stuckDetected(batch.size());
                for (RescuedJob r : batch) {
                    metrics.failed(r.queue(), ErrorCategory.SYSTEM, r.newState() == JobState.SCHEDULED,
                            r.newState() == JobState.DEAD_LETTER);
                    endings.ended(r.id(), r.type(), r.queue(), r.newState(), r.attempt(),
                            node == null ? r.lostOwner() : node.owner(),
                            ErrorCategory.SYSTEM, r.message());
                    JobLog.log(LOG, r.poisoned() ? Level.SEVERE : Level.WARNING,
                            JobLog.fields(r.id(), null, r.queue(), r.lostOwner(),
                                    r.newState() == JobState.SCHEDULED ? "RESCUE" : "RESCUE_EXHAUSTED", null),
                            () -> "job " + r.id() + ": RUNNING -> " + r.newState() + " (lease of node " + r.lostOwner()
                                    + " expired" + (r.poisoned() ? "; poison pill, dead-lettered" : "") + ")", null);
                }
                total += batch.size();
            } while (batch.size() == BATCH);
            rescuedTotal.addAndGet(total);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "rescuer: " + e.getMessage(), e instanceof QueueUnavailableException ? null : e);
        } finally {
            busy.set(false);
        }
        return total;
    }

    /** Built at the first rescue, once start-up has checked the settings. */
    private OutcomePolicy policy() {
        OutcomePolicy p = policy;
        if (p == null) {
            p = OutcomePolicy.withJitter(config.backoffBase(), config.backoffMax());
            policy = p;
        }
        return p;
    }

    /** @return jobs rescued by this node since start */
    public long rescuedTotal() {
        return rescuedTotal.get();
    }
}
