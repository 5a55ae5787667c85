/**
 * Start-up and shutdown: waiting for the database, schema migration, starting the dispatcher and the housekeeping
 * in order, and the ordered shutdown. The node's identity and status live in {@code engine.node}.
 */
package dev.dukequeue.engine.lifecycle;
