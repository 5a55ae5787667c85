package dev.dukequeue.engine.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dukequeue.JobId;
import dev.dukequeue.engine.job.ClaimedJob;
import dev.dukequeue.engine.job.Lease;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** When a claim loop reads the claim index from its floor, and when from the start (the SQL: PostgresJobStoreTest). */
class ClaimFloorTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void theFloorIsTheFirstClaimedJobLessTheMarginAndANewClaimWithoutJobsKeepsIt() {
        ClaimFloor floor = new ClaimFloor(Duration.ofSeconds(1));
        assertThat(floor.next(0)).as("no floor yet").isNull();
        floor.claimed(List.of(job(3, 9_000), job(2, 7_500), job(2, 8_000)), null, 0);

        assertThat(floor.next(1)).isEqualTo(new ClaimFloor.Key(2, 7_500 - ClaimFloor.MARGIN));
        floor.claimed(List.of(), floor.next(2), 2);
        assertThat(floor.next(3)).isEqualTo(new ClaimFloor.Key(2, 7_500 - ClaimFloor.MARGIN));
        floor.claimed(List.of(job(2, 500)), floor.next(4), 4);
        assertThat(floor.next(5)).as("never under 0").isEqualTo(new ClaimFloor.Key(2, 0));
    }

    @Test
    void aClaimFromTheStartComesOncePerIntervalAfterAMoreUrgentSubmissionAndAfterAReset() {
        ClaimFloor floor = new ClaimFloor(Duration.ofSeconds(1));
        floor.claimed(List.of(job(2, 5_000)), floor.next(0), 0);
        assertThat(floor.next(SECOND - 1)).isNotNull();
        assertThat(floor.next(SECOND)).as("the interval since the last claim from the start").isNull();
        floor.claimed(List.of(), null, SECOND);
        assertThat(floor.next(SECOND + 1)).isNotNull();

        floor.submitted(2);
        floor.submitted(4);
        assertThat(floor.next(SECOND + 2)).as("as urgent as the floor or less: found from it").isNotNull();
        floor.submitted(1);
        assertThat(floor.next(SECOND + 3)).isNull();
        assertThat(floor.next(SECOND + 4)).as("once").isNotNull();

        floor.reset();
        assertThat(floor.next(SECOND + 5)).isNull();
        assertThat(floor.next(SECOND + 6)).isNotNull();
    }

    @Test
    void noneReadsFromTheStartEveryTime() {
        ClaimFloor none = ClaimFloor.none();
        none.claimed(List.of(job(2, 5_000)), none.next(0), 0);
        assertThat(none.next(0)).isNull();
        assertThat(none.next(1)).isNull();
    }

    private static ClaimedJob job(int priority, long seq) {
        return new ClaimedJob(new Lease(JobId.random(), "node#1", "token", 1), JobFixtures.TYPE, "default", priority,
                seq, 1, 3, 60_000, "{}", null, 0);
    }
}
