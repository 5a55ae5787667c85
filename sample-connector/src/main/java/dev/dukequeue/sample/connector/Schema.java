package dev.dukequeue.sample.connector;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/** Creates the sample's table at deployment if it is not there (H2, PostgreSQL and MariaDB all take this DDL). */
@Singleton
@Startup
public class Schema {

    @Resource(lookup = "jdbc/dukequeue")
    DataSource database;

    @PostConstruct
    void create() {
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE IF NOT EXISTS sample_invoice (id VARCHAR(36) PRIMARY KEY, "
                    + "customer VARCHAR(100) NOT NULL, cents BIGINT NOT NULL, sends INT DEFAULT 0 NOT NULL)");
        } catch (SQLException e) {
            throw new IllegalStateException("sample_invoice cannot be created: " + e.getMessage(), e);
        }
    }
}
