package dev.dukequeue.engine.read;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dukequeue.engine.store.StatRow;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterActivityTest {

    private static final Instant END = Instant.parse("2026-11-22T10:00:00Z");
    private static final long MINUTE = 60_000;

    private static StatRow row(String node, long minutesAgo, long secondsAgo, String queue, long completed, long failed,
            long waiting) {
        return new StatRow(node, END.minusSeconds(minutesAgo * 60 + secondsAgo), queue, 1, completed, failed, 0, waiting, 2);
    }

    @Test
    void countsAreSummedOverNodesAndDepthIsEachQueuesLatestSnapshot() {
        List<StatRow> rows = List.of(
                row("a#1", 1, 40, "mail", 10, 0, 100),
                row("a#1", 1, 10, "mail", 5, 5, 80),   // a's latest in the step: 80 waiting
                row("b#1", 1, 30, "mail", 20, 0, 90),  // b's only one: 90 (the cluster-wide value it saw last)
                row("b#1", 1, 30, "pdf", 1, 0, 7),
                row("a#1", 0, 0, "mail", 3, 0, 50));   // exactly now: the last step

        ClusterActivity.History h = ClusterActivity.aggregate(rows, END, Duration.ofMinutes(3), MINUTE, null);

        assertThat(h.points()).hasSize(3);
        ActivityPoint empty = h.points().get(0);
        assertThat(empty.completed()).isZero();
        assertThat(empty.waiting()).as("no snapshot in the step: a gap, not 0").isEqualTo(-1);
        ActivityPoint busy = h.points().get(1);
        assertThat(busy.at()).isEqualTo(END.minusSeconds(120));
        assertThat(busy.submitted()).isEqualTo(4);
        assertThat(busy.completed()).isEqualTo(36);
        assertThat(busy.failed()).isEqualTo(5);
        assertThat(busy.failureRate()).isEqualTo(5.0 / 41);
        assertThat(busy.waiting()).as("mail: max of the nodes' latest (80, 90), plus pdf 7").isEqualTo(97);
        assertThat(busy.running()).isEqualTo(4);
        assertThat(h.points().get(2).completed()).isEqualTo(3);
        assertThat(h.points().get(2).waiting()).isEqualTo(50);
    }

    @Test
    void oneQueueOnly() {
        List<StatRow> rows = List.of(row("a#1", 0, 30, "mail", 10, 2, 5), row("a#1", 0, 30, "pdf", 1, 0, 7));

        ActivityPoint p = ClusterActivity.aggregate(rows, END, Duration.ofMinutes(1), MINUTE, "pdf").points().get(0);

        assertThat(p.completed()).isEqualTo(1);
        assertThat(p.failed()).isZero();
        assertThat(p.failureRate()).isZero();
        assertThat(p.waiting()).isEqualTo(7);
    }

    @Test
    void rowsOlderThanTheWindowAreLeftOut() {
        List<StatRow> rows = List.of(row("a#1", 5, 0, "mail", 10, 0, 5));

        ClusterActivity.History h = ClusterActivity.aggregate(rows, END, Duration.ofMinutes(2), MINUTE, null);

        assertThat(h.points()).allSatisfy(p -> assertThat(p.completed()).isZero());
    }

    @Test
    void aStepWithOnlyIdleRowsIsZeroAndAQueueWithoutARowInASampledStepIsZero() {
        List<StatRow> rows = List.of(new StatRow("a#1", END.minusSeconds(90), StatRow.IDLE, 0, 0, 0, 0, 0, 0),
                row("a#1", 0, 30, "mail", 1, 0, 4));

        List<ActivityPoint> all = ClusterActivity.aggregate(rows, END, Duration.ofMinutes(2), MINUTE, null).points();
        List<ActivityPoint> pdf = ClusterActivity.aggregate(rows, END, Duration.ofMinutes(2), MINUTE, "pdf").points();

        assertThat(all).extracting(ActivityPoint::waiting).containsExactly(0L, 4L);
        assertThat(pdf).extracting(ActivityPoint::waiting).containsExactly(0L, 0L);
        assertThat(pdf).extracting(ActivityPoint::completed).containsExactly(0L, 0L);
    }
}
