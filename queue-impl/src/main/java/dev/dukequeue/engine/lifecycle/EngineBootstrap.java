package dev.dukequeue.engine.lifecycle;

import dev.dukequeue.engine.dispatch.Dispatcher;
import dev.dukequeue.engine.dispatch.HandlerRegistry;
import dev.dukequeue.engine.lease.JobRescuer;
import dev.dukequeue.engine.store.JdbcJobStore;
import dev.dukequeue.engine.store.SchemaMigrator;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import jakarta.inject.Inject;
import java.sql.SQLException;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Starts the engine when the application deploys, in order: schema migrations, handler discovery, the dispatcher,
 * the rescuer; and stops it in reverse when the application undeploys or the server shuts down (SIGTERM).
 *
 * <p>Bean-managed transactions: migrations commit on their own connection, outside any JTA transaction.
 */
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN)
public class EngineBootstrap {

    private static final Logger LOG = Logger.getLogger(EngineBootstrap.class.getName());

    @Resource(lookup = "java:app/jdbc/dukequeue")
    DataSource dataSource;

    @Inject
    JdbcJobStore store;

    @Inject
    HandlerRegistry registry;

    @Inject
    Dispatcher dispatcher;

    @Inject
    JobRescuer rescuer;

    @Inject
    NodeIdentity node;

    private volatile boolean started;

    @PostConstruct
    void start() {
        long begin = System.nanoTime();
        try {
            int applied = new SchemaMigrator(dataSource).migrate();
            LOG.info(() -> "schema migrations: " + applied + " applied");
        } catch (SQLException | RuntimeException e) {
            LOG.log(Level.SEVERE, "DukeQueue cannot start: the database is not usable: " + e.getMessage(), e);
            throw new IllegalStateException("DukeQueue database not usable: " + e.getMessage(), e);
        }
        registry.discover();
        dispatcher.start();
        rescuer.start();
        started = true;
        LOG.info(() -> "DukeQueue node " + node.owner() + " started on " + store.dialect() + " in "
                + (System.nanoTime() - begin) / 1_000_000 + " ms");
    }

    @PreDestroy
    void stop() {
        LOG.info(() -> "DukeQueue node " + node.owner() + " shutting down");
        started = false;
        rescuer.stop();
        dispatcher.stop();
        LOG.info(() -> "DukeQueue node " + node.owner() + " stopped");
    }

    /** @return true once start-up finished and until shutdown begins */
    public boolean isStarted() {
        return started;
    }
}
