package dev.dukequeue.engine.database;

import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.function.Supplier;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Local JDBC transactions for the dispatcher's two hot paths, the claim and the completion batch, on the container's
 * own connection pool: {@link #inTransaction} takes a connection, turns auto-commit off, lets a store ({@code JdbcJobStore})
 * built on this data source do its work on that one connection (every {@code getConnection()} inside returns it), and
 * commits, or rolls back when the work throws; {@link #withAutoCommit} hands the store a connection in auto-commit mode
 * (a claim is then one statement, or a local transaction the store begins and commits itself).
 *
 * <p>Why not the store's EJB with a container-managed transaction, like every other store call: a claim or a completion
 * batch touches one resource, runs on an engine thread (never inside an application's transaction) and happens
 * thousands of times a second under load, where the EJB invocation, the JTA transaction and the connection's enlistment
 * in it were most of the node's CPU (measured: about 40 % of the dispatcher's and completion writers' samples). The
 * outcome is the same: one database transaction, committed or rolled back as a whole, with every row fenced by its
 * lease. Must not be used on a thread with a JTA transaction: the connection would then belong to it.
 *
 * <p>Thread-safe: the connection is bound to the calling thread for the duration of the work.
 */
public final class LocalTransactions implements DataSource {

    private final DataSource target;
    private final ThreadLocal<Connection> bound = new ThreadLocal<>();

    public LocalTransactions(DataSource target) {
        this.target = target;
    }

    /**
     * Runs the work in one local transaction.
     *
     * @throws StoreException if the database refused the commit (the work's own failures are rethrown as they are)
     */
    public <T> T inTransaction(Supplier<T> work) {
        return onBoundConnection(false, c -> {
            try {
                T result = work.get();
                c.commit();
                return result;
            } catch (RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException rollback) {
                    e.addSuppressed(rollback);
                }
                throw e;
            }
        });
    }

    /**
     * Runs the work on one connection in auto-commit mode: each statement is its own transaction, and a store method
     * that needs more than one statement in a transaction begins and commits it itself ({@code JdbcJobStore.claim}).
     */
    public <T> T withAutoCommit(Supplier<T> work) {
        return onBoundConnection(true, c -> work.get());
    }

    /** @return true while this thread runs work of {@link #inTransaction} or {@link #withAutoCommit} */
    public boolean bound() {
        return bound.get() != null;
    }

    private interface Work<T> {
        T on(Connection c) throws SQLException;
    }

    /** Takes a pool connection, binds it to this thread in the given auto-commit mode, and gives it back as it came. */
    private <T> T onBoundConnection(boolean autoCommitMode, Work<T> work) {
        if (bound.get() != null) {
            throw new IllegalStateException("nested local transaction");
        }
        try (Connection c = target.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(autoCommitMode);
            bound.set(c);
            try {
                return work.on(c);
            } finally {
                bound.remove();
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException | java.lang.reflect.UndeclaredThrowableException e) {
            throw new StoreException(autoCommitMode ? "auto-commit connection" : "local transaction", e);
        }
    }

    /** @return inside {@link #inTransaction} or {@link #withAutoCommit}, its connection (closing it does nothing); otherwise the pool's */
    @Override
    public Connection getConnection() throws SQLException {
        Connection c = bound.get();
        if (c == null) {
            return target.getConnection();
        }
        return notClosing(c);
    }

    /**
     * @return the connection as the work of a transaction sees it: every call goes to {@code c} but {@code close()},
     *         which does nothing (whoever owns the transaction closes it at its end)
     */
    public static Connection notClosing(Connection c) {
        return (Connection) Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null; // the transaction closes it
                    }
                    try {
                        return method.invoke(c, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        throw new SQLFeatureNotSupportedException("the pool's credentials are used");
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return target.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        target.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        target.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return target.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return target.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return target.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return target.isWrapperFor(iface);
    }
}
