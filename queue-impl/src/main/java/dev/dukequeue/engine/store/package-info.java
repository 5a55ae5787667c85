/**
 * Every read and write of the queue's own tables as native SQL, behind two facades: {@link
 * dev.dukequeue.engine.store.JdbcJobStore} (jobs, queues, schedules; transaction attributes only) and {@link
 * dev.dukequeue.engine.store.ClusterStore} (nodes and activity). The work is done by package-private statement
 * classes, one per concern: submissions, claims, outcomes, leases, operator commands, dependencies, queue settings,
 * schedules and retention. Every statement is named in one catalogue per family, {@link
 * dev.dukequeue.engine.store.JobSql} and {@code ClusterSql}, rendered once per dialect. The data source, dialects,
 * migrations and the guard are in {@code dev.dukequeue.engine.database}.
 */
package dev.dukequeue.engine.store;
