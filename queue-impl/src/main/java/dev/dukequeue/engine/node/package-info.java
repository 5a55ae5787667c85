/**
 * This node: who it is ({@link dev.dukequeue.engine.node.NodeIdentity}, name and incarnation, the owner of its
 * leases), where it is in its life ({@link dev.dukequeue.engine.node.EngineStatus}, read by the health checks) and
 * its row in the cluster tables ({@link dev.dukequeue.engine.node.NodeRegistry}). Its own package so that the
 * dispatcher and the leases can know the node without depending on the start-up and shutdown that drive them.
 */
package dev.dukequeue.engine.node;
