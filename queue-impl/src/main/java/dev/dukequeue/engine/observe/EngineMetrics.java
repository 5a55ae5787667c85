package dev.dukequeue.engine.observe;

import dev.dukequeue.ErrorCategory;
import dev.dukequeue.JobState;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricID;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.MetricUnits;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * The engine's metrics. Counters count events on this node (Prometheus sums them across nodes); gauges show this node's
 * workers and the cluster's queue depths from a snapshot that the rescuer's timer refreshes (one grouped query per
 * interval and node, whatever the scrape rate: never a table count per scrape). The depth gauges are exported by one
 * node only (see {@link #depths}). Names follow the playbook's
 * {@code gq_*} set: {@code dukequeue_jobs_failed_total{category}}, {@code dukequeue_queue_pending{queue}}, ...
 *
 * <p>The two timers export {@code _seconds_count} and {@code _seconds_sum} correctly; Payara 6.2025.10 writes their
 * quantile, mean and max samples in nanoseconds although they are named seconds, so dashboards use
 * {@code rate(..._sum) / rate(..._count)}.
 *
 * <p>Labels are the queue (and the error category, schedule or state), never the job type or id, to keep the number
 * of series bounded by the number of queues.
 *
 * <p>Without a registry (a hand-built engine, where MicroProfile Metrics is not injected) every counter, timer and
 * gauge is a no-op; the activity tally that feeds {@code dq_stat} still counts.
 */
@ApplicationScoped
public class EngineMetrics {

    @Inject
    MetricRegistry registry;

    /** For CDI. */
    public EngineMetrics() {
    }

    /** Outside CDI: on the given registry, or with none (null: metrics off). */
    public EngineMetrics(MetricRegistry registry) {
        this.registry = registry;
    }

    /** Queue depth snapshot: queue -> state -> count (states PENDING, SCHEDULED, RUNNING). */
    private final Map<String, Map<JobState, AtomicLong>> depths = new ConcurrentHashMap<>();
    private final Set<String> gauges = ConcurrentHashMap.newKeySet();

    /** Counters and timers by name and tags: the hot path (every claim and outcome) does one map lookup. */
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    /** The same events per queue since the last write to {@code dq_stat} (the admin UI's charts). */
    private final ActivityTally activity = new ActivityTally();

    private static String key(String name, Tag... tags) {
        StringBuilder k = new StringBuilder(name);
        for (Tag t : tags) {
            k.append('\u0000').append(t.getTagName()).append('=').append(t.getTagValue());
        }
        return k.toString();
    }

    private void count(String name, String description, long n, Tag... tags) {
        if (registry == null) {
            return;
        }
        counters.computeIfAbsent(key(name, tags), k -> registry.counter(
                Metadata.builder().withName(name).withDescription(description).build(), tags)).inc(n);
    }

    /** @return the timer, or null when there is no registry */
    private Timer timer(String name, String description, Tag... tags) {
        if (registry == null) {
            return null;
        }
        return timers.computeIfAbsent(key(name, tags), k -> registry.timer(Metadata.builder().withName(name)
                .withUnit(MetricUnits.SECONDS).withDescription(description).build(), tags));
    }

    private static final String REJECTED = "dukequeue_backpressure_rejected";
    private static final String REJECTED_DESCRIPTION = "submissions refused because the queue was full";

    /** Tags are made once per queue: a Tag checks its name against a pattern when it is made (every claim and outcome). */
    private static final Map<String, Tag> QUEUE_TAGS = new ConcurrentHashMap<>();

    private static Tag queue(String queue) {
        return QUEUE_TAGS.computeIfAbsent(queue, q -> new Tag("queue", q));
    }

    /** Jobs stored by a committed submission. */
    public void submitted(String queue, long n) {
        count("dukequeue_jobs_submitted", "jobs stored by committed submissions", n, queue(queue));
        activity.add(queue, ActivityTally.SUBMITTED, n);
    }

    /** A node leased a job; {@code wait} is how long it was due before (database clock). */
    public void claimed(String queue, long waitMs) {
        Timer t = timer("dukequeue_queue_wait", "how long due jobs waited before a node claimed them", queue(queue));
        if (t != null) {
            t.update(Duration.ofMillis(clampWait(waitMs)));
        }
    }

    private static final Tag CLAIM_FULL = new Tag("result", "full");
    private static final Tag CLAIM_SHORT = new Tag("result", "short");
    private static final Tag CLAIM_EMPTY = new Tag("result", "empty");

    /**
     * One claim of the claim loop: it asked for {@code asked} jobs (its free slots, at most the claim batch) and got
     * {@code got}. Under a deep queue, short claims are the sign of claimers contending for the same rows.
     */
    public void claimRound(int asked, int got) {
        count("dukequeue_claims", "claims of this node's claim loop, by whether they got every job they asked for", 1,
                got == 0 ? CLAIM_EMPTY : got < asked ? CLAIM_SHORT : CLAIM_FULL);
    }

    /**
     * A queue wait as the timer can take it: never negative, at most {@link #MAX_WAIT_MS} (a run-at far in the past,
     * written before the API's window or by SQL, must not overflow the timer's nanoseconds).
     */
    static long clampWait(long waitMs) {
        return Math.max(0, Math.min(waitMs, MAX_WAIT_MS));
    }

    /** 100 years in milliseconds: far below Duration.toNanos's overflow (about 292 years). */
    static final long MAX_WAIT_MS = 100L * 366 * 24 * 3600 * 1000;

    /** A claimed job could not be started and was given back ({@code Dispatcher}). */
    public void launchFailed(String queue) {
        count("dukequeue_launch_failures", "claimed jobs that could not be started and were given back", 1,
                queue(queue));
    }

    /** A claimed job's row was corrupt (not what DukeQueue writes): it failed at once with category SYSTEM. */
    public void corrupt(String queue) {
        count("dukequeue_corrupt_jobs", "jobs whose stored row was corrupt (payload or checkpoint not JSON): failed"
                + " at once as SYSTEM", 1, queue(queue));
    }

    /** An attempt ended with an outcome the database took; {@code took} is measured on the monotonic clock. */
    public void executed(String queue, Duration took) {
        Timer t = timer("dukequeue_execution", "how long handlers ran, per attempt", queue(queue));
        if (t != null) {
            t.update(took);
        }
    }

    public void completed(String queue) {
        count("dukequeue_jobs_completed", "jobs that completed", 1, queue(queue));
        activity.add(queue, ActivityTally.COMPLETED, 1);
    }

    /**
     * A failed attempt (or a lost lease, a timeout).
     *
     * @param retried true if the job goes back to SCHEDULED, false if it ended (FAILED or DEAD_LETTER)
     * @param dead    true if it went to DEAD_LETTER
     */
    public void failed(String queue, ErrorCategory category, boolean retried, boolean dead) {
        count("dukequeue_jobs_failed", "failed attempts, by error category", 1, queue(queue),
                new Tag("category", category.name()));
        activity.add(queue, ActivityTally.FAILED, 1);
        if (retried) {
            count("dukequeue_jobs_retried", "failed attempts that will be retried after a backoff", 1, queue(queue));
        }
        if (dead) {
            deadLettered(queue, 1);
        }
    }

    public void deadLettered(String queue, long n) {
        count("dukequeue_jobs_dead_lettered", "jobs that went to DEAD_LETTER", n, queue(queue));
        activity.add(queue, ActivityTally.DEAD_LETTERED, n);
    }

    public void cancelled(String queue) {
        count("dukequeue_jobs_cancelled", "jobs cancelled by an operator", 1, queue(queue));
    }

    /** Jobs whose lease expired, taken back by the rescuer (the playbook's stuck jobs). */
    public void stuckDetected(long n) {
        count("dukequeue_stuck_jobs_detected", "running jobs whose lease expired and that the rescuer took back", n);
    }

    /** Jobs this node's earlier incarnations left RUNNING, reclaimed at start-up. */
    public void reclaimed(long n) {
        count("dukequeue_recovery_jobs_reclaimed", "jobs reclaimed by start-up recovery", n);
    }

    /**
     * A store call failed after its retries: a counter ({@code dukequeue_persistence_errors_total}, TYPE counter),
     * so that {@code rate} and {@code increase} see resets when a node restarts. {@code n = 0} registers it at 0 at
     * start-up, so that the series exists before the first failure.
     */
    public void persistenceErrors(long n) {
        count("dukequeue_persistence_errors", "store calls that failed after their retries", n);
    }

    public void rejected(String queue) {
        count(REJECTED, REJECTED_DESCRIPTION, 1, queue(queue));
    }

    /**
     * @return submissions refused for {@code queue} since this node started (the counter of {@link #rejected}, which
     *         the queue listing shows next to the limit)
     */
    public long rejectedCount(String queue) {
        Counter c = counters.get(key(REJECTED, queue(queue)));
        return c == null ? 0 : c.getCount();
    }

    public void recurringFired(String schedule) {
        count("dukequeue_recurring_fired", "instants of recurring jobs enqueued by this node", 1,
                new Tag("schedule", schedule));
    }

    /** An instant of a recurring job refused because its queue was full (submit.Backpressure#refusedRecurring). */
    public void recurringRefused(String schedule) {
        count("dukequeue_recurring_refused", "instants of recurring jobs refused because their queue was full", 1,
                new Tag("schedule", schedule));
    }

    public void retentionDeleted(String state, long n) {
        count("dukequeue_retention_deleted", "finished jobs deleted by retention", n, new Tag("state", state));
    }

    /** How long a shutdown phase took (a gauge, set at each shutdown). */
    public void shutdownPhase(String phase, Duration took) {
        AtomicLong value = phaseMillis.computeIfAbsent(phase, p -> new AtomicLong());
        value.set(took.toMillis());
        if (gauges.add("shutdown:" + phase)) {
            gauge("dukequeue_shutdown_phase_seconds", "how long each phase of the last shutdown took",
                    () -> value.get() / 1000.0, new Tag("phase", phase));
        }
    }

    private final Map<String, AtomicLong> phaseMillis = new ConcurrentHashMap<>();

    /** Registers a gauge once. */
    public void gauge(String name, String description, DoubleSupplier value, Tag... tags) {
        if (registry == null) {
            return;
        }
        registry.gauge(Metadata.builder().withName(name).withDescription(description).build(), value,
                DoubleSupplier::getAsDouble, tags);
    }

    /**
     * Replaces the queue depth snapshot (PENDING, SCHEDULED and RUNNING per queue, cluster-wide). Queues that are
     * gone from it read 0.
     *
     * <p>The depths are the cluster's, not this node's: if every node exported them, a {@code sum} over nodes would
     * count each job once per node. So only the depth reporter exports the {@code dukequeue_queue_*} gauges (the
     * alive node with the smallest name, {@link #depthReporter}); on the others they are removed from the registry.
     * {@code dukequeue_queue_depth_reporter} is 1 on the reporter and 0 elsewhere. A sum and a max over nodes are then
     * both the cluster's figure, except for a refresh interval around a change of reporter, when two nodes (max still
     * right) or none may export them: alert rules use {@code max}.
     *
     * @param export true if this node is the depth reporter
     */
    public void depths(Map<String, Map<JobState, Long>> counts, boolean export) {
        for (Map<JobState, AtomicLong> perState : depths.values()) {
            perState.values().forEach(v -> v.set(0));
        }
        reporter.set(export ? 1 : 0);
        if (gauges.add("depth-reporter")) {
            gauge("dukequeue_queue_depth_reporter",
                    "1 on the one node that exports the cluster-wide dukequeue_queue_* depth gauges, else 0",
                    reporter::get);
        }
        counts.forEach((queue, perState) -> {
            Map<JobState, AtomicLong> target = depths.computeIfAbsent(queue, q -> new ConcurrentHashMap<>());
            for (JobState state : DEPTH_STATES) {
                target.computeIfAbsent(state, s -> new AtomicLong()).set(perState.getOrDefault(state, 0L));
            }
        });
        depths.forEach((queue, perState) -> {
            for (JobState state : DEPTH_STATES) {
                AtomicLong v = perState.computeIfAbsent(state, s -> new AtomicLong());
                String id = queue + ":" + state;
                if (export && gauges.add(id)) {
                    gauge(depthName(state), "jobs " + state + " in the queue, cluster-wide (snapshot; exported by the"
                            + " depth reporter only)", () -> v.get(), queue(queue));
                } else if (!export && gauges.remove(id) && registry != null) {
                    registry.remove(new MetricID(depthName(state), queue(queue)));
                }
            }
        });
    }

    private static final JobState[] DEPTH_STATES = {JobState.PENDING, JobState.SCHEDULED, JobState.RUNNING};
    private final AtomicLong reporter = new AtomicLong();

    private static String depthName(JobState state) {
        return "dukequeue_queue_" + state.name().toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * Whether this node exports the cluster-wide depth gauges: it is the alive node with the smallest name, or no
     * node is known alive (this node's own heartbeat failed: exporting twice for a moment beats exporting nothing).
     *
     * @param self          this node's name
     * @param smallestAlive the smallest name among the nodes whose heartbeat is recent, or null if there is none
     */
    public static boolean depthReporter(String self, String smallestAlive) {
        return smallestAlive == null || smallestAlive.equals(self);
    }

    /** @return this node's activity per queue since the last write to {@code dq_stat} */
    public ActivityTally activity() {
        return activity;
    }

    /** @return the last queue depth snapshot: queue -> {waiting (PENDING + SCHEDULED), running} */
    public Map<String, long[]> depthSnapshot() {
        Map<String, long[]> out = new java.util.TreeMap<>();
        depths.forEach((queue, perState) -> out.put(queue, new long[] {
                value(perState, JobState.PENDING) + value(perState, JobState.SCHEDULED), value(perState, JobState.RUNNING)}));
        return out;
    }

    private static long value(Map<JobState, AtomicLong> perState, JobState state) {
        AtomicLong v = perState.get(state);
        return v == null ? 0 : v.get();
    }
}
