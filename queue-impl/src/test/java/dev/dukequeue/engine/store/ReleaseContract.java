package dev.dukequeue.engine.store;

import static dev.dukequeue.engine.store.JobFixtures.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dukequeue.ErrorCategory;
import dev.dukequeue.JobId;
import dev.dukequeue.JobState;
import dev.dukequeue.engine.job.AttemptOutcome;
import dev.dukequeue.engine.job.ClaimedJob;
import dev.dukequeue.engine.job.JobEvent;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Releases at shutdown and their limit ({@code dq_job.release_count}, {@code dukequeue.release.max}) on every supported
 * database: a job is given back for free a bounded number of times, then each further release charges its attempt.
 */
abstract class ReleaseContract extends StoreFixture {

    private static final int LIMIT = 3;
    private static final String RELEASE_COUNT = "SELECT release_count FROM dq_job WHERE id = ?";

    private ReleaseOutcome release(ClaimedJob job, int limit, long backoffMs) {
        return tx.inTransaction(() -> store.release(job.lease(), "node-a#1 shut down", limit, attempt -> backoffMs));
    }

    private int releaseCount(JobId id) {
        return (int) count(RELEASE_COUNT, id);
    }

    @Test
    void aNewJobHasNoReleases() {
        JobId id = submit(aJob().build()).id();

        assertThat(releaseCount(id)).isZero();
    }

    @Test
    void eachFreeReleaseIsCountedAndGivesTheAttemptBack() {
        JobId id = submit(aJob().maxAttempts(2).build()).id();

        for (int n = 1; n <= LIMIT; n++) {
            ClaimedJob job = claim(1).get(0);
            assertThat(job.attempt()).as("release %d gave the attempt back", n - 1).isEqualTo(1);

            assertThat(release(job, LIMIT, 0)).isEqualTo(ReleaseOutcome.RELEASED);

            assertThat(releaseCount(id)).isEqualTo(n);
            assertThat(stateOf(id)).isEqualTo(JobState.SCHEDULED);
            assertThat(row(id).get("attempt")).isEqualTo(0);
        }
        assertThat(attemptOutcomes(id)).containsExactly("RELEASED", "RELEASED", "RELEASED");
    }

    @Test
    void aReleasePastTheLimitChargesTheAttemptWithAClearError() {
        JobId id = submit(aJob().maxAttempts(5).build()).id();
        for (int n = 1; n <= LIMIT; n++) {
            assertThat(release(claim(1).get(0), LIMIT, 0)).isEqualTo(ReleaseOutcome.RELEASED);
        }
        ClaimedJob fourth = claim(1).get(0);

        assertThat(release(fourth, LIMIT, 3_600_000)).isEqualTo(ReleaseOutcome.CHARGED_RETRY);

        assertThat(stateOf(id)).isEqualTo(JobState.SCHEDULED);
        assertThat(row(id).get("attempt")).as("the attempt is charged").isEqualTo(1);
        assertThat(row(id).get("errorCategory")).isEqualTo(ErrorCategory.SYSTEM.name());
        assertThat((String) valueOf("SELECT last_error_message FROM dq_job WHERE id = ?", id))
                .contains("released 4 times without finishing (limit dukequeue.release.max=3)")
                .contains("node-a#1 shut down");
        assertThat(releaseCount(id)).as("every release counts, free or charged").isEqualTo(4);
        assertThat(claim(1)).as("a charged release waits for its backoff like a failure").isEmpty();
        assertThat(attemptHistory(id)).last().isEqualTo("4/1 node-a#1 RELEASED ended");
    }

    @Test
    void aChargedReleaseOfTheLastAttemptDeadLettersTheJob() {
        JobId id = submit(aJob().maxAttempts(1).build()).id();

        assertThat(release(claim(1).get(0), 0, 0)).as("limit 0: no free release").isEqualTo(
                ReleaseOutcome.CHARGED_DEAD_LETTER);

        assertThat(stateOf(id)).isEqualTo(JobState.DEAD_LETTER);
        assertThat(row(id).get("finished")).isEqualTo(true);
        assertThat((String) valueOf("SELECT last_error_message FROM dq_job WHERE id = ?", id))
                .contains("released 1 times without finishing (limit dukequeue.release.max=0)")
                .contains("it was the last");
    }

    @Test
    void theLimitAtItsLargestStillReleasesForFree() {
        JobId id = submit(aJob().build()).id();

        assertThat(release(claim(1).get(0), 1000, 0)).isEqualTo(ReleaseOutcome.RELEASED);

        assertThat(releaseCount(id)).isEqualTo(1);
    }

    @Test
    void aReleaseAfterTheLeaseWasLostChangesAndCountsNothing() {
        JobId id = submit(aJob().build()).id();
        ClaimedJob stale = claim("node-a#1", 1, 1).get(0);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                tx.inTransaction(() -> store.rescueExpiredLeases(10, attempt -> 0, 3)).size() == 1);
        ClaimedJob fresh = claim("node-b#1", 1, LEASE).get(0);

        assertThat(release(stale, LIMIT, 0)).isEqualTo(ReleaseOutcome.LEASE_LOST);
        assertThat(release(stale, 0, 0)).as("past the limit too").isEqualTo(ReleaseOutcome.LEASE_LOST);

        assertThat(releaseCount(id)).isZero();
        assertThat(stateOf(id)).isEqualTo(JobState.RUNNING);
        assertThat(row(id).get("leaseToken")).isEqualTo(fresh.lease().token());
        assertThat(row(id).get("attempt")).isEqualTo(2);
    }

    @Test
    void aRedriveResetsTheReleaseCount() {
        JobId id = submit(aJob().maxAttempts(1).build()).id();
        assertThat(release(claim(1).get(0), 0, 0)).isEqualTo(ReleaseOutcome.CHARGED_DEAD_LETTER);

        assertThat(tx.inTransaction(() -> store.apply(id, JobEvent.REDRIVE)).after()).isEqualTo(JobState.SCHEDULED);

        assertThat(releaseCount(id)).isZero();
        assertThat(release(claim(1).get(0), 1, 0)).isEqualTo(ReleaseOutcome.RELEASED);
    }

    @Test
    void aReleaseCannotTakeTheFailurePathAroundItsLimit() {
        submit(aJob().build());
        ClaimedJob job = claim(1).get(0);

        assertThatThrownBy(() -> tx.inTransaction(() -> store.fail(job.lease(), JobEvent.RELEASE,
                Failure.observed(AttemptOutcome.RELEASED, ErrorCategory.SYSTEM, "shutdown"), 0)))
                .hasMessageContaining("release()");
    }
}
