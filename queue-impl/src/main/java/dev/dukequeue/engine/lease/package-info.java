/**
 * The lease lifecycle after the claim: the {@link dev.dukequeue.engine.lease.LeaseKeeper} renews the leases this node
 * holds (heartbeats, run by the dispatcher, which knows what it runs), the {@link dev.dukequeue.engine.lease.JobRescuer}
 * takes back jobs whose lease expired (their node died, stalled or lost the database), and
 * {@link dev.dukequeue.engine.lease.StartupRecovery} takes back at once, at start-up, the jobs earlier incarnations of
 * this node held. The fence itself (every move out of RUNNING checks the lease token) is the store's.
 */
package dev.dukequeue.engine.lease;
