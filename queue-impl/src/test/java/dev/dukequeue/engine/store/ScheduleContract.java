package dev.dukequeue.engine.store;

import static dev.dukequeue.engine.store.JobFixtures.aJob;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * Recurring jobs and backpressure in the store, on every supported database: an instant whose queue has no room is
 * refused under the schedule's row lock. Subclasses run it as a nested suite of their database's store test.
 */
abstract class ScheduleContract extends StoreFixture {

    private List<FiredJob> fire(ScheduleDefinition d, QueueRoom room) {
        return tx.inTransaction(() -> store.fireDueSchedules(Map.of(d.name(), d), room, 100));
    }

    @Test
    void anInstantWhoseQueueIsFullIsRefusedWithoutAJobAndTheScheduleMovesPastIt() {
        ScheduleDefinition d = everySecond("bounded");
        Instant first = tx.inTransaction(() -> store.registerSchedule(d));
        Instant since = first.minusSeconds(5); // at least five instants due
        moveNextRun("bounded", since);
        submit(aJob().queue("cron").build()); // one job already waits
        List<String> asked = new CopyOnWriteArrayList<>();

        // A limit of 3 waiting jobs: room for two.
        List<FiredJob> fired = fire(d, (queue, waiting) -> {
            asked.add(queue + ":" + waiting);
            return 3 - waiting;
        });

        assertThat(asked).as("counted once, then used up by each new job").containsExactly("cron:1");
        assertThat(fired).hasSizeGreaterThanOrEqualTo(5);
        for (int i = 0; i < fired.size(); i++) {
            assertThat(fired.get(i).instant()).as("no instant skipped or repeated").isEqualTo(since.plusSeconds(i));
        }
        assertThat(fired.subList(0, 2)).allSatisfy(f -> assertThat(f.created()).isTrue());
        assertThat(fired.subList(2, fired.size())).allSatisfy(f -> {
            assertThat(f.refused()).isTrue();
            assertThat(f.receipt()).isNull();
        });
        assertThat(count("SELECT COUNT(*) FROM dq_job WHERE queue = 'cron'")).as("the limit holds").isEqualTo(3);
        Instant lastInstant = fired.get(fired.size() - 1).instant();
        ScheduleState state = store.schedules().get(0);
        assertThat(state.nextRunAt()).as("moved past the refused instants").isEqualTo(lastInstant.plusSeconds(1));
        assertThat(state.lastRunAt()).as("the last enqueued instant").isEqualTo(fired.get(1).instant());
        assertThat(state.lastJobId()).isEqualTo(fired.get(1).receipt().id().toString());

        // A full queue throughout: every instant refused, the last enqueued one kept.
        moveNextRun("bounded", lastInstant.minusSeconds(30));
        List<FiredJob> refused = fire(d, (queue, waiting) -> 3 - waiting);
        assertThat(refused).isNotEmpty().allSatisfy(f -> assertThat(f.refused()).isTrue());
        assertThat(count("SELECT COUNT(*) FROM dq_job WHERE queue = 'cron'")).isEqualTo(3);
        ScheduleState after = store.schedules().get(0);
        assertThat(after.nextRunAt()).isEqualTo(refused.get(refused.size() - 1).instant().plusSeconds(1));
        assertThat(after.lastRunAt()).isEqualTo(state.lastRunAt());
        assertThat(after.lastJobId()).isEqualTo(state.lastJobId());

        // Room again: the schedule's next instant is enqueued.
        moveNextRun("bounded", after.nextRunAt().minusSeconds(1));
        List<FiredJob> again = fire(d, (queue, waiting) -> 4 - waiting);
        assertThat(again).first().satisfies(f -> assertThat(f.created()).isTrue());
    }

    private long count(String query) {
        try (Connection c = database().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
