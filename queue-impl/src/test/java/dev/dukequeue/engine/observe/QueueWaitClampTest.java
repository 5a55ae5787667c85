package dev.dukequeue.engine.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The queue-wait metric of a claim takes any wait the database computes (a run-at of year 1 written before the API's
 * window, or by SQL) without throwing: the overflow of {@code Duration.toNanos} there once kept a worker slot forever.
 */
class QueueWaitClampTest {

    @Test
    void anyWaitBecomesATimerValueThatDoesNotOverflow() {
        // What the timer does with a duration: today's defect, a wait of ~2,000 years.
        long yearOneWaitMs = Duration.ofDays(366L * 2026).toMillis();
        assertThatThrownBy(() -> Duration.ofMillis(yearOneWaitMs).toNanos()).isInstanceOf(ArithmeticException.class);
        for (long wait : new long[] {Long.MIN_VALUE, -1, 0, 1, yearOneWaitMs, Long.MAX_VALUE}) {
            long clamped = EngineMetrics.clampWait(wait);
            assertThat(clamped).as("wait " + wait).isBetween(0L, EngineMetrics.MAX_WAIT_MS);
            assertThat(Duration.ofMillis(clamped).toNanos()).as("wait " + wait).isNotNegative();
        }
        assertThat(EngineMetrics.clampWait(1234)).isEqualTo(1234);
        assertThat(EngineMetrics.clampWait(-5)).isZero();
        assertThat(EngineMetrics.clampWait(yearOneWaitMs)).isEqualTo(EngineMetrics.MAX_WAIT_MS);
    }
}
