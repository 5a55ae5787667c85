package dev.dukequeue.engine.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WaitingEstimateTest {

    private final AtomicLong clock = new AtomicLong();
    private final WaitingEstimate estimate = new WaitingEstimate(clock::get);

    @Test
    void aQueueNeverCountedIsCounted() {
        assertThat(estimate.farBelow("mail", 1, 500_000, 1_000_000)).isFalse();
    }

    @Test
    void farBelowTheLimitTheEstimateGrowsWithEachSubmissionUntilItReachesItsCeiling() {
        estimate.counted("mail", 100, 1);
        assertThat(estimate.farBelow("mail", 499_899, 500_000, 1_000_000)).as("101 + 499,899 = 500,000").isTrue();
        assertThat(estimate.farBelow("mail", 1, 500_000, 1_000_000)).as("500,001: past half the limit").isFalse();
        assertThat(estimate.farBelow("other", 1, 500_000, 1_000_000)).as("per queue").isFalse();
    }

    @Test
    void smallLimitsAreAlwaysCounted() {
        estimate.counted("tiny", 0, 1);
        assertThat(estimate.farBelow("tiny", 1, 1, 2)).isFalse();
        estimate.counted("ten-thousand", 0, 1);
        assertThat(estimate.farBelow("ten-thousand", 1, 5_000, 10_000)).as("9,998 below: under the headroom").isFalse();
        estimate.counted("twenty-thousand", 0, 1);
        assertThat(estimate.farBelow("twenty-thousand", 1, 10_000, 20_000)).as("19,998 below").isTrue();
    }

    @Test
    void aCountOlderThanASecondIsCountedAgain() {
        estimate.counted("mail", 0, 1);
        clock.addAndGet(WaitingEstimate.FRESH_NANOS - 1);
        assertThat(estimate.farBelow("mail", 1, 500_000, 1_000_000)).isTrue();
        clock.addAndGet(1);
        assertThat(estimate.farBelow("mail", 1, 500_000, 1_000_000)).isFalse();
        estimate.counted("mail", 7, 1);
        assertThat(estimate.farBelow("mail", 1, 500_000, 1_000_000)).isTrue();
    }
}
