package dev.dukequeue.engine.host;

import dev.dukequeue.JobQueue;
import dev.dukequeue.engine.config.EngineConfig;
import dev.dukequeue.engine.database.DatabaseGuard;
import dev.dukequeue.engine.database.GuardedCalls;
import dev.dukequeue.engine.database.HostTransactions;
import dev.dukequeue.engine.database.JpaUnit;
import dev.dukequeue.engine.database.LocalTransactions;
import dev.dukequeue.engine.dispatch.Dispatcher;
import dev.dukequeue.engine.dispatch.JobHandlers;
import dev.dukequeue.engine.lease.JobRescuer;
import dev.dukequeue.engine.lease.StartupRecovery;
import dev.dukequeue.engine.lifecycle.EngineStartup;
import dev.dukequeue.engine.lifecycle.ShutdownOrchestrator;
import dev.dukequeue.engine.node.EngineStatus;
import dev.dukequeue.engine.node.NodeIdentity;
import dev.dukequeue.engine.node.NodeRegistry;
import dev.dukequeue.engine.observe.EngineMetrics;
import dev.dukequeue.engine.read.JobSearch;
import dev.dukequeue.engine.store.ClusterStore;
import dev.dukequeue.engine.store.JdbcJobStore;
import dev.dukequeue.engine.submit.Backpressure;
import dev.dukequeue.engine.submit.DefaultJobQueue;
import dev.dukequeue.engine.submit.SubmissionRules;
import dev.dukequeue.engine.upkeep.DependencySweep;
import dev.dukequeue.engine.upkeep.Housekeeping;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.Config;

/**
 * The engine composed by hand: the same classes the CDI host injects, built with {@code new} for a host that has no
 * CDI, EJB or interceptors (a resource adapter). What the containers give the CDI host comes from here instead:
 * <ul>
 * <li>threads and the housekeeping timer from the {@link EngineHost};</li>
 * <li>transactions from {@link HostTransactions}: each store method joins the caller's JTA transaction when it joins
 * one under EJB and the host reports one active, else runs in a local transaction of its own;</li>
 * <li>fault tolerance from {@link GuardedCalls#programmatic()} (the same retry and circuit-breaker policy);</li>
 * <li>configuration from {@link EngineConfig#from(Config)} (the same keys and defaults);</li>
 * <li>the handlers from the given {@link JobHandlers}, whose types may change while the engine runs.</li>
 * </ul>
 *
 * <p>Not in this engine (CDI host only): recurring jobs ({@code engine.schedule}), retention (Jakarta Batch),
 * health checks, MicroProfile Metrics (every metric is a no-op; {@link #ready()} and {@link #status()} say what the
 * health checks would), applications' {@code ShutdownStep}s, the JVM shutdown hook and
 * {@code dukequeue.startup.exit-on-fatal} (a resource adapter must not exit the server's JVM). Reads of jobs
 * ({@link JobQueue#find} and the views {@code cancel}/{@code retry} return) need EclipseLink on the class path.
 *
 * <p>Thread-safe.
 */
public final class StandaloneEngine {

    private static final Logger LOG = Logger.getLogger(StandaloneEngine.class.getName());

    private final EngineHost host;
    private final DataSource dataSource;
    private final EngineConfig config;
    private final EngineStatus status;
    private final NodeIdentity node;
    private final DatabaseGuard database;
    private final JdbcJobStore store;
    private final Dispatcher dispatcher;
    private final Housekeeping housekeeping;
    private final NodeRegistry nodes;
    private final StartupRecovery recovery;
    private final DefaultJobQueue queue;
    private final ShutdownOrchestrator shutdown;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final AtomicBoolean started = new AtomicBoolean();

    private StandaloneEngine(EngineHost host, DataSource dataSource, EngineConfig config, JobHandlers handlers) {
        this.host = host;
        this.dataSource = dataSource;
        this.config = config;
        EngineMetrics metrics = new EngineMetrics(null);
        Clock clock = Clock.systemUTC();
        status = new EngineStatus(metrics);
        node = new NodeIdentity(config);
        database = new DatabaseGuard(GuardedCalls.programmatic(), metrics, clock);
        // One LocalTransactions for every store: a store call made inside another's local transaction runs on its
        // connection instead of nesting.
        LocalTransactions local = new LocalTransactions(dataSource);
        HostTransactions transactions = new HostTransactions(local, jta(host));
        store = new JdbcJobStore(local, transactions);
        nodes = new NodeRegistry(new ClusterStore(local, transactions), database, config, node, status, metrics);
        dispatcher = new Dispatcher(store, metrics, database, handlers, config, node, status, host.threads(),
                dataSource);
        housekeeping = new Housekeeping(new JobRescuer(store, database, config, metrics),
                new DependencySweep(store, database), nodes, store, database, config, metrics, host::every);
        recovery = new StartupRecovery(store, node, config, status, metrics);
        JobSearch search = JpaUnit.available() ? new JobSearch(new JpaUnit(dataSource, host.transactions().isPresent()),
                store, config, metrics) : null;
        queue = new DefaultJobQueue(store, search, database, new Backpressure(store, config, metrics),
                new SubmissionRules(config), dispatcher, metrics, host.transactions().orElse(null), transactions);
        shutdown = new ShutdownOrchestrator(dispatcher, housekeeping, nodes, status, config, node, clock);
    }

