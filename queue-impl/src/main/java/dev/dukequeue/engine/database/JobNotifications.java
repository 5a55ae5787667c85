package dev.dukequeue.engine.database;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * PostgreSQL only: waits for {@code NOTIFY dukequeue_jobs}, which every committed submission sends (in its own
 * transaction, so a rollback sends nothing), so that an idle node wakes when another node stores work instead of at
 * its next poll. Holds one connection of its own, outside any transaction, for as long as it listens.
 *
 * <p>Not thread-safe: one listening thread uses it. The driver's {@code PGConnection.getNotifications(int)} is called
 * reflectively: the engine does not compile against a driver.
 */
public final class JobNotifications implements AutoCloseable {

    public static final String CHANNEL = "dukequeue_jobs";

    private final DataSource dataSource;
    private Connection connection;
    private Object pg;
    private Method getNotifications;

    public JobNotifications(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Waits up to {@code millis} for notifications.
     *
     * @return true if work was stored since the last call (one or more notifications)
     * @throws StoreException if the connection broke (the next call reconnects)
     */
    public boolean await(int millis) {
        try {
            if (connection == null) {
                connect();
            }
            Object notifications = getNotifications.invoke(pg, millis);
            return notifications != null && Array.getLength(notifications) > 0;
        } catch (ReflectiveOperationException | SQLException e) {
            close();
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
            throw new StoreException("listening for new jobs", cause instanceof SQLException s ? s
                    : new SQLException(String.valueOf(cause), cause));
        }
    }

    private void connect() throws SQLException, ReflectiveOperationException {
        Connection c = dataSource.getConnection();
        try {
            Class<?> type = Class.forName("org.postgresql.PGConnection", false, c.getClass().getClassLoader());
            Object unwrapped = c.unwrap(type);
            try (Statement s = c.createStatement()) {
                s.execute(DatabaseSql.LISTEN);
            }
            getNotifications = type.getMethod("getNotifications", int.class);
            pg = unwrapped;
            connection = c;
        } catch (SQLException | ReflectiveOperationException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    @Override
    public void close() {
        Connection c = connection;
        connection = null;
        pg = null;
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                // gone already
            }
        }
    }
}
