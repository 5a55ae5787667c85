package dev.dukequeue.connector;

import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionManager;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionFactory;
import jakarta.resource.spi.ResourceAdapter;
import jakarta.resource.spi.ResourceAdapterAssociation;
import java.io.PrintWriter;
import java.util.Set;
import javax.security.auth.Subject;

/**
 * The outbound side's factory, per connection pool: makes the {@link AdapterConnectionFactory} applications look up,
 * and the {@link JobQueueManagedConnection}s the server pools. A managed connection holds no database connection of
 * its own (the engine's store takes one from the server's JDBC resource per call, enlisted in the caller's
 * transaction), so any pooled one matches any request.
 */
public class JobQueueManagedConnectionFactory implements ManagedConnectionFactory, ResourceAdapterAssociation {

    private static final long serialVersionUID = 1L;

    private transient DukeQueueResourceAdapter adapter;
    private transient PrintWriter logWriter;

    @Override
    public Object createConnectionFactory(ConnectionManager manager) {
        return new AdapterConnectionFactory(this, manager);
    }

    @Override
    public Object createConnectionFactory() throws ResourceException {
        throw new jakarta.resource.NotSupportedException("dukequeue.rar runs inside an application server only");
    }

    @Override
    public ManagedConnection createManagedConnection(Subject subject, ConnectionRequestInfo info) {
        return new JobQueueManagedConnection(this);
    }

    @Override
    @SuppressWarnings("rawtypes")
    public ManagedConnection matchManagedConnections(Set candidates, Subject subject, ConnectionRequestInfo info) {
        for (Object candidate : candidates) {
            if (candidate instanceof JobQueueManagedConnection c && c.factory() == this) {
                return c;
            }
        }
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public ResourceAdapter getResourceAdapter() {
        return adapter;
    }

    @Override
    public void setResourceAdapter(ResourceAdapter ra) throws ResourceException {
        if (!(ra instanceof DukeQueueResourceAdapter dq)) {
            throw new jakarta.resource.NotSupportedException("not DukeQueue's adapter: " + ra);
        }
        this.adapter = dq;
    }

    DukeQueueResourceAdapter adapter() {
        if (adapter == null) {
            throw new IllegalStateException("the connection factory is not associated with dukequeue.rar");
        }
        return adapter;
    }

    // Equal factories share a pool; this one has no properties, so one per adapter.
    @Override
    public boolean equals(Object other) {
        return other instanceof JobQueueManagedConnectionFactory f && f.adapter == adapter;
    }

    @Override
    public int hashCode() {
        return adapter == null ? 0 : System.identityHashCode(adapter);
    }
}
