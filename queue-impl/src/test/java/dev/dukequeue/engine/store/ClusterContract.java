package dev.dukequeue.engine.store;

import static dev.dukequeue.engine.store.JobFixtures.aJob;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The cluster tables (node heartbeats, activity rows) on every supported database. */
abstract class ClusterContract extends StoreFixture {

    private ClusterStore cluster;

    @BeforeEach
    void cluster() {
        cluster = new ClusterStore(tx);
    }

    private <T> T inTx(java.util.concurrent.Callable<T> work) {
        return tx.inTransaction(work);
    }

    @Test
    void aHeartbeatCreatesTheNodesRowAndLaterOnesUpdateIt() {
        inTx(() -> {
            cluster.heartbeat("node-a#1", "node-a", "RUNNING", 8);
            return null;
        });
        ClusterStore.Nodes first = inTx(cluster::nodes);
        inTx(() -> {
            cluster.heartbeat("node-a#1", "node-a", "DRAINING", 8);
            return null;
        });
        ClusterStore.Nodes second = inTx(cluster::nodes);

        assertThat(second.nodes()).singleElement().satisfies(n -> {
            assertThat(n.owner()).isEqualTo("node-a#1");
            assertThat(n.name()).isEqualTo("node-a");
            assertThat(n.phase()).isEqualTo("DRAINING");
            assertThat(n.workers()).isEqualTo(8);
            assertThat(n.startedAt()).isEqualTo(first.nodes().get(0).startedAt());
            assertThat(n.heartbeatAt()).isAfterOrEqualTo(first.nodes().get(0).heartbeatAt());
        });
        assertThat(Duration.between(second.nodes().get(0).heartbeatAt(), second.now()).abs())
                .as("heartbeat and now on the same (database) clock").isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void eachNodeShowsTheJobsItHoldsALeaseOn() {
        for (int i = 0; i < 3; i++) {
            submit(aJob().build());
        }
        claim("node-a#1", 2, LEASE);
        claim("node-b#1", 1, LEASE);
        inTx(() -> {
            cluster.heartbeat("node-a#1", "node-a", "RUNNING", 4);
            cluster.heartbeat("node-b#1", "node-b", "RUNNING", 4);
            cluster.heartbeat("node-c#1", "node-c", "RUNNING", 4);
            return null;
        });

        List<NodeRecord> nodes = inTx(cluster::nodes).nodes();

        assertThat(nodes).extracting(NodeRecord::name, NodeRecord::running)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("node-a", 2L),
                        org.assertj.core.groups.Tuple.tuple("node-b", 1L), org.assertj.core.groups.Tuple.tuple("node-c", 0L));
    }

    @Test
    void activityRowsAreReadBackWithinTheirWindowAndOldOnesAreForgotten() {
        inTx(() -> {
            cluster.writeStats("node-a#1", List.of(
                    new StatRow(null, null, "mail", 5, 4, 1, 0, 12, 2),
                    new StatRow(null, null, "pdf", 0, 0, 0, 0, 3, 0)));
            cluster.heartbeat("node-a#1", "node-a", "RUNNING", 4);
            return null;
        });

        ClusterStore.Stats stats = inTx(() -> cluster.stats(60_000));

        assertThat(stats.rows()).hasSize(2);
        StatRow mail = stats.rows().stream().filter(r -> r.queue().equals("mail")).findFirst().orElseThrow();
        assertThat(mail.node()).isEqualTo("node-a#1");
        assertThat(List.of(mail.submitted(), mail.completed(), mail.failed(), mail.deadLettered(), mail.waiting(),
                mail.running())).containsExactly(5L, 4L, 1L, 0L, 12L, 2L);
        assertThat(Duration.between(mail.sampledAt(), stats.now()).abs()).isLessThan(Duration.ofSeconds(5));

        assertThat(inTx(() -> cluster.forget(3_600_000, 3_600_000))).as("nothing is an hour old").isZero();
        awaitDatabaseClockPast(stats.now());
        assertThat(inTx(() -> cluster.forget(0, 0))).as("2 activity rows + 1 node").isEqualTo(3);
        assertThat(inTx(() -> cluster.stats(60_000)).rows()).isEmpty();
        assertThat(inTx(cluster::nodes).nodes()).isEmpty();
    }

    /** Waits (on the database clock, not with a sleep) until it has moved past {@code t}. */
    private void awaitDatabaseClockPast(Instant t) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(5))
                .until(() -> inTx(() -> cluster.stats(1).now()).isAfter(t));
    }
}
