package dev.dukequeue.engine.lifecycle;

import dev.dukequeue.engine.config.EngineConfig;
import dev.dukequeue.engine.database.ConfiguredDataSource;
import dev.dukequeue.engine.dispatch.Dispatcher;
import dev.dukequeue.engine.dispatch.HandlerRegistry;
import dev.dukequeue.engine.lease.StartupRecovery;
import dev.dukequeue.engine.node.EngineStatus;
import dev.dukequeue.engine.node.NodeIdentity;
import dev.dukequeue.engine.node.NodeRegistry;
import dev.dukequeue.engine.store.JdbcJobStore;
import dev.dukequeue.engine.upkeep.Housekeeping;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * Brings the engine up when the application deploys and takes it down when it stops.
 *
 * <p>Start-up never blocks or fails the deployment because the database is down (seed 003): a start-up thread tries
 * to reach the database with exponential back-off (bounded by {@code dukequeue.startup.retry.max.ms}), logging each
 * try, while readiness reports why the node is not ready. Once the database answers it migrates the schema, reclaims
 * at once the jobs that earlier incarnations of this node left RUNNING (start-up recovery), and starts the dispatcher
 * and the housekeeping timer (rescue, dependency sweep, node heartbeat). A failure that retrying cannot fix (bad
 * configuration, duplicate handlers, an edited migration) is logged; with {@code dukequeue.startup.exit-on-fatal} the JVM then exits so that a supervisor restarts it with its own
 * back-off, instead of a node that stays up and does nothing.
 *
 * <p>The sequence after the configuration checks is {@link EngineStartup}, shared with the hand-built engine of the
 * resource adapter. Shutdown runs through {@link ShutdownOrchestrator}, from a JVM shutdown hook (SIGTERM, SIGINT) registered here
 * and from {@link PreDestroy} (undeploy, server stop), whichever comes first.
 *
 * <p>No transaction of its own: migrations commit on their own connection, outside any JTA transaction. (Not a
 * bean-managed-transaction bean: threads made in such a bean's context do not get their JDBC connections enlisted in
 * JTA transactions on Payara; {@code StoreTransactionsIT} shows it.)
 */
@Singleton
@Startup
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class EngineBootstrap {

    private static final Logger LOG = Logger.getLogger(EngineBootstrap.class.getName());

    @Resource(lookup = "java:app/jdbc/dukequeue")
    DataSource dataSource;

    @Resource
    ManagedThreadFactory threadFactory;

    @Inject
    JdbcJobStore store;

    @Inject
    HandlerRegistry registry;

    @Inject
    Dispatcher dispatcher;

    @Inject
    StartupRecovery recovery;

    @Inject
    Housekeeping housekeeping;

    @Inject
    NodeRegistry nodes;

    @Inject
    dev.dukequeue.engine.schedule.RecurringJobs recurring;

    @Inject
    NodeIdentity node;

    @Inject
    EngineConfig config;

    @Inject
    dev.dukequeue.engine.observe.EngineMetrics metrics;

    @Inject
    dev.dukequeue.engine.database.DatabaseGuard database;

    @Inject
    EngineStatus status;

    @Inject
    ShutdownOrchestrator shutdown;

    private final CountDownLatch stopping = new CountDownLatch(1);
    private Thread shutdownHook;

    @PostConstruct
    void start() {
        status.enter(EngineStatus.Phase.STARTING, "checking configuration and handlers");
        try {
            config.workers(); // touching the bean validates every setting
            if (config.jsonLogs()) {
                dev.dukequeue.engine.observe.JobLog.checkJsonFormatter();
            }
            node.owner();
            ConfiguredDataSource.checkSettings();
            registry.discover();
        } catch (RuntimeException e) {
            fatal("invalid configuration or handlers", e);
            return;
        }
        // A managed thread keeps the application's context: the hook can still use the engine's beans.
        shutdownHook = threadFactory.newThread(() -> shutdown.shutdown("JVM shutdown: SIGTERM, SIGINT or exit", true));
        shutdownHook.setName("dukequeue-shutdown-hook");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Thread starter = threadFactory.newThread(this::startWhenDatabaseAnswers);
        starter.setName("dukequeue-starter");
        starter.start();
    }

    private void startWhenDatabaseAnswers() {
        new EngineStartup(dataSource, store, recovery, config, status, node, shutdown::begun, stopping)
                .run(recurring::start, dispatcher, housekeeping, nodes, this::registerGauges, this::fatal);
    }

    /** This node's gauges (workers, the database circuit, abandoned threads) and the persistence error counter. */
    private void registerGauges() {
        metrics.gauge("dukequeue_workers_active", "handlers running on this node", dispatcher::busySlots);
        metrics.gauge("dukequeue_worker_utilization", "share of this node's worker slots in use (0..1)",
                () -> dispatcher.busySlots() / (double) config.workers());
        metrics.gauge("dukequeue_abandoned_handler_threads",
                "handler threads that were asked to stop (timeout, lost lease, cancel) and have not returned",
                dispatcher::abandonedThreads);
        metrics.gauge("dukequeue_database_circuit_open", "1 while the database circuit breaker is open, else 0",
                () -> database.available() ? 0 : 1);
        metrics.persistenceErrors(0); // a counter, registered at 0; DatabaseGuard counts each failure
    }

    private void fatal(String what, Exception e) {
        String message = EngineStartup.failed(status, what, e);
        LOG.log(Level.SEVERE, "DukeQueue cannot start: " + what + ": " + message, e);
        if (exitOnFatal()) {
            LOG.severe("DukeQueue: exiting (dukequeue.startup.exit-on-fatal=true) so that the supervisor restarts "
                    + "this node with its back-off");
            Thread exit = new Thread(() -> System.exit(3), "dukequeue-fatal-exit");
            exit.start();
        }
    }

    /** Read directly, not through EngineConfig: an invalid setting is one of the errors that lead here. */
    private static boolean exitOnFatal() {
        try {
            return ConfigProvider.getConfig(EngineBootstrap.class.getClassLoader())
                    .getOptionalValue("dukequeue.startup.exit-on-fatal", Boolean.class).orElse(false);
        } catch (RuntimeException e) {
            return false;
        }
    }

    @PreDestroy
    void stop() {
        stopping.countDown();
        shutdown.shutdown("undeploy or server stop");
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the JVM is exiting: the hook has run or is running
            }
        }
    }
}
