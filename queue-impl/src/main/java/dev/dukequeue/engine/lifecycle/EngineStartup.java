package dev.dukequeue.engine.lifecycle;

import dev.dukequeue.engine.config.EngineConfig;
import dev.dukequeue.engine.database.DatabaseProbe;
import dev.dukequeue.engine.database.SchemaMigrator;
import dev.dukequeue.engine.dispatch.Dispatcher;
import dev.dukequeue.engine.lease.StartupRecovery;
import dev.dukequeue.engine.node.EngineStatus;
import dev.dukequeue.engine.node.JvmNodeNames;
import dev.dukequeue.engine.node.NodeIdentity;
import dev.dukequeue.engine.node.NodeRegistry;
import dev.dukequeue.engine.store.JdbcJobStore;
import dev.dukequeue.engine.upkeep.Housekeeping;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * The start-up sequence of a node, whichever host runs it ({@link EngineBootstrap} under CDI, or a resource adapter's
 * hand-built engine), on a start-up thread of its own: waits for the database with exponential back-off (bounded by
 * {@code dukequeue.startup.retry.max.ms}), migrates the schema, reclaims the jobs of this node's earlier incarnations,
 * writes the queues' cluster-wide RUNNING limits, then starts the dispatcher and the housekeeping and enters RUNNING.
 * A worker node first takes its name in the JVM ({@link JvmNodeNames}: a second engine running jobs under the same
 * name in one server is refused); an admin node ({@code dukequeue.node.role=admin}) takes no name and reclaims nothing.
 * A failure that retrying cannot fix goes to the host's {@link Fatal} (the node stays FAILED).
 *
 * <p>One run per instance.
 */
public final class EngineStartup {

    private static final Logger LOG = Logger.getLogger(EngineStartup.class.getName());

    /** Told of a start-up failure that retrying cannot fix. */
    @FunctionalInterface
    public interface Fatal {
        void failed(String what, Exception e);
    }

    private final DataSource dataSource;
    private final JdbcJobStore store;
    private final StartupRecovery recovery;
    private final EngineConfig config;
    private final EngineStatus status;
    private final NodeIdentity node;
    private final BooleanSupplier shutdownBegun;
    private final CountDownLatch stopping;

    /**
     * @param shutdownBegun true once the node's shutdown began: start-up gives up
     * @param stopping      counted down when the host stops, to cut a back-off short
     */
    public EngineStartup(DataSource dataSource, JdbcJobStore store, StartupRecovery recovery, EngineConfig config,
            EngineStatus status, NodeIdentity node, BooleanSupplier shutdownBegun, CountDownLatch stopping) {
        this.dataSource = dataSource;
        this.store = store;
        this.recovery = recovery;
        this.config = config;
        this.status = status;
        this.node = node;
        this.shutdownBegun = shutdownBegun;
        this.stopping = stopping;
    }

    /**
     * Runs the sequence on the calling thread.
     *
     * @param beforeWorkers after recovery, before the dispatcher starts (CDI: the recurring jobs); a throw is fatal
     * @param afterWorkers  once the dispatcher and the housekeeping run (CDI: the gauges)
     */
    public void run(Runnable beforeWorkers, Dispatcher dispatcher, Housekeeping housekeeping, NodeRegistry nodes,
            Runnable afterWorkers, Fatal fatal) {
        long begin = System.nanoTime();
        if (!databaseAnswers()) {
            return;
        }
        if (config.runsJobs()) {
            Optional<String> holder = JvmNodeNames.take(node);
            if (holder.isPresent()) {
                fatal.failed("another engine runs this node", new IllegalStateException("another DukeQueue engine runs"
                        + " jobs as node '" + node.name() + "' in this JVM (" + holder.get() + ": the resource"
                        + " adapter's, or another application's); two would reclaim each other's running jobs. Deploy"
                        + " one engine per server, set dukequeue.node.role=admin on an application that only serves"
                        + " the API and UI, or give each engine its own dukequeue.node.name"));
                return;
            }
        }
        try {
            status.enter(EngineStatus.Phase.RECOVERING, "migrating the schema and reclaiming interrupted jobs");
            int applied = new SchemaMigrator(dataSource).migrate();
            LOG.info(() -> "schema migrations: " + applied + " applied");
            if (config.runsJobs()) {
                recovery.recoverEarlierIncarnations();
            } else {
                LOG.info(() -> "admin node " + node.owner() + " (dukequeue.node.role=admin): runs no jobs and reclaims"
                        + " none; the worker nodes and their leases do");
            }
            config.maxRunningByQueue().forEach((queue, max) -> {
                store.setMaxRunning(queue, max);
                LOG.info(() -> "queue '" + queue + "': at most " + max + " running jobs across the cluster"
                        + " (dukequeue.queue.max-running)");
            });
            beforeWorkers.run();
        } catch (SQLException | RuntimeException e) {
            fatal.failed("the database is reachable but not usable, or a recurring job is invalid", e);
            return;
        }
        dispatcher.start();
        housekeeping.start();
        afterWorkers.run();
        status.enter(EngineStatus.Phase.RUNNING, config.runsJobs() ? "claiming and running jobs"
                : "serving the API as an admin node: runs no jobs (dukequeue.node.role=admin)");
        nodes.beat(); // the node shows in the cluster table at once, not one housekeeping interval later
        LOG.info(() -> "DukeQueue node " + node.owner() + " started on " + store.dialect() + " in "
                + (System.nanoTime() - begin) / 1_000_000 + " ms");
    }

    /** @return true once the database answers; false if the node stopped first */
    private boolean databaseAnswers() {
        long delay = 500;
        for (int attempt = 1; !shutdownBegun.getAsBoolean(); attempt++) {
            Optional<String> unreachable = DatabaseProbe.unreachable(dataSource);
            if (unreachable.isEmpty()) {
                break;
            }
            String why = unreachable.get();
            long wait = delay;
            int n = attempt;
            status.enter(EngineStatus.Phase.WAITING_FOR_DATABASE, "database unreachable (attempt " + n + "): " + why);
            LOG.warning(() -> "DukeQueue node " + node.owner() + ": database unreachable at start-up (attempt " + n
                    + "): " + why + "; next attempt in " + wait + " ms");
            try {
                if (stopping.await(wait, TimeUnit.MILLISECONDS)) {
                    return false;
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return false;
            }
            delay = Math.min(delay * 2, config.startupRetryMax().toMillis());
        }
        return !shutdownBegun.getAsBoolean();
    }

    /**
     * Puts the node in FAILED with the failure's message: the root cause's, not a container wrapper's
     * (WELD-000049 ... around "dukequeue.workers must be ...").
     *
     * @return the message
     */
    public static String failed(EngineStatus status, String what, Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String message = cause == e ? String.valueOf(e.getMessage()) : e.getMessage() + ": " + cause.getMessage();
        status.enter(EngineStatus.Phase.FAILED, what + ": " + message);
        return message;
    }
}
