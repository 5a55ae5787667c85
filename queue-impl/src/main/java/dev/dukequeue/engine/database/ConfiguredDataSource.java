package dev.dukequeue.engine.database;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Locale;
import java.util.Optional;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * The data source class behind {@code java:app/jdbc/dukequeue}: the container's pool creates its physical
 * connections through it. It reads its settings through MicroProfile Config when they are first needed, so the
 * same deployment runs on any database without repackaging:
 *
 * <ul>
 *   <li>{@code dukequeue.db.url} ({@code DUKEQUEUE_DB_URL}): a {@code jdbc:postgresql:}, {@code jdbc:mariadb:} or
 *       {@code jdbc:h2:} URL. Unset: an H2 file database {@code dukequeue} in the data directory.</li>
 *   <li>{@code dukequeue.db.user}, {@code dukequeue.db.password}.</li>
 *   <li>{@code dukequeue.data.dir} ({@code DUKEQUEUE_DATA_DIR}, default {@code ./data}).</li>
 * </ul>
 *
 * <p>The embedded H2 database writes every commit through to the file ({@code WRITE_DELAY=0}), and waits up to 10 s
 * for a row lock ({@code LOCK_TIMEOUT}: a second submitter of an idempotency key waits for the first), so an acknowledged
 * job survives kill -9. MariaDB sessions run in UTC (DATETIME columns hold UTC instants) and at READ COMMITTED
 * (InnoDB's default REPEATABLE READ takes gap locks that make concurrent claims deadlock).
 */
public class ConfiguredDataSource implements DataSource {

    private static final Logger LOG = Logger.getLogger(ConfiguredDataSource.class.getName());

    private volatile Target target;
    private PrintWriter logWriter;
    private int loginTimeout;

    private record Target(Driver driver, String url, Properties properties) {
    }

    @Override
    public Connection getConnection() throws SQLException {
        Target t = target();
        Connection c = t.driver().connect(t.url(), t.properties());
        if (c == null) {
            throw new SQLException("the JDBC driver " + t.driver().getClass().getName() + " does not accept " + t.url());
        }
        return c;
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return getConnection();
    }

    private Target target() throws SQLException {
        Target t = target;
        if (t == null) {
            synchronized (this) {
                t = target;
                if (t == null) {
                    t = resolve();
                    target = t;
                }
            }
        }
        return t;
    }

    /**
     * The embedded H2 database's file name in the data directory, and whether an H2 URL given in
     * {@code dukequeue.db.url} is used as it is. The batch job repository's data source (a subclass) uses a file of its
     * own for H2, because two H2 engines in one JVM (Payara's and the application's) cannot open one file.
     */
    protected String embeddedFile() {
        return "dukequeue";
    }

    /** @return true if an H2 URL in {@code dukequeue.db.url} is used as given (false: the embedded file instead) */
    protected boolean usesConfiguredH2() {
        return true;
    }

    private Target resolve() throws SQLException {
        String url = setting("dukequeue.db.url").orElse(null);
        if (url != null && url.toLowerCase(Locale.ROOT).startsWith("jdbc:h2:") && !usesConfiguredH2()) {
            url = null;
        }
        Properties props = new Properties();
        if (url == null) {
            Path dir = Path.of(setting("dukequeue.data.dir").orElse("data")).toAbsolutePath().normalize();
            try {
                DataDirectory.ensure(dir);
            } catch (java.io.IOException e) {
                throw new SQLException("cannot create the data directory " + dir + ": " + e.getMessage(), e);
            }
            url = "jdbc:h2:file:" + dir.resolve(embeddedFile()) + ";WRITE_DELAY=0;LOCK_TIMEOUT=10000";
            props.setProperty("user", setting("dukequeue.db.user").orElse("sa"));
            props.setProperty("password", setting("dukequeue.db.password").orElse(""));
        } else {
            setting("dukequeue.db.user").ifPresent(v -> props.setProperty("user", v));
            setting("dukequeue.db.password").ifPresent(v -> props.setProperty("password", v));
        }
        String driverClass = driverFor(url);
        if (driverClass.startsWith("org.postgresql")) {
            // Plan every execution with its parameters and the tables' current size. The driver prepares a statement
            // on the server after 5 runs and PostgreSQL may then keep one generic plan for the connection: planned
            // while dq_attempt was nearly empty (a new install, a burst after a quiet spell), it kept a sequential scan
            // that closed each batch's attempts by reading the whole table, until autovacuum's next ANALYZE (measured:
            // a drain of 100,000 jobs at 6,000 jobs/s instead of 8,000). Planning these statements costs microseconds.
            // A URL that sets its own "options" replaces this.
            props.putIfAbsent("options", "-c plan_cache_mode=force_custom_plan");
            // A batch submission's jobs go to the server as multi-row INSERTs (the driver rewrites the JDBC batch of
            // single-row inserts), not one INSERT each.
            props.putIfAbsent("reWriteBatchedInserts", "true");
        }
        if (driverClass.startsWith("org.mariadb")) {
            props.putIfAbsent("connectionTimeZone", "UTC");
            props.putIfAbsent("forceConnectionTimeZoneToSession", "true");
            props.putIfAbsent("preserveInstants", "true");
            // REPEATABLE READ (InnoDB's default) takes gap locks that make concurrent claims deadlock.
            props.putIfAbsent("sessionVariables", "transaction_isolation='READ-COMMITTED'");
        }
        try {
            Driver driver = (Driver) Class.forName(driverClass, true, ConfiguredDataSource.class.getClassLoader())
                    .getDeclaredConstructor().newInstance();
            String shown = url.replaceAll("password=[^;&]*", "password=***");
            String what = getClass() == ConfiguredDataSource.class ? "DukeQueue database" : getClass().getSimpleName();
            LOG.info(() -> what + ": " + shown);
            return new Target(driver, url, props);
        } catch (ReflectiveOperationException e) {
            throw new SQLException("JDBC driver " + driverClass + " for " + url + " is not on the classpath", e);
        }
    }

    /**
     * Checks what retrying cannot fix, before the node starts waiting for its database: the URL's kind and the presence
     * of its JDBC driver.
     *
     * @throws IllegalArgumentException naming the setting and the problem
     */
    public static void checkSettings() {
        String url = setting("dukequeue.db.url").orElse(null);
        if (url == null) {
            return; // the embedded H2 database
        }
        try {
            Class.forName(driverFor(url), false, ConfiguredDataSource.class.getClassLoader());
        } catch (SQLException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException("dukequeue.db.url " + url + " needs the JDBC driver " + e.getMessage()
                    + ", which is not on the class path", e);
        }
    }

    static String driverFor(String url) throws SQLException {
        String u = url.toLowerCase(Locale.ROOT);
        if (u.startsWith("jdbc:postgresql:")) {
            return "org.postgresql.Driver";
        }
        if (u.startsWith("jdbc:mariadb:") || u.startsWith("jdbc:mysql:")) {
            return "org.mariadb.jdbc.Driver";
        }
        if (u.startsWith("jdbc:h2:")) {
            return "org.h2.Driver";
        }
        throw new SQLException("dukequeue.db.url must start with jdbc:postgresql:, jdbc:mariadb: or jdbc:h2:, got " + url);
    }

    /** MicroProfile Config when the runtime has it (the container); system properties and environment otherwise. */
    static Optional<String> setting(String key) {
        try {
            return ConfigProvider.getConfig(ConfiguredDataSource.class.getClassLoader())
                    .getOptionalValue(key, String.class).filter(v -> !v.isBlank());
        } catch (RuntimeException | LinkageError noConfigRuntime) {
            String value = System.getProperty(key);
            if (value == null) {
                value = System.getenv(key.toUpperCase(Locale.ROOT).replace('.', '_'));
            }
            return Optional.ofNullable(value).filter(v -> !v.isBlank());
        }
    }

    @Override
    public PrintWriter getLogWriter() {
        return logWriter;
    }

    @Override
    public void setLogWriter(PrintWriter out) {
        this.logWriter = out;
    }

    @Override
    public void setLoginTimeout(int seconds) {
        this.loginTimeout = seconds;
    }

    @Override
    public int getLoginTimeout() {
        return loginTimeout;
    }

    @Override
    public java.util.logging.Logger getParentLogger() throws SQLFeatureNotSupportedException {
        throw new SQLFeatureNotSupportedException();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        throw new SQLException("not a wrapper for " + iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) {
        return iface.isInstance(this);
    }
}
