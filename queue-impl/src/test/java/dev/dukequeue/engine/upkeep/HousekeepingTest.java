package dev.dukequeue.engine.upkeep;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dukequeue.JobState;
import dev.dukequeue.engine.lease.JobRescuer;
import dev.dukequeue.engine.node.NodeRegistry;
import dev.dukequeue.engine.observe.EngineMetrics;
import dev.dukequeue.engine.database.DatabaseGuard;
import dev.dukequeue.engine.store.JdbcJobStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * One housekeeping tick does, in this order, what the rescuer's timer did before the split: the rescue, the dependency
 * sweep, the queue-depth snapshot, the node's heartbeat row; and a part that fails does not keep the later ones from
 * running.
 */
class HousekeepingTest {

    private final List<String> ran = new CopyOnWriteArrayList<>();

    private Housekeeping housekeeping(boolean depthsFail) {
        Housekeeping h = new Housekeeping();
        h.rescuer = new JobRescuer() {
            @Override
            public int rescueNow() {
                ran.add("rescue");
                return 0;
            }
        };
        h.dependencies = new DependencySweep() {
            @Override
            public int settleDependencies() {
                ran.add("dependency sweep");
                return 0;
            }
        };
        h.nodes = new NodeRegistry() {
            @Override
            public void beat() {
                ran.add("node heartbeat");
            }

            @Override
            public boolean depthReporter() {
                return true;
            }
        };
        h.store = new JdbcJobStore() {
            @Override
            public Map<String, Map<JobState, Long>> activeCounts() {
                if (depthsFail) {
                    throw new IllegalStateException("database away");
                }
                return Map.of("default", Map.of(JobState.SCHEDULED, 3L));
            }
        };
        h.database = new DatabaseGuard() {
            @Override
            public <T> T call(String what, Callable<T> operation) {
                try {
                    return operation.call();
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        };
        h.metrics = new EngineMetrics() {
            @Override
            public void depths(Map<String, Map<JobState, Long>> counts, boolean export) {
                ran.add("queue depths " + counts + (export ? " exported" : ""));
            }
        };
        return h;
    }

    @Test
    void aTickRescuesThenSweepsThenSnapshotsTheDepthsThenBeats() {
        housekeeping(false).onTimer(null);

        assertThat(ran).containsExactly("rescue", "dependency sweep", "queue depths {default={SCHEDULED=3}} exported",
                "node heartbeat");
    }

    @Test
    void aDepthSnapshotThatFailsStillLetsTheNodeBeat() {
        housekeeping(true).onTimer(null);

        assertThat(ran).containsExactly("rescue", "dependency sweep", "node heartbeat");
    }
}
