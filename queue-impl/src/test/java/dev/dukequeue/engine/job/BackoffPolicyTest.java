package dev.dukequeue.engine.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffPolicyTest {

    @Test
    void delayDoublesPerAttemptBetweenHalfAndFullCeiling() {
        BackoffPolicy lowest = new BackoffPolicy(Duration.ofSeconds(1), Duration.ofHours(1), () -> 0.0);
        BackoffPolicy highest = new BackoffPolicy(Duration.ofSeconds(1), Duration.ofHours(1), () -> 0.999999);
        assertThat(lowest.delayMs(1)).isEqualTo(500);
        assertThat(highest.delayMs(1)).isEqualTo(1000);
        assertThat(lowest.delayMs(2)).isEqualTo(1000);
        assertThat(highest.delayMs(2)).isEqualTo(2000);
        assertThat(lowest.delayMs(5)).isEqualTo(8000);
        assertThat(highest.delayMs(5)).isEqualTo(16000);
    }

    @Test
    void delayIsCappedAtTheMaximumEvenForHugeAttemptNumbers() {
        BackoffPolicy p = new BackoffPolicy(Duration.ofSeconds(1), Duration.ofMinutes(10), () -> 0.999999);
        for (int attempt : new int[] {11, 20, 63, 64, 1000, Integer.MAX_VALUE}) {
            assertThat(p.delayMs(attempt)).isBetween(300_000L, 600_000L);
        }
    }

    @Test
    void jitterSpreadsDelaysOfJobsThatFailedTogether() {
        Random random = new Random(42);
        BackoffPolicy p = new BackoffPolicy(Duration.ofSeconds(1), Duration.ofHours(1), random::nextDouble);
        long distinct = java.util.stream.IntStream.range(0, 100).mapToLong(i -> p.delayMs(4)).distinct().count();
        assertThat(distinct).isGreaterThan(50);
    }

    @Test
    void rejectsABaseLargerThanTheMaximum() {
        assertThatThrownBy(() -> new BackoffPolicy(Duration.ofMinutes(2), Duration.ofMinutes(1), () -> 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("base");
    }
}
