package dev.dukequeue.connector;

import jakarta.resource.NotSupportedException;
import jakarta.resource.ResourceException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.ConnectionRequestInfo;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import jakarta.resource.spi.ManagedConnectionMetaData;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ConcurrentHashMap;
import javax.security.auth.Subject;
import javax.transaction.xa.XAResource;

/**
 * One pooled connection of the outbound side. Transaction support is {@code NoTransaction} on purpose: the work of a
 * connection is done by the engine's store on the server's JDBC resource, whose own pool enlists it in the caller's
 * JTA transaction (an XA resource if the application also writes to another database), so this connection has no
 * transaction of its own to offer.
 */
final class JobQueueManagedConnection implements ManagedConnection {

    private final JobQueueManagedConnectionFactory factory;
    private final List<ConnectionEventListener> listeners = new CopyOnWriteArrayList<>();
    private final Set<AdapterConnection> handles = ConcurrentHashMap.newKeySet();
    private PrintWriter logWriter;

    JobQueueManagedConnection(JobQueueManagedConnectionFactory factory) {
        this.factory = factory;
    }

    JobQueueManagedConnectionFactory factory() {
        return factory;
    }

    @Override
    public Object getConnection(Subject subject, ConnectionRequestInfo info) {
        AdapterConnection handle = new AdapterConnection(this);
        handles.add(handle);
        return handle;
    }

    /** A handle was closed by its application: tells the server's pool, which takes this connection back. */
    void closed(AdapterConnection handle) {
        handles.remove(handle);
        ConnectionEvent event = new ConnectionEvent(this, ConnectionEvent.CONNECTION_CLOSED);
        event.setConnectionHandle(handle);
        listeners.forEach(l -> l.connectionClosed(event));
    }

    DukeQueueResourceAdapter adapter() {
        return factory.adapter();
    }

    @Override
    public void associateConnection(Object connection) throws ResourceException {
        if (!(connection instanceof AdapterConnection handle)) {
            throw new NotSupportedException("not a DukeQueue connection: " + connection);
        }
        handle.moveTo(this);
        handles.add(handle);
    }

    void forget(AdapterConnection handle) {
        handles.remove(handle);
    }

    @Override
    public void cleanup() {
        handles.forEach(AdapterConnection::invalidate);
        handles.clear();
    }

    @Override
    public void destroy() {
        cleanup();
        listeners.clear();
    }

    @Override
    public void addConnectionEventListener(ConnectionEventListener listener) {
        listeners.add(listener);
    }

    @Override
    public void removeConnectionEventListener(ConnectionEventListener listener) {
        listeners.remove(listener);
    }

    @Override
    public XAResource getXAResource() throws ResourceException {
        throw new NotSupportedException("dukequeue.rar connections join transactions through the JDBC resource");
    }

    @Override
    public LocalTransaction getLocalTransaction() throws ResourceException {
        throw new NotSupportedException("dukequeue.rar connections join transactions through the JDBC resource");
    }

    @Override
    public ManagedConnectionMetaData getMetaData() {
        return new ManagedConnectionMetaData() {
            @Override
            public String getEISProductName() {
                return "DukeQueue";
            }

            @Override
            public String getEISProductVersion() {
                Package p = JobQueueManagedConnection.class.getPackage();
                return p.getImplementationVersion() == null ? "development" : p.getImplementationVersion();
            }

            @Override
            public int getMaxConnections() {
                return 0; // no limit of its own
            }

            @Override
            public String getUserName() {
                return null;
            }
        };
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }
}
