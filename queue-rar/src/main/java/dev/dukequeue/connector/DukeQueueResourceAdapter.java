package dev.dukequeue.connector;

import dev.dukequeue.QueueUnavailableException;
import dev.dukequeue.engine.database.DatabaseGuard;
import dev.dukequeue.engine.dispatch.Dispatcher.DrainReport;
import dev.dukequeue.engine.host.StandaloneEngine;
import dev.dukequeue.engine.node.EngineStatus;
import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ActivationSpec;
import jakarta.resource.spi.BootstrapContext;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterInternalException;
import jakarta.resource.spi.endpoint.MessageEndpointFactory;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.transaction.xa.XAResource;
import org.eclipse.microprofile.config.Config;

/**
 * DukeQueue's resource adapter: one engine per server, shared by every application deployed on it. {@link #start}
 * builds the engine by hand ({@link StandaloneEngine}) on the adapter's host and starts it in the background (it waits
 * for its database, migrates the schema, reclaims the jobs an earlier run of this node left, then claims); message
 * endpoints become the handlers of their job types ({@link Endpoints}); {@link #stop} drains and stops the engine as a
 * shutdown does.
 *
 * <p>Config properties (also settable as MicroProfile Config keys, which win): {@code dataSourceJndiName}, the
 * server's JDBC resource holding the jobs (default {@code jdbc/dukequeue}); {@code nodeName}
 * ({@code dukequeue.node.name}); {@code settings}, any other {@code dukequeue.*} keys as {@code key=value} pairs
 * separated by {@code ;}.
 */
public class DukeQueueResourceAdapter implements ResourceAdapter {

    private static final Logger LOG = Logger.getLogger(DukeQueueResourceAdapter.class.getName());

    private String dataSourceJndiName = "jdbc/dukequeue";
    private String nodeName;
    private String settings;

    private volatile StandaloneEngine engine;
    private volatile Endpoints endpoints;

    public String getDataSourceJndiName() {
        return dataSourceJndiName;
    }

    public void setDataSourceJndiName(String dataSourceJndiName) {
        this.dataSourceJndiName = dataSourceJndiName;
    }

    public String getNodeName() {
        return nodeName;
    }

    public void setNodeName(String nodeName) {
        this.nodeName = nodeName;
    }

    public String getSettings() {
        return settings;
    }

    public void setSettings(String settings) {
        this.settings = settings;
    }

    @Override
    public void start(BootstrapContext context) throws ResourceAdapterInternalException {
        Map<String, String> properties;
        try {
            properties = new LinkedHashMap<>(AdapterSettings.parse(settings));
        } catch (IllegalArgumentException e) {
            throw new ResourceAdapterInternalException("dukequeue.rar: " + e.getMessage(), e);
        }
        if (nodeName != null && !nodeName.isBlank()) {
            properties.put("dukequeue.node.name", nodeName.strip());
        }
        if (dataSourceJndiName == null || dataSourceJndiName.isBlank()) {
            throw new ResourceAdapterInternalException("dukequeue.rar: dataSourceJndiName must name the server's "
                    + "JDBC resource for DukeQueue's tables (default jdbc/dukequeue)");
        }
        Config config = AdapterSettings.build(properties, DukeQueueResourceAdapter.class.getClassLoader());
        String jndiName = config.getOptionalValue("dukequeue.rar.datasource", String.class)
                .orElse(dataSourceJndiName.strip());
        AdapterHost host = new AdapterHost(context);
        JndiDataSource dataSource = new JndiDataSource(jndiName, host);
        // The engine is built before the endpoints, the endpoints' deliveries complete through its store.
        StandaloneEngine[] built = new StandaloneEngine[1];
        Delivery delivery = new Delivery(host, (lease, json) -> built[0].store().completeInCallerTransaction(lease, json));
        Endpoints handlers = new Endpoints(delivery);
        try {
            built[0] = StandaloneEngine.create(host, dataSource, config, handlers);
        } catch (RuntimeException e) {
            throw new ResourceAdapterInternalException("dukequeue.rar: invalid configuration: " + e.getMessage(), e);
        }
        endpoints = handlers;
        engine = built[0];
        engine.start();
        LOG.info(() -> "DukeQueue resource adapter started; jobs in JDBC resource " + jndiName);
    }

    @Override
    public void stop() {
        StandaloneEngine e = engine;
        if (e != null) {
            e.shutdown("the resource adapter is stopping (undeploy or server stop)");
        }
        LOG.info("DukeQueue resource adapter stopped");
    }

    @Override
    public void endpointActivation(MessageEndpointFactory factory, ActivationSpec spec) throws ResourceException {
        if (!(spec instanceof JobActivationSpec jobSpec)) {
            throw new NotSupportedException("dukequeue.rar activates JobListener beans with a JobActivationSpec, got "
                    + (spec == null ? "none" : spec.getClass().getName()));
        }
        jobSpec.validate();
        Endpoints.Endpoint endpoint = endpoints().activate(factory, jobSpec);
        int workers = engine().config().workers();
        if (endpoint.maxConcurrency > workers) {
            LOG.warning(() -> "DukeQueue adapter: " + endpoint.name() + " asks for maxConcurrency "
                    + endpoint.maxConcurrency + " but this node runs at most " + workers + " jobs at once, of all "
                    + "types (dukequeue.workers)");
        }
        engine().wake(); // claim the new types now, not at the next poll
    }

    @Override
    public void endpointDeactivation(MessageEndpointFactory factory, ActivationSpec spec) {
        Endpoints e = endpoints;
        if (e == null) {
            return;
        }
        Set<String> types = e.deactivate(factory);
        if (types.isEmpty()) {
            return;
        }
        // As a shutdown does for the whole node: its jobs are asked to stop, given the drain time, then interrupted;
        // those that ended are released without charging their attempt, to run again once a bean takes the type.
        try {
            DrainReport report = engine().drainTypes(types, engine().config().drain());
            LOG.info(() -> "DukeQueue adapter: job types " + types + " deactivated; " + report);
        } catch (RuntimeException ex) {
            LOG.log(Level.WARNING, "DukeQueue adapter: draining job types " + types + " failed; their jobs stay "
                    + "under lease and are taken back when it expires", ex);
        }
    }

    @Override
    public XAResource[] getXAResources(ActivationSpec[] specs) {
        return new XAResource[0]; // the jobs' state is in the server's JDBC resource, recovered by its own pool
    }

    private Endpoints endpoints() throws ResourceException {
        Endpoints e = endpoints;
        if (e == null) {
            throw new NotSupportedException("dukequeue.rar is not started");
        }
        return e;
    }

    /** @return the engine; outbound connections and endpoints use it */
    StandaloneEngine engine() {
        StandaloneEngine e = engine;
        if (e == null) {
            throw new QueueUnavailableException("dukequeue.rar is not started", DatabaseGuard.RETRY_AFTER, null);
        }
        return e;
    }

    /**
     * @throws QueueUnavailableException naming the engine's phase and why, unless it runs and its database answers
     */
    void ensureReady() {
        StandaloneEngine e = engine();
        EngineStatus status = e.status();
        if (status.phase() != EngineStatus.Phase.RUNNING) {
            throw new QueueUnavailableException("DukeQueue is not ready: " + status.phase() + " ("
                    + status.reason() + ")", DatabaseGuard.RETRY_AFTER, null);
        }
        if (!e.ready()) {
            throw new QueueUnavailableException("DukeQueue is not ready: its database is failing", 
                    DatabaseGuard.RETRY_AFTER, null);
        }
    }

    // The specification asks a resource adapter bean to define equality; each instance is its own adapter.
    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }
}
