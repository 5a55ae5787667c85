/**
 * Start-up and shutdown: the node's identity and incarnation, schema migration, and starting and stopping the
 * dispatcher and the rescuer in order.
 */
package dev.dukequeue.engine.lifecycle;
