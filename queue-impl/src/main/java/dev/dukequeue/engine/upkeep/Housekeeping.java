package dev.dukequeue.engine.upkeep;

import dev.dukequeue.engine.config.EngineConfig;
import dev.dukequeue.engine.lease.JobRescuer;
import dev.dukequeue.engine.node.NodeRegistry;
import dev.dukequeue.engine.observe.EngineMetrics;
import dev.dukequeue.engine.database.DatabaseGuard;
import dev.dukequeue.engine.store.JdbcJobStore;
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
import java.util.logging.Logger;

/**
 * The node's housekeeping timer: every {@code dukequeue.rescuer.interval.ms}, in this order, the rescue of expired
 * leases ({@link JobRescuer}), the dependency sweep ({@link DependencySweep}), the queue-depth snapshot of the metrics
 * and the node's heartbeat row ({@link NodeRegistry#beat()}). Each is best effort: a failure is logged and the next
 * tick tries again.
 *
 * <p>A non-persistent EJB interval timer on every node: it only wakes the work, the database decides what is due (by
 * its own clock), so nothing is lost when a node restarts and nothing needs cluster-wide timer coordination.
 * Bean-managed concurrency: a tick that outlasts the interval does not hold the next one back (the rescue skips a
 * tick while the previous one still runs).
 *
 * <p>In a host without an EJB container (the hand-built engine of a resource adapter) the host's {@link Timers} wake
 * {@link #tick()} instead of the EJB timer.
 */
@Singleton
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class Housekeeping {

    private static final Logger LOG = Logger.getLogger(Housekeeping.class.getName());

    @Resource
    TimerService timerService;

    @Inject
    JobRescuer rescuer;

    @Inject
    DependencySweep dependencies;

    @Inject
    NodeRegistry nodes;

    @Inject
    JdbcJobStore store;

    @Inject
    DatabaseGuard database;

    @Inject
    EngineConfig config;

    @Inject
    EngineMetrics metrics;

    private volatile Timer timer;

    /** A host's periodic timers (a resource adapter's BootstrapContext timer, for instance). */
    @FunctionalInterface
    public interface Timers {
        /** @return what cancels the task */
        AutoCloseable every(java.time.Duration period, Runnable task);
    }

    /** The host's timers; null in the container (the EJB timer service). */
    private Timers timers;
    private volatile AutoCloseable hostTimer;

    /** For the container. */
    public Housekeeping() {
    }

    /** Outside the container (the hand-built engine): ticks on the host's timers. */
    public Housekeeping(JobRescuer rescuer, DependencySweep dependencies, NodeRegistry nodes, JdbcJobStore store,
            DatabaseGuard database, EngineConfig config, EngineMetrics metrics, Timers timers) {
        this.rescuer = rescuer;
        this.dependencies = dependencies;
        this.nodes = nodes;
        this.store = store;
        this.database = database;
        this.config = config;
        this.metrics = metrics;
        this.timers = timers;
    }

    /** Starts the periodic housekeeping. */
    public void start() {
        if (timers != null) {
            hostTimer = timers.every(config.rescuerInterval(), this::tick);
            return;
        }
        long interval = config.rescuerInterval().toMillis();
        timer = timerService.createIntervalTimer(interval, interval, new TimerConfig("dukequeue-rescuer", false));
    }

    /** Stops the periodic housekeeping. */
    public void stop() {
        AutoCloseable h = hostTimer;
        hostTimer = null;
        if (h != null) {
            try {
                h.close();
            } catch (Exception e) {
                LOG.fine(() -> "housekeeping timer already gone: " + e);
            }
        }
        Timer t = timer;
        timer = null;
        if (t != null) {
            try {
                t.cancel();
            } catch (RuntimeException e) {
                LOG.fine(() -> "housekeeping timer already gone: " + e);
            }
        }
    }

    @Timeout
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    void onTimer(Timer t) {
        tick();
    }

    /** One housekeeping round; never throws (each part logs its own failure and the next tick tries again). */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void tick() {
        rescuer.rescueNow();
        dependencies.settleDependencies();
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
}
