/**
 * The database infrastructure under the store: the configurable data source that points the engine at H2,
 * PostgreSQL or MariaDB ({@link dev.dukequeue.engine.database.ConfiguredDataSource}, and the batch runtime's
 * {@link dev.dukequeue.engine.database.BatchRepositoryDataSource}), what differs between those databases
 * ({@link dev.dukequeue.engine.database.SqlDialect}), the versioned schema migrations
 * ({@link dev.dukequeue.engine.database.SchemaMigrator}), local JDBC transactions for the dispatcher's hot paths
 * ({@link dev.dukequeue.engine.database.LocalTransactions}), the fault-tolerance guard around every store call
 * ({@link dev.dukequeue.engine.database.DatabaseGuard} over {@link dev.dukequeue.engine.database.GuardedCalls}), the
 * exception a failed statement becomes ({@link dev.dukequeue.engine.database.StoreException}), PostgreSQL's
 * {@code LISTEN} ({@link dev.dukequeue.engine.database.JobNotifications}) and the one statement run against the batch
 * runtime's job repository ({@link dev.dukequeue.engine.database.BatchRepository}). Its statements are in
 * {@link dev.dukequeue.engine.database.DatabaseSql}.
 *
 * <p>Knows nothing of jobs: it does not depend on {@code store} (an architecture test checks it).
 */
package dev.dukequeue.engine.database;
