package dev.dukequeue.engine.database;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Applies the versioned schema migrations {@code db/migration/<dialect>/V<n>__<name>.sql} in order, each in its own
 * transaction with its history row, and refuses to start on a database whose applied migrations were edited
 * afterwards (checksum mismatch). Nodes starting together serialise on a database lock (PostgreSQL advisory lock,
 * MariaDB {@code GET_LOCK}); JPA schema generation is never used.
 *
 * <p>Must be called with no JTA transaction active: it commits on its own connection.
 */
public final class SchemaMigrator {

    private static final Logger LOG = Logger.getLogger(SchemaMigrator.class.getName());

    /** Every migration, in order. A new one is appended here and added for each dialect. */
    public static final List<String> MIGRATIONS = List.of("V1__jobs.sql", "V2__lease_losses.sql", "V3__queues.sql", "V4__flow_control.sql",
            "V5__checkpoints.sql", "V6__cluster.sql", "V7__lean_indexes.sql", "V8__claim_indexes.sql",
            "V9__attempt_history.sql", "V10__running_off_seq_index.sql", "V11__release_count.sql", "V12__traceparent.sql");

    private final DataSource dataSource;

    public SchemaMigrator(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Brings the schema up to date.
     *
     * @return how many migrations were applied now (0 when the schema was current)
     * @throws SQLException           if the database fails or refuses a migration (nothing of it is kept where
     *                                the database has transactional DDL)
     * @throws IllegalStateException  if an applied migration no longer matches its file
     */
    public int migrate() throws SQLException {
        synchronized (SchemaMigrator.class) {
            try (Connection c = dataSource.getConnection()) {
                SqlDialect dialect = SqlDialect.of(c);
                boolean autoCommit = c.getAutoCommit();
                dialect.lockMigrations(c);
                try {
                    return migrate(c, dialect);
                } finally {
                    c.setAutoCommit(autoCommit);
                    dialect.unlockMigrations(c);
                }
            }
        }
    }

    private int migrate(Connection c, SqlDialect dialect) throws SQLException {
        c.setAutoCommit(true);
        try (Statement s = c.createStatement()) {
            s.execute(DatabaseSql.CREATE_SCHEMA_HISTORY);
        }
        Map<Integer, String> applied = appliedChecksums(c);
        int count = 0;
        for (String file : MIGRATIONS) {
            int version = version(file);
            String text = read(dialect, file);
            String checksum = sha256(text);
            String known = applied.get(version);
            if (known != null) {
                if (!known.equals(checksum)) {
                    throw new IllegalStateException("migration " + file + " (" + dialect.migrationFolder()
                            + ") was changed after it was applied: checksum " + checksum + " != recorded " + known);
                }
                continue;
            }
            apply(c, dialect, file, version, text, checksum);
            count++;
        }
        int appliedNow = count;
        LOG.log(appliedNow > 0 ? java.util.logging.Level.INFO : java.util.logging.Level.FINE,
                () -> "schema on " + dialect + " is at version " + version(MIGRATIONS.get(MIGRATIONS.size() - 1)));
        return count;
    }

    private static void apply(Connection c, SqlDialect dialect, String file, int version, String text, String checksum)
            throws SQLException {
        long start = System.nanoTime();
        c.setAutoCommit(false);
        try (Statement s = c.createStatement()) {
            for (String statement : statements(text)) {
                s.execute(statement);
            }
            try (PreparedStatement ps = c.prepareStatement(DatabaseSql.INSERT_SCHEMA_HISTORY)) {
                ps.setInt(1, version);
                ps.setString(2, file);
                ps.setString(3, checksum);
                ps.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            c.rollback();
            throw new SQLException("migration " + file + " on " + dialect + " failed: " + e.getMessage(), e);
        } finally {
            c.setAutoCommit(true);
        }
        LOG.info(() -> "applied migration " + file + " on " + dialect + " in "
                + (System.nanoTime() - start) / 1_000_000 + " ms");
    }

    private static Map<Integer, String> appliedChecksums(Connection c) throws SQLException {
        Map<Integer, String> applied = new LinkedHashMap<>();
        try (Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(DatabaseSql.SELECT_SCHEMA_HISTORY)) {
            while (rs.next()) {
                applied.put(rs.getInt(1), rs.getString(2));
            }
        }
        return applied;
    }

    static int version(String file) {
        return Integer.parseInt(file.substring(1, file.indexOf("__")));
    }

    static String read(SqlDialect dialect, String file) {
        String path = "db/migration/" + dialect.migrationFolder() + "/" + file;
        try (InputStream in = SchemaMigrator.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("migration " + path + " is missing from the classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration " + path, e);
        }
    }

    /** Splits a migration into statements: full-line comments dropped, statements end with ';' at a line end. */
    static List<String> statements(String text) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : text.split("\n")) {
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("--")) {
                continue;
            }
            current.append(line).append('\n');
            if (trimmed.endsWith(";")) {
                String statement = current.toString().strip();
                statements.add(statement.substring(0, statement.length() - 1));
                current.setLength(0);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString().strip());
        }
        return statements;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
