package dev.dukequeue;

import java.util.List;
import java.util.Map;

/**
 * What a bulk re-drive did.
 *
 * @param matched   how many jobs matched the filter (up to its limit)
 * @param redriven  the jobs re-driven: SCHEDULED again, or PENDING when they wait for dependencies
 * @param skipped   the jobs left as they were, oldest first, with the reason (a dependency that can never complete, or a job that
 *                  changed state in the meantime)
 */
public record RedriveResult(int matched, List<JobId> redriven, Map<JobId, String> skipped) {

    public RedriveResult {
        redriven = List.copyOf(redriven);
        skipped = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(skipped)); // keeps the order
    }
}
