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

    /** {@link #await}: no notification came. */
    public static final int NONE = Integer.MAX_VALUE;

    /**
     * Waits up to {@code millis} for notifications.
     *
     * @return {@link #NONE} if none came, else the most urgent job priority they carry (their payload); 0 for one
     *         without a readable payload (a node of an older version), the safe answer (see ClaimFloor)
     * @throws StoreException if the connection broke (the next call reconnects)
     */
    public int await(int millis) {
        try {
            if (connection == null) {
                connect();
            }
            Object notifications = getNotifications.invoke(pg, millis);
            int priority = NONE;
            int n = notifications == null ? 0 : Array.getLength(notifications);
            for (int i = 0; i < n; i++) {
                priority = Math.min(priority, priority(Array.get(notifications, i)));
            }
            return priority;
        } catch (ReflectiveOperationException | SQLException e) {
            close();
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
            throw new StoreException("listening for new jobs", cause instanceof SQLException s ? s
                    : new SQLException(String.valueOf(cause), cause));
        }
    }

    /** A notification's payload ({@code PGNotification.getParameter()}) as a priority; 0 when it is not one. */
    static int priority(Object notification) {
        try {
            Object payload = notification.getClass().getMethod("getParameter").invoke(notification);
            String text = payload == null ? "" : payload.toString().trim();
            return text.length() == 1 && Character.isDigit(text.charAt(0)) ? text.charAt(0) - '0' : 0;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return 0;
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
