package dev.dukequeue.engine.read;

import dev.dukequeue.engine.config.EngineConfig;
import dev.dukequeue.engine.store.ClusterStore;
import dev.dukequeue.engine.database.DatabaseGuard;
import dev.dukequeue.engine.store.NodeRecord;
import dev.dukequeue.engine.store.StatRow;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster for operators: its nodes with their heartbeats and running jobs, and its activity over time (throughput,
 * failures, queue depth) from the rows every node writes once per stats interval.
 */
@ApplicationScoped
public class ClusterActivity {

    /** The longest window {@link #history} looks back. */
    public static final Duration MAX_WINDOW = Duration.ofDays(2);
    /** At most this many points per history. */
    public static final int MAX_POINTS = 120;

    @Inject
    ClusterStore cluster;

    @Inject
    DatabaseGuard database;

    @Inject
    EngineConfig config;

    /**
     * A node is alive while its last heartbeat is younger than three rescuer intervals (the beat comes with the
     * rescuer's timer) and than the lease duration; past that it is missing.
     *
     * @return every node with a row, newest incarnation of each name first
     */
    public List<NodeView> nodes() {
        ClusterStore.Nodes nodes = database.call("nodes", () -> cluster.nodes());
        long aliveMs = Math.max(config.rescuerInterval().toMillis() * 3, config.leaseDuration().toMillis());
        List<NodeView> views = new ArrayList<>();
        for (NodeRecord n : nodes.nodes()) {
            Duration age = Duration.between(n.heartbeatAt(), nodes.now());
            if (age.isNegative()) {
                age = Duration.ZERO;
            }
            String status = "STOPPED".equals(n.phase()) ? "stopped" : age.toMillis() <= aliveMs ? "alive" : "missing";
            views.add(new NodeView(n.owner(), n.name(), status, n.phase(), n.workers(), n.running(), n.startedAt(),
                    n.heartbeatAt(), age));
        }
        views.sort((a, b) -> a.name().equals(b.name()) ? b.startedAt().compareTo(a.startedAt())
                : a.name().compareTo(b.name()));
        return views;
    }

    /**
     * Activity over the last {@code window}, in equal steps (at least the stats interval, at most
     * {@value #MAX_POINTS} of them), oldest first. Counts are summed over nodes; depth is the latest snapshot in the
     * step (every node holds the same cluster-wide snapshot, so the largest of the nodes' latest values is taken), 0 for
     * queues no node wrote a row for in a step some node wrote in (they were idle), and -1 for a step nobody wrote in.
     *
     * @param window how far back, up to {@link #MAX_WINDOW}
     * @param queue  only this queue, or null for all
     * @throws IllegalArgumentException if the window is not positive or too long
     */
    public History history(Duration window, String queue) {
        if (window.isNegative() || window.isZero() || window.compareTo(MAX_WINDOW) > 0) {
            throw new IllegalArgumentException("minutes must be between 1 and " + MAX_WINDOW.toMinutes());
        }
        long stepMs = Math.max(config.statsInterval().toMillis(), ceilDiv(window.toMillis(), MAX_POINTS));
        ClusterStore.Stats stats = database.call("activity", () -> cluster.stats(window.toMillis()));
        return aggregate(stats.rows(), stats.now(), window, stepMs, queue);
    }

    /** Sums the rows into steps of {@code stepMs} ending at {@code end} (see {@link #history}). */
    static History aggregate(List<StatRow> rows, Instant end, Duration window, long stepMs, String queue) {
        int points = (int) ceilDiv(window.toMillis(), stepMs);
        long startMs = end.toEpochMilli() - points * stepMs;
        long[][] sums = new long[points][4];
        // step -> queue -> node -> {sampledAt, waiting, running} of that node's latest row in the step
        List<Map<String, Map<String, long[]>>> depth = new ArrayList<>();
        for (int i = 0; i < points; i++) {
            depth.add(new HashMap<>());
        }
        boolean[] sampled = new boolean[points];
        for (StatRow r : rows) {
            int i = (int) Math.min(points - 1, Math.floorDiv(r.sampledAt().toEpochMilli() - startMs, stepMs));
            if (i < 0) {
                continue;
            }
            sampled[i] = true; // a node wrote in this step: queues without a row were idle (0), not unknown
            if (StatRow.IDLE.equals(r.queue()) || queue != null && !queue.equals(r.queue())) {
                continue;
            }
            sums[i][0] += r.submitted();
            sums[i][1] += r.completed();
            sums[i][2] += r.failed();
            sums[i][3] += r.deadLettered();
            depth.get(i).computeIfAbsent(r.queue(), q -> new HashMap<>()).merge(r.node(),
                    new long[] {r.sampledAt().toEpochMilli(), r.waiting(), r.running()},
                    (a, b) -> a[0] >= b[0] ? a : b);
        }
        List<ActivityPoint> out = new ArrayList<>(points);
        for (int i = 0; i < points; i++) {
            long waiting = sampled[i] ? 0 : -1;
            long running = sampled[i] ? 0 : -1;
            for (Map<String, long[]> byNode : depth.get(i).values()) {
                long w = 0;
                long r = 0;
                for (long[] v : byNode.values()) {
                    w = Math.max(w, v[1]);
                    r = Math.max(r, v[2]);
                }
                waiting += w;
                running += r;
            }
            out.add(new ActivityPoint(Instant.ofEpochMilli(startMs + i * stepMs), sums[i][0], sums[i][1], sums[i][2],
                    sums[i][3], waiting, running));
        }
        return new History(Duration.ofMillis(stepMs), out);
    }

    /** Activity points and the step between them. */
    public record History(Duration step, List<ActivityPoint> points) {
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}
