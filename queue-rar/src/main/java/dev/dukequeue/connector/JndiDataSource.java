package dev.dukequeue.connector;

import dev.dukequeue.engine.database.LocalTransactions;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.logging.Logger;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * The server's JDBC resource the engine stores its jobs in, found by its global JNDI name when first used, not when
 * the adapter starts: the adapter may be deployed before the resource exists (a post-deploy command creates it, or
 * the server is still booting). Until it can be found, {@link #getConnection()} fails with a message naming it, and
 * the engine waits for its database as it does when the database is down.
 *
 * <p>Connections taken while a JTA transaction is active are enlisted in it by the server's pool: that is how a
 * submission through the connection factory joins the application's transaction, and how a delivery's outcome joins
 * the message-driven bean's.
 */
final class JndiDataSource implements DataSource {

    /** The key of the transaction's connection in the server's synchronization registry. */
    private static final Object TRANSACTION_CONNECTION = JndiDataSource.class.getName() + ".connection";

    private final String name;
    private final AdapterHost host;
    private volatile DataSource target;

    JndiDataSource(String name, AdapterHost host) {
        this.name = name;
        this.host = host;
    }

    String name() {
        return name;
    }

    private DataSource target() throws SQLException {
        DataSource t = target;
        if (t == null) {
            try {
                Object found = new InitialContext().lookup(name);
                if (!(found instanceof DataSource ds)) {
                    throw new SQLException("JNDI name '" + name + "' is a " + found.getClass().getName()
                            + ", not a JDBC resource (dataSourceJndiName of dukequeue.rar)");
                }
                t = ds;
                target = t;
            } catch (NamingException e) {
                throw new SQLException("no JDBC resource named '" + name + "' on this server yet (dataSourceJndiName "
                        + "of dukequeue.rar; create it with asadmin create-jdbc-resource): " + e.getMessage(), e);
            }
        }
        return t;
    }

    /**
     * Outside a JTA transaction, a pool connection. Inside one, the same connection for every call of the
     * transaction, closed when it ends: the engine's store takes a connection per statement group (a submission reads
     * the queue's depth, then inserts), and the adapter calls without a component of its own, for which the server
     * does not promise to share connections; with an XA pool each would be an enlistment, a branch of its own to
     * prepare and commit. One connection per transaction keeps the adapter's work one branch.
     */
    @Override
    public Connection getConnection() throws SQLException {
        if (!host.transactionActive()) {
            return target().getConnection();
        }
        TransactionSynchronizationRegistry registry = host.transactions().orElse(null);
        if (registry == null) {
            return target().getConnection();
        }
        Connection shared = (Connection) registry.getResource(TRANSACTION_CONNECTION);
        if (shared == null) {
            Connection opened = target().getConnection();
            registry.putResource(TRANSACTION_CONNECTION, opened);
            registry.registerInterposedSynchronization(new Synchronization() {
                @Override
                public void beforeCompletion() {
                }

                @Override
                public void afterCompletion(int status) {
                    try {
                        opened.close();
                    } catch (SQLException e) {
                        Logger.getLogger(JndiDataSource.class.getName()).fine(() -> "closing the transaction's "
                                + "connection: " + e);
                    }
                }
            });
            shared = opened;
        }
        return LocalTransactions.notClosing(shared); // the transaction's end closes it
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the JDBC resource's own credentials are used");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target().getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target().setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target().setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target().getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return Logger.getLogger("dev.dukequeue.connector");
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        return target().unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || target().isWrapperFor(iface);
    }
}
