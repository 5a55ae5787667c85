package dev.dukequeue.engine.store;

import java.io.PrintWriter;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.concurrent.Callable;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Stands in for the container's transaction management in store tests: {@link #inTransaction} binds one connection to
 * the thread, the store's {@code getConnection()} calls get that connection (closing it is a no-op), and the work
 * commits or rolls back as a whole, like a JTA transaction on one resource.
 */
final class TxDataSource implements DataSource {

    private final DataSource target;
    private final ThreadLocal<Connection> bound = new ThreadLocal<>();

    TxDataSource(DataSource target) {
        this.target = target;
    }

    <T> T inTransaction(Callable<T> work) {
        if (bound.get() != null) {
            throw new IllegalStateException("nested transaction");
        }
        try (Connection c = target.getConnection()) {
            c.setAutoCommit(false);
            bound.set(c);
            try {
                T result = work.call();
                c.commit();
                return result;
            } catch (Exception | Error e) {
                c.rollback();
                if (e instanceof RuntimeException r) {
                    throw r;
                }
                if (e instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(e);
            } finally {
                bound.remove();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Connection getConnection() throws SQLException {
        Connection c = bound.get();
        if (c == null) {
            return target.getConnection();
        }
        return (Connection) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Connection.class},
                (proxy, method, args) -> method.getName().equals("close") ? null : method.invoke(c, args));
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    @Override
    public PrintWriter getLogWriter() {
        return null;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
    }

    @Override
    public void setLoginTimeout(int seconds) {
    }

    @Override
    public int getLoginTimeout() {
        return 0;
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        throw new SQLException("not a wrapper");
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return false;
    }
}
