package dev.dukequeue.engine.store;

/**
 * Every statement of the index upkeep ({@link Indexes}), PostgreSQL only: the catalog reads that size DukeQueue's
 * indexes and estimate what their live entries need, the check for a transaction holding the xmin horizon, the
 * cluster-wide run lock, and the rebuild itself. A catalogue like {@link JobSql}: {@code SqlCatalogueTest} fails on
 * SQL anywhere else.
 */
final class IndexSql {

    /** Arbitrary but fixed: the advisory lock key one node's upkeep run holds. */
    static final long RUN_LOCK_ID = 0x44754b6549L;

    static final String TRY_LOCK = "SELECT pg_try_advisory_lock(" + RUN_LOCK_ID + ")";
    static final String UNLOCK = "SELECT pg_advisory_unlock(" + RUN_LOCK_ID + ")";

    /** {@code REINDEX ... CONCURRENTLY} needs PostgreSQL 12. */
    static final String SERVER_VERSION = "SELECT current_setting('server_version_num')::int";

    /** The indexes of DukeQueue's tables, in the connection's schema; {@code valid} false for a failed build. */
    private static final String INDEXES = "SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname),"
            + " pg_relation_size(c.oid), c.reltuples, i.indisvalid, c.relname,"
            // the key's width: the statistics' average width of each key column; a column without statistics counts
            + " (SELECT sum(s.avg_width) FROM unnest(i.indkey::int2[]) k"
            + "   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k"
            + "   LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = t.relname"
            + "    AND s.attname = a.attname),"
            + " (SELECT count(*) FROM unnest(i.indkey::int2[]) k"
            + "   JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k"
            + "   LEFT JOIN pg_stats s ON s.schemaname = n.nspname AND s.tablename = t.relname"
            + "    AND s.attname = a.attname WHERE s.avg_width IS NULL)"
            + " FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid"
            + " JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_am am ON am.oid = c.relam"
            + " WHERE n.nspname = current_schema() AND t.relname LIKE 'dq\\_%' AND am.amname = 'btree'"
            + " AND i.indexprs IS NULL";

    /** Valid indexes, largest first: name, bytes, reltuples, valid, relname, key width, key columns without stats. */
    static final String VALID_INDEXES = INDEXES + " AND i.indisvalid ORDER BY 2 DESC";

    /** What an interrupted {@code REINDEX CONCURRENTLY} leaves: invalid indexes named {@code ..._ccnew} or {@code _ccold}. */
    static final String LEFTOVERS = INDEXES + " AND NOT i.indisvalid AND c.relname ~ '_cc(new|old)[0-9]*$'";

    /**
     * The oldest client transaction (or prepared transaction) holding a snapshot for longer than the given seconds:
     * while it does, a rebuild would wait for it and build the same dead entries back.
     */
    static final String HOLDER = "SELECT 'pid ' || pid || ' (user ' || coalesce(usename, '?') || ', application '''"
            + " || coalesce(application_name, '') || ''', ' || coalesce(state, '?') || ', transaction open since '"
            + " || xact_start || ')', xact_start FROM pg_stat_activity"
            + " WHERE backend_type = 'client backend' AND backend_xmin IS NOT NULL AND pid <> pg_backend_pid()"
            + " AND xact_start < now() - make_interval(secs => ?)"
            + " UNION ALL SELECT 'prepared transaction ''' || gid || ''' (prepared ' || prepared || ')', prepared"
            + " FROM pg_prepared_xacts WHERE prepared < now() - make_interval(secs => ?)"
            + " ORDER BY 2 LIMIT 1";

    static final String SIZE = "SELECT pg_relation_size(to_regclass(?))";

    /** Session limits of the rebuild's connection (reset afterwards: the connection returns to a pool). */
    static String limits(long lockTimeoutMs, long statementTimeoutMs) {
        return "SET lock_timeout = " + lockTimeoutMs + "; SET statement_timeout = " + statementTimeoutMs;
    }

    static final String RESET_LIMITS = "RESET lock_timeout; RESET statement_timeout";

    /** @param name a name as {@link #VALID_INDEXES} returns it (quoted by the database) */
    static String reindex(String name) {
        return "REINDEX INDEX CONCURRENTLY " + name;
    }

    /** @param name a name as {@link #LEFTOVERS} returns it (quoted by the database) */
    static String dropLeftover(String name) {
        return "DROP INDEX CONCURRENTLY IF EXISTS " + name;
    }

    private IndexSql() {
    }
}
