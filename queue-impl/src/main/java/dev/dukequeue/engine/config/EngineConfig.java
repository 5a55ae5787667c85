package dev.dukequeue.engine.config;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Every tunable of the engine, with its MicroProfile Config key and default. Environment variables use the usual
 * mapping ({@code dukequeue.workers} = {@code DUKEQUEUE_WORKERS}). Checked at start-up: a bad value stops the
 * engine with a message naming the key.
 *
 * <p>Two ways in: CDI fills the fields (the application's host), or {@link #from(Config)} reads the same keys and
 * defaults from any MicroProfile Config (the hand-built host of a resource adapter, where nothing injects).
 */
@ApplicationScoped
public class EngineConfig {

    /** The configuration {@link #from} read, for the per-queue keys read later; null under CDI (ConfigProvider's). */
    private Config source;

    @Inject
    @ConfigProperty(name = "dukequeue.node.name")
    Optional<String> nodeName;

    @Inject
    @ConfigProperty(name = "dukequeue.node.role", defaultValue = "worker")
    String role;

    @Inject
    @ConfigProperty(name = "dukequeue.workers", defaultValue = "8")
    int workers;

    @Inject
    @ConfigProperty(name = "dukequeue.claim.batch", defaultValue = "32")
    int claimBatch;

    @Inject
    @ConfigProperty(name = "dukequeue.completion.writers", defaultValue = "2")
    int completionWriters;

    @Inject
    @ConfigProperty(name = "dukequeue.poll.interval.ms", defaultValue = "500")
    long pollIntervalMs;

    @Inject
    @ConfigProperty(name = "dukequeue.lease.duration.ms", defaultValue = "30000")
    long leaseDurationMs;

    @Inject
    @ConfigProperty(name = "dukequeue.heartbeat.interval.ms", defaultValue = "10000")
    long heartbeatIntervalMs;

    @Inject
    @ConfigProperty(name = "dukequeue.rescuer.interval.ms", defaultValue = "5000")
    long rescuerIntervalMs;

    @Inject
    @ConfigProperty(name = "dukequeue.retry.backoff.base.ms", defaultValue = "1000")
    long backoffBaseMs;

    @Inject
    @ConfigProperty(name = "dukequeue.retry.backoff.max.ms", defaultValue = "3600000")
    long backoffMaxMs;

    @Inject
    @ConfigProperty(name = "dukequeue.payload.max.bytes", defaultValue = "1048576")
    int payloadMaxBytes;

    @Inject
    @ConfigProperty(name = "dukequeue.submit.batch.max", defaultValue = "10000")
    int submitBatchMax;

    @Inject
    @ConfigProperty(name = "dukequeue.shutdown.drain.ms", defaultValue = "10000")
    long drainMs;

    /** After the drain: how long handlers get to end once interrupted before their jobs are left under lease. */
    @Inject
    @ConfigProperty(name = "dukequeue.shutdown.interrupt-grace.ms", defaultValue = "2000")
    long interruptGraceMs;

    @Inject
    @ConfigProperty(name = "dukequeue.release.max", defaultValue = "3")
    int releaseMax;

    @Inject
    @ConfigProperty(name = "dukequeue.demo.enabled", defaultValue = "false")
    boolean demoEnabled;

    @Inject
    @ConfigProperty(name = "dukequeue.queue.max-waiting", defaultValue = "1000000")
    long maxWaiting;

    @Inject
    @ConfigProperty(name = "dukequeue.queue.warn-ratio", defaultValue = "0.8")
    double warnRatio;

    @Inject
    @ConfigProperty(name = "dukequeue.poison.lease-losses", defaultValue = "3")
    int poisonLeaseLosses;

    @Inject
    @ConfigProperty(name = "dukequeue.startup.retry.max.ms", defaultValue = "30000")
    long startupRetryMaxMs;

    @Inject
    @ConfigProperty(name = "dukequeue.startup.exit-on-fatal", defaultValue = "false")
    boolean exitOnFatal;

    @Inject
    @ConfigProperty(name = "dukequeue.stats.interval.ms", defaultValue = "60000")
    long statsIntervalMs;

    @Inject
    @ConfigProperty(name = "dukequeue.stats.retention", defaultValue = "P2D")
    Duration statsRetention;

    @Inject
    @ConfigProperty(name = "dukequeue.nodes.forget-after", defaultValue = "P1D")
    Duration nodesForgetAfter;

    @Inject
    @ConfigProperty(name = "dukequeue.dependencies.lifetime", defaultValue = "P7D")
    Duration dependencyLifetime;

    @Inject
    @ConfigProperty(name = "dukequeue.dependencies.max-per-job", defaultValue = "100")
    int maxDependencies;

    @Inject
    @ConfigProperty(name = "dukequeue.dependencies.max-dependents", defaultValue = "1000")
    int maxDependents;

    @Inject
    @ConfigProperty(name = "dukequeue.dependencies.max-depth", defaultValue = "100")
    int maxDependencyDepth;

    @Inject
    @ConfigProperty(name = "dukequeue.recurring.interval.ms", defaultValue = "1000")
    long recurringIntervalMs;

    @Inject
    @ConfigProperty(name = "dukequeue.liveness.max-idle.ms")
    Optional<Long> livenessMaxIdleMs;

    @Inject
    @ConfigProperty(name = "dukequeue.log.format", defaultValue = "text")
    String logFormat;

    @Inject
    @ConfigProperty(name = "dukequeue.retention.enabled", defaultValue = "true")
    boolean retentionEnabled;

    @Inject
    @ConfigProperty(name = "dukequeue.retention.cron", defaultValue = "0 */10 * * * *")
    String retentionCron;

    @Inject
    @ConfigProperty(name = "dukequeue.retention.chunk", defaultValue = "1000")
    int retentionChunk;

    @Inject
    @ConfigProperty(name = "dukequeue.retention.completed", defaultValue = "P7D")
    Duration retainCompleted;

    @Inject
    @ConfigProperty(name = "dukequeue.retention.failed", defaultValue = "P30D")
    Duration retainFailed;

    @Inject
    @ConfigProperty(name = "dukequeue.retention.dead-letter", defaultValue = "P30D")
    Duration retainDeadLetter;

    @Inject
    @ConfigProperty(name = "dukequeue.retention.cancelled", defaultValue = "P7D")
    Duration retainCancelled;

    @Inject
    @ConfigProperty(name = "dukequeue.node.queue-workers")
    Optional<String> queueWorkersText;

    @Inject
    @ConfigProperty(name = "dukequeue.queue.max-running")
    Optional<String> maxRunningText;

    static final long MAX_INTERRUPT_GRACE_MS = 60_000;
    static final int MAX_RELEASES = 1000;

    private java.util.Map<String, Integer> queueWorkers;
    private java.util.Map<String, Integer> maxRunningByQueue;

    /**
     * Builds the configuration outside CDI: each {@link ConfigProperty} field of this class is read from {@code config}
     * under its name, converted by the config's converters, or set from the annotation's default when the key is
     * absent (so keys and defaults have one source: the annotations). Then checked as at CDI start-up.
     *
     * @throws IllegalArgumentException naming the key whose value cannot be converted, or the check's message
     */
    public static EngineConfig from(Config config) {
        EngineConfig engine = new EngineConfig();
        engine.source = config;
        ConfigFields.fill(engine, config);
        engine.check();
        return engine;
    }

    /** Checks every value (CDI after injection, {@link #from} after filling): {@link ConfigChecks}. */
    @PostConstruct
    void check() {
        ConfigChecks.check(this);
        queueWorkers = ConfigChecks.queueNumbers("dukequeue.node.queue-workers", queueWorkersText.orElse(""));
        maxRunningByQueue = ConfigChecks.queueNumbers("dukequeue.queue.max-running", maxRunningText.orElse(""));
    }

    /** @return the configured node name, or empty to use the host name */
    public Optional<String> nodeName() {
        return nodeName.filter(n -> !n.isBlank());
    }

    /**
     * @return true for a worker node (the default), false for an admin node ({@code dukequeue.node.role=admin}): it
     *         serves the API, the UI, health and metrics and does the cluster's upkeep (rescues, recurring jobs, the
     *         engine's own {@link EngineJobs}), but runs no application's jobs and reclaims none at start-up (an
     *         admin WAR next to the resource adapter, or a console node)
     */
    public boolean runsJobs() {
        return role.equals("worker");
    }

    /** @return how many jobs this node runs at once */
    public int workers() {
        return workers;
    }

    /** @return the most jobs claimed in one statement */
    public int claimBatch() {
        return claimBatch;
    }

    /** @return how long an idle dispatcher waits before looking for due jobs again */
    public Duration pollInterval() {
        return Duration.ofMillis(pollIntervalMs);
    }

    /** @return how long a lease lasts without renewal */
    public Duration leaseDuration() {
        return Duration.ofMillis(leaseDurationMs);
    }

    /** @return how often running jobs' leases are renewed */
    public Duration heartbeatInterval() {
        return Duration.ofMillis(heartbeatIntervalMs);
    }

    /** @return how often the rescuer looks for expired leases */
    public Duration rescuerInterval() {
        return Duration.ofMillis(rescuerIntervalMs);
    }

    public Duration backoffBase() {
        return Duration.ofMillis(backoffBaseMs);
    }

    public Duration backoffMax() {
        return Duration.ofMillis(backoffMaxMs);
    }

    /** @return the largest payload accepted, in UTF-8 bytes */
    public int payloadMaxBytes() {
        return payloadMaxBytes;
    }

    /** @return the most jobs accepted in one {@code submitAll} */
    public int submitBatchMax() {
        return submitBatchMax;
    }

    /** @return how long shutdown waits for running jobs before giving them back */
    public Duration drain() {
        return Duration.ofMillis(drainMs);
    }

    /**
     * @return after the drain, how long interrupted handlers get to end; a job whose handler has not ended by then
     *         stays RUNNING under its lease (taken back by the rescuer or start-up recovery once the lease expires)
     */
    public Duration interruptGrace() {
        return Duration.ofMillis(interruptGraceMs);
    }

    /** @return how many times a job may be released at a shutdown without charging its attempt */
    public int releaseMax() {
        return releaseMax;
    }

    /**
     * @return the most jobs that may wait in {@code queue} (SCHEDULED or PENDING): {@code dukequeue.queue.<name>.max-waiting},
     *         else {@code dukequeue.queue.max-waiting}
     */
    public long maxWaiting(String queue) {
        Config config = source != null ? source
                : org.eclipse.microprofile.config.ConfigProvider.getConfig(EngineConfig.class.getClassLoader());
        return config.getOptionalValue("dukequeue.queue." + queue + ".max-waiting", Long.class)
                .filter(v -> v > 0).orElse(maxWaiting);
    }

    /** @return the share of a queue's limit past which a backlog warning is logged */
    public double warnRatio() {
        return warnRatio;
    }

    /** @return after how many lost leases without an outcome a job is dead-lettered as a poison pill */
    public int poisonLeaseLosses() {
        return poisonLeaseLosses;
    }

    /** @return the longest pause between two attempts to reach the database at start-up */
    public Duration startupRetryMax() {
        return Duration.ofMillis(startupRetryMaxMs);
    }

    /** @return true if a start-up failure that retrying cannot fix should exit the JVM (for a supervisor to restart) */
    public boolean exitOnFatal() {
        return exitOnFatal;
    }

    /** @return true if the demo handlers ({@code demo.*}) are active */
    public boolean demoEnabled() {
        return demoEnabled;
    }

    /** @return how often each node writes its activity per queue to {@code dq_stat} (the admin UI's charts) */
    public Duration statsInterval() {
        return Duration.ofMillis(statsIntervalMs);
    }

    /** @return how long activity rows are kept */
    public Duration statsRetention() {
        return statsRetention;
    }

    /** @return how long the row of a node that stopped sending heartbeats is kept */
    public Duration nodesForgetAfter() {
        return nodesForgetAfter;
    }

    /** @return how many threads write completions (each a batch per transaction) */
    public int completionWriters() {
        return completionWriters;
    }

    /** @return how long a job may wait PENDING for its dependencies when its request does not say */
    public Duration dependencyLifetime() {
        return dependencyLifetime;
    }

    /** @return the most dependencies one job may have */
    public int maxDependencies() {
        return maxDependencies;
    }

    /** @return the most jobs that may depend on one job */
    public int maxDependents() {
        return maxDependents;
    }

    /** @return the longest chain of dependencies below a job */
    public int maxDependencyDepth() {
        return maxDependencyDepth;
    }

    /** @return per queue, the most jobs of it this node runs at once ({@code dukequeue.node.queue-workers}) */
    public java.util.Map<String, Integer> queueWorkers() {
        return queueWorkers;
    }

    /** @return per queue, the cluster-wide RUNNING limit written at start-up ({@code dukequeue.queue.max-running}) */
    public java.util.Map<String, Integer> maxRunningByQueue() {
        return maxRunningByQueue;
    }

    /** @return how often each node looks for due recurring jobs */
    public Duration recurringInterval() {
        return Duration.ofMillis(recurringIntervalMs);
    }

    /** @return true if finished jobs are purged on {@link #retentionCron()} */
    public boolean retentionEnabled() {
        return retentionEnabled;
    }

    /** @return when retention runs (a cron expression, on the recurring-job scheduler) */
    public String retentionCron() {
        return retentionCron;
    }

    /** @return rows deleted per transaction by retention */
    public int retentionChunk() {
        return retentionChunk;
    }

    /**
     * @return per finished state, how long its jobs are kept; a state whose retention is zero or negative is kept for
     *         ever and is not listed
     */
    public java.util.Map<String, Duration> retention() {
        java.util.Map<String, Duration> ages = new java.util.LinkedHashMap<>();
        ages.put("COMPLETED", retainCompleted);
        ages.put("FAILED", retainFailed);
        ages.put("DEAD_LETTER", retainDeadLetter);
        ages.put("CANCELLED", retainCancelled);
        ages.values().removeIf(age -> age.isZero() || age.isNegative());
        return ages;
    }

    /** @return true if log lines are written as one JSON object per line ({@code dukequeue.log.format=json}) */
    public boolean jsonLogs() {
        return logFormat.equals("json");
    }

    /**
     * @return how long the claim loop may go without turning before liveness reports the node wedged:
     *         {@code dukequeue.liveness.max-idle.ms}, else 20 poll intervals + 120 s
     */
    public Duration livenessMaxIdle() {
        return livenessMaxIdleMs.filter(ms -> ms > 0).map(Duration::ofMillis)
                .orElse(pollInterval().multipliedBy(20).plusSeconds(120));
    }
}
