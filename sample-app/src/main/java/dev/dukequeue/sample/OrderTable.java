package dev.dukequeue.sample;

import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;

/**
 * The sample's own table, {@code sample_order}, in DukeQueue's database. Created on first use, outside any
 * transaction (MariaDB commits DDL implicitly), with SQL that PostgreSQL, H2 and MariaDB all accept. A real
 * application would create it with its own migrations.
 */
@Singleton
public class OrderTable {

    @Resource(lookup = "java:app/jdbc/dukequeue")
    DataSource dataSource;

    private volatile boolean created;

    /** Creates the table if it is not there yet. */
    @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
    public void ensure() {
        if (created) {
            return;
        }
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS sample_order (id VARCHAR(64) NOT NULL PRIMARY KEY,"
                    + " customer VARCHAR(100) NOT NULL, cents BIGINT NOT NULL, job_id VARCHAR(36) NOT NULL,"
                    + " confirmed_at TIMESTAMP NULL)");
            created = true;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create table sample_order: " + e.getMessage(), e);
        }
    }
}