    /**
     * Builds the engine; nothing runs and nothing touches the database until {@link #start()}.
     *
     * @param dataSource the engine's database (in a server: its JTA data source, whose connections join the
     *                   caller's transaction)
     * @param config     where the {@code dukequeue.*} settings are read (keys and defaults as in the CDI host)
     * @param handlers   the handlers to run
     * @throws IllegalArgumentException naming the key, if a setting is invalid (or the node name)
     */
    public static StandaloneEngine create(EngineHost host, DataSource dataSource, Config config, JobHandlers handlers) {
        return new StandaloneEngine(host, dataSource, EngineConfig.from(config), handlers);
    }

    private static HostTransactions.Jta jta(EngineHost host) {
        return new HostTransactions.Jta() {
            @Override
            public boolean transactionActive() {
                return host.transactionActive();
            }

            @Override
            public <T> T outsideTransaction(Supplier<T> work) {
                return host.outsideTransaction(work);
            }
        };
    }

    /**
     * Starts the engine and returns at once: on a host thread it waits for the database (with back-off), migrates the
     * schema, reclaims the jobs of this node's earlier incarnations, writes the queues' RUNNING limits, then starts
     * the dispatcher and the housekeeping ({@link EngineStartup}, as the CDI host does). A failure that retrying
     * cannot fix leaves {@link #status()} FAILED with its message. A second call does nothing.
     */
    public void start() {
        if (stopping.getCount() == 0 || !started.compareAndSet(false, true)) {
            return;
        }
        status.enter(EngineStatus.Phase.STARTING, "starting");
        EngineStartup startup = new EngineStartup(dataSource, store, recovery, config, status, node, shutdown::begun,
                stopping);
        Thread starter = host.threads().newThread(() -> {
            try {
                startup.run(() -> { }, dispatcher, housekeeping, nodes, () -> { }, this::fatal);
            } catch (RuntimeException e) {
                fatal("the engine could not start", e);
            }
        });
        starter.setName("dukequeue-starter");
        starter.start();
    }

    private void fatal(String what, Exception e) {
        String message = EngineStartup.failed(status, what, e);
        LOG.log(Level.SEVERE, "DukeQueue cannot start: " + what + ": " + message, e);
    }

    /**
     * @return the queue: submissions join the caller's JTA transaction when {@link EngineHost#transactionActive()},
     *         else run in a local transaction of their own; the dispatcher is woken once they commit
     */
    public JobQueue jobQueue() {
        return queue;
    }

    /**
     * @return the store, for handlers that settle their job's outcome in their own transaction
     *         ({@link JdbcJobStore#completeInCallerTransaction})
     */
    public JdbcJobStore store() {
        return store;
    }

    /** @return the settings the engine runs with, checked */
    public EngineConfig config() {
        return config;
    }

    /** @return this node's state: its phase and why */
    public EngineStatus status() {
        return status;
    }

    /** @return true if the node runs jobs and its database answers (what the CDI host's readiness check reports) */
    public boolean ready() {
        return status.phase() == EngineStatus.Phase.RUNNING && database.available() && !database.diskFull();
    }

    /**
     * Drains the running jobs of the given types while the node goes on with the others (their handlers are going
     * away: a message endpoint deactivated): see {@link Dispatcher#drain(Set, Duration)}. Remove the types from the
     * {@link JobHandlers} first, so that they are not claimed again afterwards.
     */
    public Dispatcher.DrainReport drainTypes(Set<String> types, Duration drain) {
        return dispatcher.drain(types, drain);
    }

    /** Claims now instead of at the next poll: handlers were added. */
    public void wake() {
        dispatcher.wake();
    }

    /**
     * Shuts the node down in the {@link ShutdownOrchestrator}'s order: readiness down, stop claiming and the
     * housekeeping, drain (up to {@code dukequeue.shutdown.drain.ms}, then interrupt), stop the threads, mark the node
     * STOPPED. Idempotent: a second call waits for the first to finish.
     *
     * @param why what asked for it, for the log
     */
    public void shutdown(String why) {
        stopping.countDown();
        if (!started.get()) {
            status.enter(EngineStatus.Phase.STOPPED, "shut down before it started (" + why + ")");
            return;
        }
        shutdown.shutdown(why);
    }
}
