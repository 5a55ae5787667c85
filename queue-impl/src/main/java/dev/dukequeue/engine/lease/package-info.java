/**
 * Leases that outlive their node: the {@link dev.dukequeue.engine.lease.JobRescuer} takes back jobs whose lease
 * expired (their node died, stalled or lost the database). Lease renewal (heartbeats) lives with the dispatcher,
 * which knows what it runs.
 */
package dev.dukequeue.engine.lease;
