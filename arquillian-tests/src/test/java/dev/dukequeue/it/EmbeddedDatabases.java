package dev.dukequeue.it;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Databases the build starts for the tests (client side only; never packaged into a deployment). The embedded
 * PostgreSQL comes from Maven binaries: no installation, no Docker. It lives until the test JVM exits.
 */
public final class EmbeddedDatabases {

    private static EmbeddedPostgres postgres;

    private EmbeddedDatabases() {
    }

    /** @return the JDBC URL of a running embedded PostgreSQL (user postgres, no password), started on first use */
    public static synchronized String postgresUrl() {
        if (postgres == null) {
            try {
                postgres = EmbeddedPostgres.builder().start();
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
}
