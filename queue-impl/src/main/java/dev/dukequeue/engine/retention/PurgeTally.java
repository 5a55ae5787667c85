package dev.dukequeue.engine.retention;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** Rows deleted per batch execution and state, for the retention job's progress and result. */
@ApplicationScoped
public class PurgeTally {

    private final Map<Long, Map<String, Long>> deleted = new ConcurrentHashMap<>();

    void add(long execution, String state, long rows) {
        deleted.computeIfAbsent(execution, e -> new ConcurrentHashMap<>()).merge(state, rows, Long::sum);
    }

    /** @return rows deleted so far by the execution, per state */
    Map<String, Long> of(long execution) {
        return new TreeMap<>(deleted.getOrDefault(execution, Map.of()));
    }

    void forget(long execution) {
        deleted.remove(execution);
    }
}
