package dev.dukequeue.engine.store;

import java.time.Instant;

/**
 * One node as the cluster table sees it.
 *
 * @param owner       the lease owner {@code name#incarnation} (one row per start of a node)
 * @param name        the node's stable name
 * @param phase       its last reported phase (RUNNING, DRAINING, STOPPED, ...)
 * @param workers     its worker threads
 * @param startedAt   when this incarnation first reported (database clock)
 * @param heartbeatAt its last heartbeat (database clock)
 * @param running     jobs it holds a lease on now
 */
public record NodeRecord(String owner, String name, String phase, int workers, Instant startedAt, Instant heartbeatAt,
                         long running) {
}
