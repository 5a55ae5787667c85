package dev.dukequeue.connector;

import dev.dukequeue.JobQueueConnection;
import dev.dukequeue.JobQueueConnectionFactory;
import dev.dukequeue.QueueUnavailableException;
import dev.dukequeue.engine.database.DatabaseGuard;
import jakarta.resource.Referenceable;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import javax.naming.Reference;

/**
 * What an application looks up: {@link #getConnection()} refuses at once, naming why, while the engine is not ready,
 * and otherwise asks the server's pool for a connection.
 */
public class AdapterConnectionFactory implements JobQueueConnectionFactory, Referenceable {

    private static final long serialVersionUID = 1L;

    private final transient JobQueueManagedConnectionFactory factory;
    private final transient ConnectionManager manager;
    private Reference reference;

    AdapterConnectionFactory(JobQueueManagedConnectionFactory factory, ConnectionManager manager) {
        this.factory = factory;
        this.manager = manager;
    }

    @Override
    public JobQueueConnection getConnection() {
        factory.adapter().ensureReady();
        try {
            return (JobQueueConnection) manager.allocateConnection(factory, null);
        } catch (ResourceException e) {
            throw new QueueUnavailableException("the server could not hand out a DukeQueue connection: "
                    + e.getMessage(), DatabaseGuard.RETRY_AFTER, e);
        }
    }

    @Override
    public void setReference(Reference reference) {
        this.reference = reference;
    }

    @Override
    public Reference getReference() {
        return reference;
    }
}
