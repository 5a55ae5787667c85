package dev.dukequeue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A submitted run-at lies between a day ago and ten years ahead; a re-created one within the storable window. */
class RunAtWindowTest {

    private static void refused(Instant runAt) {
        assertThatThrownBy(() -> JobRequest.builder("t").runAt(runAt).build()).as(String.valueOf(runAt))
                .isInstanceOfSatisfying(InvalidJobRequestException.class, e -> {
                    assertThat(e.field()).isEqualTo("runAt");
                    assertThat(e.getMessage()).startsWith("runAt must be between");
                });
    }

    @Test
    void theBuilderRefusesARunAtOutsideTheWindow() {
        Instant now = Instant.now();
        refused(Instant.parse("0001-01-01T00:00:00Z"));
        refused(Instant.parse("+1000000000-12-31T23:59:59Z"));
        refused(Instant.MIN);
        refused(Instant.MAX);
        refused(now.minus(JobRequest.MAX_RUN_AT_PAST).minusSeconds(60));
        refused(now.plus(JobRequest.MAX_RUN_AT_AHEAD).plusSeconds(60));
    }

    @Test
    void theBuilderAcceptsARunAtInsideTheWindow() {
        Instant now = Instant.now();
        for (Instant at : new Instant[] {now, now.minus(Duration.ofHours(23)), now.plus(Duration.ofDays(3650))}) {
            assertThat(JobRequest.builder("t").runAt(at).build().runAt()).isEqualTo(at);
        }
    }

    @Test
    void theWindowIsExactAtItsEdges() {
        Instant now = Instant.parse("2030-06-01T00:00:00Z");
        JobRequest.requireRunAtWindow(now.minus(JobRequest.MAX_RUN_AT_PAST), now);
        JobRequest.requireRunAtWindow(now.plus(JobRequest.MAX_RUN_AT_AHEAD), now);
        assertThatThrownBy(() -> JobRequest.requireRunAtWindow(now.minus(JobRequest.MAX_RUN_AT_PAST).minusMillis(1),
                now)).isInstanceOf(InvalidJobRequestException.class);
        assertThatThrownBy(() -> JobRequest.requireRunAtWindow(now.plus(JobRequest.MAX_RUN_AT_AHEAD).plusMillis(1),
                now)).isInstanceOf(InvalidJobRequestException.class);
    }

    private static JobRequest recreated(Instant runAt) {
        return new JobRequest("t", null, null, 2, runAt, null, 1, null, "recurring:x:" + runAt, null, List.of(),
                List.of(), null);
    }

    @Test
    void theConstructorTakesAPastInstantOfARecurringJobButNeverAnUnstorableOne() {
        Instant longAgo = Instant.now().minus(Duration.ofDays(30));
        assertThat(recreated(longAgo).runAt()).isEqualTo(longAgo);
        for (Instant at : new Instant[] {Instant.parse("0001-01-01T00:00:00Z"), Instant.MAX,
                InstantWindow.LATEST.plusSeconds(1)}) {
            assertThatThrownBy(() -> recreated(at)).isInstanceOfSatisfying(InvalidJobRequestException.class,
                    e -> assertThat(e.field()).isEqualTo("runAt"));
        }
    }
}
