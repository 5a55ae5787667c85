package dev.dukequeue.engine.node;

import dev.dukequeue.engine.config.EngineConfig;
import dev.dukequeue.engine.observe.ActivityTally;
import dev.dukequeue.engine.observe.EngineMetrics;
import dev.dukequeue.engine.store.ClusterStore;
import dev.dukequeue.engine.database.DatabaseGuard;
import dev.dukequeue.engine.store.StatRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * This node in the cluster tables, for operators: its heartbeat row in {@code dq_node} (phase, workers, last beat) on
 * every rescuer tick, and once per {@code dukequeue.stats.interval.ms} its activity per queue in {@code dq_stat}
 * (the admin UI's charts). Also deletes activity older than {@code dukequeue.stats.retention} and the rows of nodes
 * silent for {@code dukequeue.nodes.forget-after}.
 *
 * <p>Nothing here decides who owns a job: leases do. A node whose row is stale is shown as missing; its jobs are
 * rescued when their leases expire, whatever this table says. Writes are best effort: a failed beat is logged at FINE
 * and the activity it would have written is kept for the next one.
 */
@ApplicationScoped
public class NodeRegistry {

    private static final Logger LOG = Logger.getLogger(NodeRegistry.class.getName());

    @Inject
    ClusterStore cluster;

    @Inject
    DatabaseGuard database;

    @Inject
    EngineConfig config;

    @Inject
    NodeIdentity node;

    @Inject
    EngineStatus status;

    @Inject
    EngineMetrics metrics;

    /** For CDI. */
    public NodeRegistry() {
    }

    /** Outside CDI (the hand-built engine). */
    public NodeRegistry(ClusterStore cluster, DatabaseGuard database, EngineConfig config, NodeIdentity node,
            EngineStatus status, EngineMetrics metrics) {
        this.cluster = cluster;
        this.database = database;
        this.config = config;
        this.node = node;
        this.status = status;
        this.metrics = metrics;
    }

    private final Object lock = new Object();
    /** Activity drained but not yet written (a failed write keeps it for the next). */
    private final Map<String, long[]> unwritten = new java.util.TreeMap<>();
    private long lastStatsNanos = System.nanoTime();
    private java.util.Set<String> nonZeroLastTime = java.util.Set.of();

    /** Writes the heartbeat, and the activity rows when the stats interval has passed. */
    public void beat() {
        synchronized (lock) {
            try {
                database.call("node heartbeat", () -> {
                    cluster.heartbeat(node.owner(), node.name(), status.phase().name(), workers());
                    return null;
                });
            } catch (RuntimeException e) {
                LOG.fine(() -> "node heartbeat: " + e);
                return;
            }
            if (System.nanoTime() - lastStatsNanos >= config.statsInterval().toNanos()) {
                writeStats();
            }
        }
    }

    /** @return the workers shown in the node table: none on an admin node */
    private int workers() {
        return config.runsJobs() ? config.workers() : 0;
    }

    /**
     * Whether this node exports the cluster-wide queue depth gauges ({@link EngineMetrics#depths}): it is the alive
     * node with the smallest name. Alive means what the admin UI's node table means (ClusterActivity): not stopped,
     * heartbeat younger than three rescuer intervals and than the lease duration. If the table cannot be read this
     * node reports (a depth shown twice for a moment beats none).
     */
    public boolean depthReporter() {
        long aliveMs = Math.max(config.rescuerInterval().toMillis() * 3, config.leaseDuration().toMillis());
        try {
            return EngineMetrics.depthReporter(node.name(),
                    database.call("alive nodes", () -> cluster.smallestAliveName(aliveMs)));
        } catch (RuntimeException e) {
            LOG.fine(() -> "alive nodes: " + e);
            return true;
        }
    }

    /** At shutdown, when the workers have stopped: writes the last activity and the phase STOPPED (best effort). */
    public void leave() {
        synchronized (lock) {
            try {
                writeStats();
                cluster.heartbeat(node.owner(), node.name(), EngineStatus.Phase.STOPPED.name(), workers());
            } catch (RuntimeException e) {
                LOG.fine(() -> "node leaving: " + e);
            }
        }
    }

    private void writeStats() {
        lastStatsNanos = System.nanoTime();
        metrics.activity().drain().forEach((queue, n) -> unwritten.merge(queue, n, (a, b) -> {
            long[] sum = a.clone();
            for (int i = 0; i < sum.length; i++) {
                sum[i] += b[i];
            }
            return sum;
        }));
        Map<String, long[]> depths = metrics.depthSnapshot();
        // A row per queue with activity, a non-zero depth, or a non-zero depth last time (so the drop to 0 shows);
        // queues absent from a write were idle. A node that saw nothing anywhere writes one IDLE row, so an idle
        // cluster charts as 0 rather than as a gap.
        TreeSet<String> queues = new TreeSet<>(unwritten.keySet());
        depths.forEach((queue, d) -> {
            if (d[0] != 0 || d[1] != 0 || nonZeroLastTime.contains(queue)) {
                queues.add(queue);
            }
        });
        if (queues.isEmpty()) {
            queues.add(StatRow.IDLE);
        }
        List<StatRow> rows = new ArrayList<>();
        java.util.Set<String> nonZero = new java.util.HashSet<>();
        for (String queue : queues) {
            long[] n = unwritten.getOrDefault(queue, new long[4]);
            long[] d = depths.getOrDefault(queue, new long[2]);
            if (d[0] != 0 || d[1] != 0) {
                nonZero.add(queue);
            }
            rows.add(new StatRow(node.owner(), null, queue, n[ActivityTally.SUBMITTED], n[ActivityTally.COMPLETED],
                    n[ActivityTally.FAILED], n[ActivityTally.DEAD_LETTERED], d[0], d[1]));
        }
        try {
            database.call("activity rows", () -> {
                cluster.writeStats(node.owner(), rows);
                return null;
            });
            unwritten.clear();
            nonZeroLastTime = nonZero;
            database.call("activity retention", () -> cluster.forget(config.statsRetention().toMillis(),
                    config.nodesForgetAfter().toMillis()));
        } catch (RuntimeException e) {
            LOG.fine(() -> "activity rows: " + e);
        }
    }
}
