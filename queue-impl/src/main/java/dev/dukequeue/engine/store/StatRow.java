package dev.dukequeue.engine.store;

import java.time.Instant;

/**
 * One node's activity in one queue since its previous row, and the depth snapshot it held when it wrote it. A queue
 * without a row in a node's write was idle then (no activity, nothing waiting or running).
 *
 * @param node         the writing node's lease owner
 * @param sampledAt    when it was written (database clock)
 * @param queue        the queue
 * @param submitted    jobs submitted through this node since its previous row
 * @param completed    jobs this node completed
 * @param failed       failed attempts on this node (retried or not)
 * @param deadLettered jobs this node moved to DEAD_LETTER
 * @param waiting      cluster-wide PENDING + SCHEDULED jobs of the queue at the last snapshot
 * @param running      cluster-wide RUNNING jobs of the queue at the last snapshot
 */
public record StatRow(String node, Instant sampledAt, String queue, long submitted, long completed, long failed,
                      long deadLettered, long waiting, long running) {

    /** The queue name of the row a node writes when it saw no activity and no waiting or running job anywhere. */
    public static final String IDLE = "*";
}
