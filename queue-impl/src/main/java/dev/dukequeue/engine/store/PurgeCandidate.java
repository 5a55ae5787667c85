package dev.dukequeue.engine.store;

import java.io.Serializable;
import java.time.Instant;

/**
 * A finished job retention may delete.
 *
 * @param id         the job
 * @param state      its (terminal) state
 * @param finishedAt when it finished
 */
public record PurgeCandidate(String id, String state, Instant finishedAt) implements Serializable {
}
