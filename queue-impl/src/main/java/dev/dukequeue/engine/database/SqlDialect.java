package dev.dukequeue.engine.database;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;

/**
 * What differs between the supported databases, kept small: the database clock, time arithmetic, whether a claim
 * can be one {@code UPDATE ... RETURNING}, and how concurrent migrations are serialised.
 */
public enum SqlDialect {

    POSTGRESQL("postgresql") {
        @Override
        public String now() {
            // The statement's time, not the transaction's (CURRENT_TIMESTAMP): a claim whose transaction began before
            // a completion committed must not record a start earlier than that completion's end.
            return "statement_timestamp()";
        }

        @Override
        public String plusMillisParam(String timestamp) {
            return "(" + timestamp + " + CAST(? AS DOUBLE PRECISION) * INTERVAL '1 millisecond')";
        }

        @Override
        public boolean claimsWithReturning() {
            return true;
        }

        @Override
        void lockMigrations(Connection c) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute(DatabaseSql.POSTGRESQL_LOCK_MIGRATIONS);
            }
        }

        @Override
        void unlockMigrations(Connection c) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute(DatabaseSql.POSTGRESQL_UNLOCK_MIGRATIONS);
            }
        }
    },

    H2("h2") {
        @Override
        public String now() {
            return "CURRENT_TIMESTAMP";
        }

        @Override
        public String plusMillisParam(String timestamp) {
            return "DATEADD(MILLISECOND, CAST(? AS BIGINT), " + timestamp + ")";
        }

        @Override
        public boolean claimsWithReturning() {
            return false;
        }

        @Override
        void lockMigrations(Connection c) {
            // An H2 file database is opened by one process only (its file lock); SchemaMigrator serialises
            // callers within that process.
        }

        @Override
        void unlockMigrations(Connection c) {
            // see lockMigrations
        }
    },

    MARIADB("mariadb") {
        @Override
        public String now() {
            return "UTC_TIMESTAMP(6)"; // DATETIME columns hold UTC whatever the session's time zone
        }

        @Override
        public String plusMillisParam(String timestamp) {
            return "TIMESTAMPADD(MICROSECOND, CAST(? AS SIGNED) * 1000, " + timestamp + ")";
        }

        @Override
        public boolean claimsWithReturning() {
            return false;
        }

        @Override
        void lockMigrations(Connection c) throws SQLException {
            try (Statement s = c.createStatement();
                 var rs = s.executeQuery(DatabaseSql.MARIADB_LOCK_MIGRATIONS)) {
                if (!rs.next() || rs.getInt(1) != 1) {
                    throw new SQLException("could not take the migration lock 'dukequeue.migrate' within 120 s");
                }
            }
        }

        @Override
        void unlockMigrations(Connection c) throws SQLException {
            try (Statement s = c.createStatement()) {
                s.execute(DatabaseSql.MARIADB_UNLOCK_MIGRATIONS);
            }
        }
    };

    private final String folder;

    SqlDialect(String folder) {
        this.folder = folder;
    }

    /** @return the folder under {@code db/migration/} holding this dialect's migrations */
    public String migrationFolder() {
        return folder;
    }

    /** @return the SQL expression for the database's current time (used for every lease and due time) */
    public abstract String now();

    /** @return SQL adding one bound parameter of milliseconds to {@code timestamp} */
    public abstract String plusMillisParam(String timestamp);

    /** @return a bound parameter typed as a 64-bit integer (so that {@code ? IS NULL} has a type everywhere) */
    public String bigintParam() {
        return this == MARIADB ? "CAST(? AS SIGNED)" : "CAST(? AS BIGINT)";
    }

    /** @return true if the exception is a unique-key violation (the transaction stays usable on H2 and MariaDB) */
    public static boolean isUniqueViolation(SQLException e) {
        return "23505".equals(e.getSQLState()) || e.getErrorCode() == 1062
                || ("23000".equals(e.getSQLState()) && e.getMessage() != null && e.getMessage().contains("Duplicate"));
    }

    /** @return true if a claim can select, lock and update in one statement that returns the rows */
    public abstract boolean claimsWithReturning();

    abstract void lockMigrations(Connection c) throws SQLException;

    abstract void unlockMigrations(Connection c) throws SQLException;

    /**
     * Recognises the database behind a connection.
     *
     * @throws SQLException if it is none of the supported ones
     */
    public static SqlDialect of(Connection c) throws SQLException {
        String product = c.getMetaData().getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("postgres")) {
            return POSTGRESQL;
        }
        if (product.contains("h2")) {
            return H2;
        }
        if (product.contains("mariadb") || product.contains("mysql")) {
            return MARIADB;
        }
        throw new SQLException("unsupported database '" + product + "': DukeQueue supports PostgreSQL, H2 and MariaDB");
    }
}
