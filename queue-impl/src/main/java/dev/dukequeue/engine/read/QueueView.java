package dev.dukequeue.engine.read;

import dev.dukequeue.JobState;
import java.util.Map;

/**
 * One queue, for operators.
 *
 * @param name   the queue
 * @param paused true if no node claims its jobs
 * @param counts its jobs per state
 * @param maxRunning its cluster-wide limit on RUNNING jobs, or null for none
 * @param maxWaiting its limit on waiting (SCHEDULED and PENDING) jobs; past it submissions are refused
 * @param warnAt     the number of waiting jobs past which a backlog warning is logged
 * @param refused    submissions this node refused because the queue was full, since it started
 */
public record QueueView(String name, boolean paused, Map<JobState, Long> counts, Integer maxRunning, long maxWaiting,
        long warnAt, long refused) {

    public QueueView {
        counts = Map.copyOf(counts);
    }
}
