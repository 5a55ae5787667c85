package dev.dukequeue.engine.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** Whether the database answers at all: the start-up's wait for it (no statement, only {@code Connection.isValid}). */
public final class DatabaseProbe {

    private static final int TIMEOUT_SECONDS = 5;

    private DatabaseProbe() {
    }

    /** @return why the database does not answer, or empty if a valid connection was had within 5 s */
    public static Optional<String> unreachable(DataSource dataSource) {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(TIMEOUT_SECONDS) ? Optional.empty() : Optional.of("connection is not valid");
        } catch (SQLException | RuntimeException e) {
            return Optional.of(String.valueOf(e.getMessage()));
        }
    }
}
