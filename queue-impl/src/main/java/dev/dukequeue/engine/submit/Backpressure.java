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
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Per-queue backpressure (playbook 5): past the warning share of a queue's limit a backlog warning is logged (at most
 * once a minute per queue); past the limit submissions are refused with {@link QueueFullException} (REST 429) and
 * counted. Jobs already accepted are never dropped, and a request whose idempotency key matches an accepted job is not
 * counted (a client's retry is answered with its job, full queue or not). The waiting count is read in the submitting
 * transaction, except far from the limit (see {@link WaitingEstimate}).
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

    @Inject
    dev.dukequeue.engine.observe.EngineMetrics metrics;

    private final Map<String, Long> lastWarning = new ConcurrentHashMap<>();
    private final WaitingEstimate estimate = new WaitingEstimate();

    /** For CDI. */
    public Backpressure() {
    }

    /** Outside CDI (the hand-built engine). */
    public Backpressure(JdbcJobStore store, EngineConfig config, dev.dukequeue.engine.observe.EngineMetrics metrics) {
        this.store = store;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * @throws QueueFullException if accepting {@code requests} would put a queue past its limit
     */
    void check(List<JobRequest> requests) {
        Map<String, Long> perQueue = requests.stream()
                .collect(Collectors.groupingBy(JobRequest::queue, Collectors.counting()));
        for (Map.Entry<String, Long> e : perQueue.entrySet()) {
            String queue = e.getKey();
            long limit = config.maxWaiting(queue);
            long incoming = e.getValue();
            if (estimate.farBelow(queue, incoming, Math.min(limit / 2, (long) (limit * config.warnRatio())), limit)) {
                continue; // far from the limit and from the warning: no count (the estimate counted these jobs)
            }
            long waiting = store.waitingCount(queue);
            estimate.counted(queue, waiting, incoming);
            if (incoming > room(queue, waiting)) {
                incoming = newJobs(queue, requests); // a retry of an accepted job is no new load
            }
            if (incoming > room(queue, waiting)) {
                metrics.rejected(queue); // also what the queue listing shows (EngineMetrics.rejectedCount)
                throw new QueueFullException(queue, waiting, limit, RETRY_AFTER);
            }
            if (waiting + incoming > limit * config.warnRatio()) {
                warn(queue, waiting + incoming, limit);
            }
        }
    }

    /**
     * The rule itself, for submissions and recurring jobs alike ({@link dev.dukequeue.engine.store.QueueRoom}: the
     * store applies it to a recurring job's instants under the schedule's row lock).
     *
     * @return how many more jobs {@code queue} takes while {@code waiting} jobs wait in it; zero or less when full
     */
    public long room(String queue, long waiting) {
        return config.maxWaiting(queue) - waiting;
    }

    /**
     * Instants of a recurring job refused because its queue was full ({@link dev.dukequeue.engine.store.FiredJob#refused}):
     * each is counted as a refused submission of its queue ({@code dukequeue_backpressure_rejected_total{queue}}, which
     * the queue listing shows) and of its schedule ({@code dukequeue_recurring_refused_total{schedule}}), and one
     * WARNING per schedule and firing names them. A refused submission is the client's to retry; a refused instant
     * has no client, so it is skipped, and the schedule's next instant is its retry.
     */
    public void refusedRecurring(String schedule, String queue, List<java.time.Instant> instants) {
        if (instants.isEmpty()) {
            return;
        }
        for (int i = 0; i < instants.size(); i++) {
            metrics.rejected(queue);
            metrics.recurringRefused(schedule);
        }
        long limit = config.maxWaiting(queue);
        String which = instants.size() == 1 ? "for " + instants.get(0)
                : "for " + instants.size() + " instants, " + instants.get(0) + " to " + instants.get(instants.size() - 1);
        LOG.warning(() -> "recurring job '" + schedule + "' not enqueued " + which + ": queue '" + queue
                + "' is full (limit " + limit + " waiting jobs); skipped, not retried: the next instant is enqueued"
                + " once the queue has room");
    }

    /** @return how many of the requests for {@code queue} would create a job (their idempotency key is new, or absent) */
    private long newJobs(String queue, List<JobRequest> requests) {
        List<String> keys = requests.stream().filter(r -> r.queue().equals(queue) && r.idempotencyKey() != null)
                .map(JobRequest::idempotencyKey).distinct().toList();
        java.util.Set<String> known = keys.isEmpty() ? java.util.Set.of() : store.existingKeys(queue, keys);
        java.util.Set<String> seen = new java.util.HashSet<>();
        return requests.stream().filter(r -> r.queue().equals(queue))
                .filter(r -> r.idempotencyKey() == null || (!known.contains(r.idempotencyKey()) && seen.add(r.idempotencyKey())))
                .count();
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
}
