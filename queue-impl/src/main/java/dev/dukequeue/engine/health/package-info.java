/**
 * MicroProfile Health checks: readiness (started, database circuit closed, not draining), liveness (the claim loop
 * turns, start-up did not fail for good) and started (start-up recovery finished). Each check's data says why it is
 * DOWN.
 */
package dev.dukequeue.engine.health;
