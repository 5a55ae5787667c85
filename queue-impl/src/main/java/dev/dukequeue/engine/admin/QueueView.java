package dev.dukequeue.engine.admin;

import dev.dukequeue.JobState;
import java.util.Map;

/**
 * One queue, for operators.
 *
 * @param name   the queue
 * @param paused true if no node claims its jobs
 * @param counts its jobs per state
 * @param maxRunning its cluster-wide limit on RUNNING jobs, or null for none
 */
public record QueueView(String name, boolean paused, Map<JobState, Long> counts, Integer maxRunning) {

    public QueueView {
        counts = Map.copyOf(counts);
    }
}
