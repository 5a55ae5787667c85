package dev.dukequeue.it.handlers;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * Lets a test see and steer its handlers inside the server: how often each job ran, which keys fail, and latches for
 * "the handler started" and "the handler exited". Keys are unique per test, so tests do not see each other.
 */
@ApplicationScoped
public class Switchboard {

    private final Map<String, Integer> executions = new ConcurrentHashMap<>();
    private final Set<String> failing = ConcurrentHashMap.newKeySet();
    private final Map<String, CountDownLatch> started = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> exited = new ConcurrentHashMap<>();
    private final Map<String, String> notes = new ConcurrentHashMap<>();

    public void executed(String jobId) {
        executions.merge(jobId, 1, Integer::sum);
    }

    public int executions(String jobId) {
        return executions.getOrDefault(jobId, 0);
    }

    public void setFailing(String key, boolean fail) {
        if (fail) {
            failing.add(key);
        } else {
            failing.remove(key);
        }
    }

    public boolean isFailing(String key) {
        return failing.contains(key);
    }

    public CountDownLatch started(String key) {
        return started.computeIfAbsent(key, k -> new CountDownLatch(1));
    }

    public CountDownLatch exited(String key) {
        return exited.computeIfAbsent(key, k -> new CountDownLatch(1));
    }

    public void note(String key, String value) {
        notes.put(key, value);
    }

    public String note(String key) {
        return notes.get(key);
    }
}
