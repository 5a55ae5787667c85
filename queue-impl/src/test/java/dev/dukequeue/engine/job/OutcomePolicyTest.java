package dev.dukequeue.engine.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dukequeue.ErrorCategory;
import dev.dukequeue.JobId;
import dev.dukequeue.PermanentJobException;
import dev.dukequeue.TemporaryJobException;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Every branch of the one retry / exhaust / backoff decision. The backoff's jitter is fixed at its lowest, so the
 * delay after attempt n is exactly half of min(max, 1 s * 2^(n-1)): 500 ms after the first, 2 s after the third.
 */
class OutcomePolicyTest {

    private final OutcomePolicy policy = new OutcomePolicy(new BackoffPolicy(Duration.ofSeconds(1),
            Duration.ofHours(1), () -> 0.0));

    private static ClaimedJob attempt(int attempt, int maxAttempts) {
        return new ClaimedJob(new Lease(JobId.random(), "node-a#1", "token", attempt), "test.type", "default", 0, 1,
                attempt, maxAttempts, 60_000, "{}", null, 0);
    }

    private static OutcomePolicy.Decision decision(JobEvent event, ErrorCategory category, long delayMs) {
        return new OutcomePolicy.Decision(event, category, delayMs);
    }

    @Test
    void aPermanentExceptionFailsTheJobWhateverAttemptsRemain() {
        assertThat(policy.thrown(attempt(1, 5), new PermanentJobException("bad payload")))
                .isEqualTo(decision(JobEvent.FAIL_PERMANENT, ErrorCategory.PERMANENT, 0));
        assertThat(policy.thrown(attempt(5, 5), new PermanentJobException("bad payload")))
                .as("not EXHAUST on the last attempt: the job failed, it did not run out of attempts")
                .isEqualTo(decision(JobEvent.FAIL_PERMANENT, ErrorCategory.PERMANENT, 0));
    }

    @Test
    void aTemporaryFailureWithAttemptsLeftIsRetriedAfterTheBackoffOfTheAttemptThatFailed() {
        OutcomePolicy.Decision first = policy.thrown(attempt(1, 3), new IOException("connection refused"));
        OutcomePolicy.Decision third = policy.thrown(attempt(3, 5), new TemporaryJobException("busy"));

        assertThat(first).isEqualTo(decision(JobEvent.FAIL_RETRYABLE, ErrorCategory.TEMPORARY, 500));
        assertThat(third).isEqualTo(decision(JobEvent.FAIL_RETRYABLE, ErrorCategory.TEMPORARY, 2000));
        assertThat(first.retried()).isTrue();
        assertThat(first.exhausted()).isFalse();
    }

    @Test
    void aSystemFailureWithAttemptsLeftIsRetriedToo() {
        assertThat(policy.thrown(attempt(2, 3), new NullPointerException()))
                .isEqualTo(decision(JobEvent.FAIL_RETRYABLE, ErrorCategory.SYSTEM, 1000));
        assertThat(policy.thrown(attempt(1, 3), new OutOfMemoryError("test")))
                .isEqualTo(decision(JobEvent.FAIL_RETRYABLE, ErrorCategory.SYSTEM, 500));
    }

    @Test
    void aRetryableFailureOfTheLastAttemptExhaustsTheJobWithoutADelay() {
        OutcomePolicy.Decision temporary = policy.thrown(attempt(3, 3), new IOException("refused"));
        OutcomePolicy.Decision system = policy.thrown(attempt(4, 3), new IllegalStateException("bug"));

        assertThat(temporary).isEqualTo(decision(JobEvent.EXHAUST, ErrorCategory.TEMPORARY, 0));
        assertThat(system).as("past the limit (max-attempts lowered while it ran): exhausted too")
                .isEqualTo(decision(JobEvent.EXHAUST, ErrorCategory.SYSTEM, 0));
        assertThat(temporary.exhausted()).isTrue();
        assertThat(temporary.retried()).isFalse();
    }

    @Test
    void aCorruptRowFailsAtOnceAsSystemAndIsNeverRetriedNorDeadLettered() {
        assertThat(policy.corrupt(attempt(1, 5))).isEqualTo(decision(JobEvent.FAIL_PERMANENT, ErrorCategory.SYSTEM, 0));
        assertThat(policy.corrupt(attempt(5, 5))).isEqualTo(decision(JobEvent.FAIL_PERMANENT, ErrorCategory.SYSTEM, 0));
    }

    @Test
    void aTimeoutIsRetriedAfterTheBackoffOrExhaustsTheLastAttempt() {
        assertThat(policy.timedOut(attempt(2, 3))).isEqualTo(decision(JobEvent.FAIL_RETRYABLE, ErrorCategory.TIMEOUT,
                1000));
        assertThat(policy.timedOut(attempt(3, 3))).isEqualTo(decision(JobEvent.EXHAUST, ErrorCategory.TIMEOUT, 0));
    }

    @Test
    void theStoresPathsTakeTheSameDelayAndLastAttemptRule() {
        assertThat(policy.retryDelayMs(1)).isEqualTo(500);
        assertThat(policy.retryDelayMs(3)).isEqualTo(2000);
        assertThat(OutcomePolicy.lastAttempt(2, 3)).isFalse();
        assertThat(OutcomePolicy.lastAttempt(3, 3)).isTrue();
        assertThat(OutcomePolicy.lastAttempt(4, 3)).isTrue();
        assertThat(attempt(3, 3).lastAttempt()).isTrue();
        assertThat(attempt(2, 3).lastAttempt()).isFalse();
    }

    @Test
    void theJitteredPolicyStaysWithinTheBackoffBounds() {
        OutcomePolicy jittered = OutcomePolicy.withJitter(Duration.ofSeconds(1), Duration.ofSeconds(10));
        for (int i = 0; i < 100; i++) {
            assertThat(jittered.retryDelayMs(1)).isBetween(500L, 1000L);
            assertThat(jittered.retryDelayMs(20)).isBetween(5000L, 10_000L);
        }
    }
}
