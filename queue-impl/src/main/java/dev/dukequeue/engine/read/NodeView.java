package dev.dukequeue.engine.read;

import java.time.Duration;
import java.time.Instant;

/**
 * One node of the cluster, for operators.
 *
 * @param owner         the lease owner {@code name#incarnation} (one per start)
 * @param name          the node's stable name
 * @param status        {@code alive} (heartbeat recent), {@code stopped} (shut down cleanly) or {@code missing}
 *                      (silent: killed, frozen or cut off; its leases expire and its jobs are rescued)
 * @param phase         the phase it last reported
 * @param workers       its worker threads
 * @param running       jobs it holds a lease on now
 * @param startedAt     when it first reported
 * @param heartbeatAt   its last heartbeat
 * @param heartbeatAge  how long ago that was (database clock)
 */
public record NodeView(String owner, String name, String status, String phase, int workers, long running,
                       Instant startedAt, Instant heartbeatAt, Duration heartbeatAge) {
}
