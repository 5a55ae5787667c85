package dev.dukequeue.engine.database;

/**
 * Every native statement of the database infrastructure (the schema history, the migration locks, {@code LISTEN},
 * the batch runtime's job repository), named. The queue's own statements are in the store's catalogues ({@code JobSql},
 * {@code ClusterSql}); this one is separate because {@code database} does not depend on {@code store}. A test
 * ({@code SqlCatalogueTest}) fails when a statement appears in any class that is not a catalogue.
 */
final class DatabaseSql {

    /** Arbitrary but fixed: the advisory lock key PostgreSQL nodes serialise migrations on. */
    private static final long MIGRATION_LOCK_ID = 0x44756b6551L;

    static final String CREATE_SCHEMA_HISTORY = "CREATE TABLE IF NOT EXISTS dq_schema_history ("
            + "version INTEGER NOT NULL PRIMARY KEY, description VARCHAR(200) NOT NULL, checksum VARCHAR(64) NOT NULL,"
            + " installed_at TIMESTAMP NOT NULL)";
    static final String INSERT_SCHEMA_HISTORY = "INSERT INTO dq_schema_history (version, description, checksum,"
            + " installed_at) VALUES (?, ?, ?, CURRENT_TIMESTAMP)";
    static final String SELECT_SCHEMA_HISTORY = "SELECT version, checksum FROM dq_schema_history ORDER BY version";

    static final String POSTGRESQL_LOCK_MIGRATIONS = "SELECT pg_advisory_lock(" + MIGRATION_LOCK_ID + ")";
    static final String POSTGRESQL_UNLOCK_MIGRATIONS = "SELECT pg_advisory_unlock(" + MIGRATION_LOCK_ID + ")";
    static final String MARIADB_LOCK_MIGRATIONS = "SELECT GET_LOCK('dukequeue.migrate', 120)";
    static final String MARIADB_UNLOCK_MIGRATIONS = "SELECT RELEASE_LOCK('dukequeue.migrate')";

    /** PostgreSQL: subscribes the listening connection to the channel every committed submission notifies. */
    static final String LISTEN = "LISTEN " + JobNotifications.CHANNEL;

    /**
     * The batch runtime's job repository (Payara's JBatch tables, not DukeQueue's schema; the table prefix is
     * prepended): an execution a dead JVM left running becomes FAILED, so that {@code JobOperator.restart} accepts it.
     */
    static String markExecutionFailed(String prefix) {
        return "UPDATE " + prefix + "EXECUTIONINSTANCEDATA"
                + " SET batchstatus = 'FAILED', exitstatus = ?, endtime = CURRENT_TIMESTAMP,"
                + " updatetime = CURRENT_TIMESTAMP WHERE jobexecid = ?"
                + " AND batchstatus IN ('STARTING', 'STARTED', 'STOPPING')";
    }

    /** Its steps, likewise. */
    static String markStepsFailed(String prefix) {
        return "UPDATE " + prefix + "STEPEXECUTIONINSTANCEDATA"
                + " SET batchstatus = 'FAILED', exitstatus = 'FAILED' WHERE jobexecid = ?"
                + " AND batchstatus IN ('STARTING', 'STARTED', 'STOPPING')";
    }

    private DatabaseSql() {
    }
}
