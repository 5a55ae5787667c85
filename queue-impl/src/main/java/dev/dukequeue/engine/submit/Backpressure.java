package dev.dukequeue.engine.submit;

import dev.dukequeue.JobRequest;
import dev.dukequeue.QueueFullException;
import dev.dukequeue.engine.config.EngineConfig;
import dev.dukequeue.engine.store.JdbcJobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Per-queue backpressure (playbook 5): past the warning share of a queue's limit a backlog warning is logged (at most
 * once a minute per queue); past the limit submissions are refused with {@link QueueFullException} (REST 429) and
 * counted. Jobs already accepted are never dropped. The waiting count is read in the submitting transaction.
 */
@ApplicationScoped
public class Backpressure {

    private static final Logger LOG = Logger.getLogger(Backpressure.class.getName());
    static final Duration RETRY_AFTER = Duration.ofSeconds(5);
    private static final long WARN_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    @Inject
    JdbcJobStore store;

    @Inject
    EngineConfig config;

    private final Map<String, AtomicLong> rejected = new ConcurrentHashMap<>();
    private final Map<String, Long> lastWarning = new ConcurrentHashMap<>();

    /**
     * @throws QueueFullException if accepting {@code requests} would put a queue past its limit
     */
    void check(List<JobRequest> requests) {
        Map<String, Long> incoming = requests.stream()
                .collect(Collectors.groupingBy(JobRequest::queue, Collectors.counting()));
        for (Map.Entry<String, Long> e : incoming.entrySet()) {
            String queue = e.getKey();
            long limit = config.maxWaiting(queue);
            long waiting = store.waitingCount(queue);
            if (waiting + e.getValue() > limit) {
                rejected.computeIfAbsent(queue, q -> new AtomicLong()).incrementAndGet();
                throw new QueueFullException(queue, waiting, limit, RETRY_AFTER);
            }
            if (waiting + e.getValue() > limit * config.warnRatio()) {
                warn(queue, waiting + e.getValue(), limit);
            }
        }
    }

    private void warn(String queue, long waiting, long limit) {
        long now = System.nanoTime();
        Long last = lastWarning.get(queue);
        if (last == null || now - last > WARN_EVERY_NANOS) {
            lastWarning.put(queue, now);
            LOG.warning(() -> "queue '" + queue + "' backlog: " + waiting + " jobs waiting, limit " + limit
                    + "; submissions are refused past the limit");
        }
    }

    /** @return submissions refused per queue since this node started */
    public Map<String, Long> rejectedByQueue() {
        return rejected.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get()));
    }
}
