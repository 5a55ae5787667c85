/**
 * Housekeeping: the node's one periodic timer ({@link dev.dukequeue.engine.upkeep.Housekeeping}), which wakes the
 * rescue of expired leases, the dependency sweep ({@link dev.dukequeue.engine.upkeep.DependencySweep}), the metrics'
 * queue-depth snapshot and the node's heartbeat row.
 */
package dev.dukequeue.engine.upkeep;
