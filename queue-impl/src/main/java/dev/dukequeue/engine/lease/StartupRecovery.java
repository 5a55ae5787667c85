package dev.dukequeue.engine.lease;

import dev.dukequeue.JobState;
import dev.dukequeue.engine.config.EngineConfig;
import dev.dukequeue.engine.job.OutcomePolicy;
import dev.dukequeue.engine.node.EngineStatus;
import dev.dukequeue.engine.node.NodeIdentity;
import dev.dukequeue.engine.observe.EngineMetrics;
import dev.dukequeue.engine.observe.JobLog;
import dev.dukequeue.engine.store.JdbcJobStore;
import dev.dukequeue.engine.store.RescuedJob;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Start-up recovery (playbook 1, 2 and 7): the jobs this node was running when an earlier incarnation of it died are
 * reclaimed now, before it claims anything, not after their leases expire. They are matched by the node's name in
 * their lease owner ({@code name#incarnation}) and taken back like a rescue: SCHEDULED with the attempt counted and a
 * backoff, or DEAD_LETTER when no attempts remain or the job is a poison pill.
 *
 * <p>Run once by the engine's start-up thread, after the migrations, straight on the store: start-up waits for the
 * database itself, so the guard's circuit is not involved.
 */
@ApplicationScoped
public class StartupRecovery {

    private static final Logger LOG = Logger.getLogger(StartupRecovery.class.getName());
    private static final int RECOVERY_BATCH = 500;

    @Inject
    JdbcJobStore store;

    @Inject
    NodeIdentity node;

    @Inject
    EngineConfig config;

    @Inject
    EngineStatus status;

    @Inject
    EngineMetrics metrics;

    /** Tells the application that jobs ended (CDI); a hand-built engine tells nobody. */
    @Inject
    dev.dukequeue.engine.observe.JobEndings endings = dev.dukequeue.engine.observe.JobEndings.none();

    /** For CDI. */
    public StartupRecovery() {
    }

    /** Outside CDI (the hand-built engine). */
    public StartupRecovery(JdbcJobStore store, NodeIdentity node, EngineConfig config, EngineStatus status,
            EngineMetrics metrics) {
        this.store = store;
        this.node = node;
        this.config = config;
        this.status = status;
        this.metrics = metrics;
    }

    /** @return how many jobs were reclaimed */
    public long recoverEarlierIncarnations() {
        OutcomePolicy policy = OutcomePolicy.withJitter(config.backoffBase(), config.backoffMax());
        long total = 0;
        List<RescuedJob> batch;
        do {
            batch = store.reclaimEarlierIncarnations(node.name(), node.owner(), RECOVERY_BATCH, policy::retryDelayMs,
                    config.poisonLeaseLosses());
            for (RescuedJob r : batch) {
                Level level = r.poisoned() ? Level.SEVERE : Level.WARNING;
                JobLog.log(LOG, level, JobLog.fields(r.id(), null, r.queue(), r.lostOwner(),
                        r.newState() == JobState.SCHEDULED ? "RESCUE" : "RESCUE_EXHAUSTED", null),
                        () -> "job " + r.id() + ": RUNNING -> " + r.newState() + " (start-up recovery: node "
                                + r.lostOwner() + " died while running it"
                                + (r.poisoned() ? "; poison pill, dead-lettered" : "") + ")", null);
                endings.ended(r.id(), r.type(), r.queue(), r.newState(), r.attempt(), node.owner(),
                        dev.dukequeue.ErrorCategory.SYSTEM, r.message());
            }
            total += batch.size();
        } while (batch.size() == RECOVERY_BATCH);
        status.reclaimedAtStartup(total);
        metrics.reclaimed(total);
        long reclaimed = total;
        LOG.info(() -> "Recovery completed, " + reclaimed + " jobs reclaimed (node " + node.name() + ", incarnation "
                + node.incarnation() + ")");
        return total;
    }
}
