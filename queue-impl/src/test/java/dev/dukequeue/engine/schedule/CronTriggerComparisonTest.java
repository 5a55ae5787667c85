package dev.dukequeue.engine.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.enterprise.concurrent.CronTrigger;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Why recurring jobs keep their own {@link CronExpression} instead of Jakarta Concurrency 3.0's {@code CronTrigger}
 * (in {@code jakartaee-api} 10; Payara 6.2025.10 ships its 3.0.4): the same expressions, run through both, differ
 * where users notice. Each difference docs/flow-control.md names is pinned here against the real class; if an upgrade
 * of the API changes one, this test says so. The instants are chosen away from a defect of the 3.0.0 class this build
 * compiles against ({@code ArrayIndexOutOfBoundsException} when the search starts in an hour before the schedule's
 * first hour of the day, such as {@code 0 2 * * *} from 00:07), fixed in Payara's 3.0.4.
 */
class CronTriggerComparisonTest {

    private static final ZoneId UTC = ZoneId.of("UTC");
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    /** {@code CronTrigger.next} is protected: the first fire time at or after {@code from}. */
    private static final class Trigger extends CronTrigger {
        Trigger(String cron, ZoneId zone) {
            super(cron, zone);
        }

        Instant firstAfter(Instant after, ZoneId zone) {
            return next(after.plusSeconds(1).atZone(zone)).toInstant();
        }
    }

    private static Instant ours(String cron, String after, ZoneId zone) {
        Optional<Instant> next = CronExpression.parse(cron).next(Instant.parse(after), zone);
        return next.orElse(null);
    }

    private static Instant theirs(String cron, String after, ZoneId zone) {
        return new Trigger(cron, zone).firstAfter(Instant.parse(after), zone);
    }

    @Test
    void theyAgreeOnPlainSchedules() {
        for (String cron : new String[] {"*/15 * * * *", "0 2 * * *", "0 0 * * 7", "30 8 1 * *", "0 0 0 * * MON"}) {
            assertThat(theirs(cron, "2026-12-01T12:00:00Z", UTC)).as(cron)
                    .isEqualTo(ours(cron, "2026-12-01T12:00:00Z", UTC));
        }
        // Spring forward: both skip a time that does not exist that day (02:30 on 2027-03-14 in New York).
        assertThat(ours("30 2 * * *", "2027-03-13T12:00:00Z", NEW_YORK)).isEqualTo("2027-03-15T06:30:00Z");
        assertThat(theirs("30 2 * * *", "2027-03-13T12:00:00Z", NEW_YORK)).isEqualTo("2027-03-15T06:30:00Z");
    }

    @Test
    void bothDayFieldsRestrictedMeansEitherForUsAndBothForCronTrigger() {
        // The 1st of the month or a Monday (Vixie cron, what crontab users expect) against a 1st that is a Monday.
        assertThat(ours("0 0 1 * MON", "2026-12-01T00:00:00Z", UTC)).isEqualTo("2026-12-07T00:00:00Z");
        assertThat(theirs("0 0 1 * MON", "2026-12-01T00:00:00Z", UTC)).isEqualTo("2027-02-01T00:00:00Z");
    }

    @Test
    void aRepeatedTimeOnAFallBackDayFiresOnceForUsAndTwiceForCronTrigger() {
        // 01:30 happens twice on 2026-11-01 in New York (05:30Z in daylight time, 06:30Z in standard time).
        assertThat(ours("30 1 * * *", "2026-10-31T12:00:00Z", NEW_YORK)).isEqualTo("2026-11-01T05:30:00Z");
        assertThat(ours("30 1 * * *", "2026-11-01T05:30:00Z", NEW_YORK)).isEqualTo("2026-11-02T06:30:00Z");
        assertThat(theirs("30 1 * * *", "2026-10-31T12:00:00Z", NEW_YORK)).isEqualTo("2026-11-01T05:30:00Z");
        assertThat(theirs("30 1 * * *", "2026-11-01T05:30:00Z", NEW_YORK)).isEqualTo("2026-11-01T06:30:00Z");
    }

    @Test
    void anImpossibleDateIsAScheduleThatNeverFiresForUsAndAnErrorAtEachCallForCronTrigger() {
        assertThat(ours("0 0 30 2 *", "2026-01-01T00:00:00Z", UTC)).isNull();
        assertThatThrownBy(() -> theirs("0 0 30 2 *", "2026-01-01T00:00:00Z", UTC))
                .isInstanceOf(DateTimeException.class);
    }

    @Test
    void theSyntaxesDifferBothWays() {
        // Macros are ours only; L (last day of the month) and wrapping day ranges are CronTrigger's only.
        assertThat(ours("@daily", "2026-12-01T00:00:00Z", UTC)).isEqualTo("2026-12-02T00:00:00Z");
        assertThatThrownBy(() -> new Trigger("@daily", UTC)).isInstanceOf(IllegalArgumentException.class);
        assertThat(theirs("0 0 L * *", "2026-01-01T00:00:00Z", UTC)).isEqualTo("2026-01-31T00:00:00Z");
        assertThatThrownBy(() -> CronExpression.parse("0 0 L * *")).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Trigger("0 0 * * FRI-MON", UTC).firstAfter(Instant.parse("2026-12-01T00:00:00Z"), UTC))
                .isEqualTo("2026-12-04T00:00:00Z"); // a Friday: the range wraps to Monday
        assertThatThrownBy(() -> CronExpression.parse("0 0 * * FRI-MON")).isInstanceOf(IllegalArgumentException.class);
    }
}
