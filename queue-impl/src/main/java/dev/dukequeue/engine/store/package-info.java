/**
 * All SQL of the engine, behind {@link dev.dukequeue.engine.store.JdbcJobStore}: the fenced state changes, claims
 * with {@code FOR UPDATE SKIP LOCKED}, heartbeats, the rescuer's scan and submission inserts ({@link
 * dev.dukequeue.engine.store.JobSql}); dialect differences in {@link dev.dukequeue.engine.database.SqlDialect};
 * versioned schema migrations ({@link dev.dukequeue.engine.database.SchemaMigrator}); and the configurable data source
 * that points the engine at H2, PostgreSQL or MariaDB.
 */
package dev.dukequeue.engine.store;
