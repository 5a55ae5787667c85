package dev.dukequeue.engine.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CronExpressionTest {

    private static final ZoneId UTC = ZoneOffset.UTC;
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");
    /** Clocks jump 02:00 -> 03:00 on 2026-03-08 and go back 02:00 -> 01:00 on 2026-11-01. */
    private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");

    @Test
    void everyMinuteFiresAtTheStartOfTheNextMinute() {
        assertEquals(utc("2026-01-15T10:16:00"), nextUtc("* * * * *", "2026-01-15T10:15:30"));
        assertEquals(utc("2026-01-15T10:17:00"), nextUtc("* * * * *", "2026-01-15T10:16:00"));
    }

    @ParameterizedTest(name = "{0} after {1} is {2}")
    @CsvSource(delimiter = '|', value = {
        "*/15 * * * *        | 2026-01-15T10:16:00 | 2026-01-15T10:30:00",
        "*/15 * * * *        | 2026-01-15T10:45:00 | 2026-01-15T11:00:00",
        "5,20,40 * * * *     | 2026-01-15T10:20:00 | 2026-01-15T10:40:00",
        "5,20,40 * * * *     | 2026-01-15T10:40:00 | 2026-01-15T11:05:00",
        "0 9-17/4 * * *      | 2026-01-15T09:00:00 | 2026-01-15T13:00:00",
        "0 9-17/4 * * *      | 2026-01-15T17:00:00 | 2026-01-16T09:00:00",
        "10/20 * * * *       | 2026-01-15T08:50:00 | 2026-01-15T09:10:00",
        "0 0 * * 1-5         | 2026-01-16T00:00:00 | 2026-01-19T00:00:00",
        "0 0 1,15 * *        | 2026-01-15T00:00:00 | 2026-02-01T00:00:00",
        "0 0 1 */3 *         | 2026-01-01T00:00:00 | 2026-04-01T00:00:00",
        "0 12 * jan,Jul mon-FRI | 2026-01-30T12:00:00 | 2026-07-01T12:00:00",
    })
    void stepsListsRangesAndNamesFireOnTheirValues(String expression, String after, String expected) {
        assertEquals(utc(expected), nextUtc(expression, after));
    }

    @Test
    void monthAndDayNamesAreCaseInsensitiveAliasesOfNumbers() {
        assertEquals(CronExpression.parse("0 12 * 1,7 1-5"), CronExpression.parse("0 12 * jan,Jul mon-FRI"));
        assertEquals(CronExpression.parse("0 12 * 12 6"), CronExpression.parse("0 12 * DEC sat"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 0 * * 0", "0 0 * * 7", "0 0 * * SUN", "0 0 * * sun"})
    void sevenAndZeroAreBothSunday(String expression) {
        Instant next = nextUtc(expression, "2026-01-15T00:00:00");
        assertEquals(utc("2026-01-18T00:00:00"), next);
        assertEquals(DayOfWeek.SUNDAY, next.atZone(UTC).getDayOfWeek());
        assertEquals(CronExpression.parse("0 0 * * 0"), CronExpression.parse(expression));
    }

    @Test
    void aRangeEndingInSevenIncludesSunday() {
        assertEquals(List.of(utc("2026-01-16T00:00:00"), utc("2026-01-17T00:00:00"), utc("2026-01-18T00:00:00"),
                utc("2026-01-23T00:00:00")), fires("0 0 * * 5-7", utc("2026-01-15T00:00:00"), UTC, 4));
    }

    @Test
    void whenBothDayFieldsAreRestrictedEitherOneMatches() {
        // 2026-02-01 is a Sunday: it fires as the 1st, then on every Monday.
        assertEquals(List.of(utc("2026-02-01T00:00:00"), utc("2026-02-02T00:00:00"), utc("2026-02-09T00:00:00")),
                fires("0 0 1 * MON", utc("2026-01-30T00:00:00"), UTC, 3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 0 * * MON", "0 0 ? * MON"})
    void aWildcardDayOfMonthLeavesOnlyTheDayOfWeek(String expression) {
        assertEquals(List.of(utc("2026-02-02T00:00:00"), utc("2026-02-09T00:00:00")),
                fires(expression, utc("2026-01-30T00:00:00"), UTC, 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 0 1 * *", "0 0 1 * ?"})
    void aWildcardDayOfWeekLeavesOnlyTheDayOfMonth(String expression) {
        assertEquals(List.of(utc("2026-02-01T00:00:00"), utc("2026-03-01T00:00:00")),
                fires(expression, utc("2026-01-30T00:00:00"), UTC, 2));
    }

    @Test
    void aWrittenOutRangeRestrictsTheDayEvenWhenItCoversEveryDay() {
        // 1-31 is not "*": combined with MON by "either", every day matches, including Saturday the 31st.
        assertEquals(utc("2026-01-31T00:00:00"), nextUtc("0 0 1-31 * MON", "2026-01-30T00:00:00"));
    }

    @Test
    void theThirtyFirstSkipsMonthsThatAreShorter() {
        assertEquals(List.of(utc("2026-03-31T00:00:00"), utc("2026-05-31T00:00:00"), utc("2026-07-31T00:00:00"),
                utc("2026-08-31T00:00:00")), fires("0 0 31 * *", utc("2026-01-31T00:00:00"), UTC, 4));
    }

    @Test
    void februaryTwentyNinthFiresOnlyInLeapYears() {
        assertEquals(List.of(utc("2028-02-29T00:00:00"), utc("2032-02-29T00:00:00")),
                fires("0 0 29 2 *", utc("2026-01-01T00:00:00"), UTC, 2));
    }

    @Test
    void sixFieldsPutSecondsFirst() {
        CronExpression everyTenSeconds = CronExpression.parse("*/10 * * * * *");
        assertTrue(everyTenSeconds.hasSeconds());
        assertEquals(utc("2026-01-15T10:00:10"), everyTenSeconds.next(utc("2026-01-15T10:00:05"), UTC).orElseThrow());
        assertEquals(utc("2026-01-15T09:00:30"), nextUtc("30 0 9 * * *", "2026-01-15T00:00:00"));
        assertEquals(utc("2026-01-15T10:01:00"), nextUtc("0 * * * * *", "2026-01-15T10:00:00"));
    }

    @Test
    void fiveFieldsFireOnSecondZero() {
        CronExpression everyMinute = CronExpression.parse("* * * * *");
        assertFalse(everyMinute.hasSeconds());
        assertEquals(utc("2026-01-15T10:01:00"), everyMinute.next(utc("2026-01-15T10:00:01"), UTC).orElseThrow());
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
        "@yearly   | 0 0 1 1 * | 2026-01-15T00:00:00 | 2027-01-01T00:00:00",
        "@annually | 0 0 1 1 * | 2026-01-15T00:00:00 | 2027-01-01T00:00:00",
        "@monthly  | 0 0 1 * * | 2026-01-15T00:00:00 | 2026-02-01T00:00:00",
        "@weekly   | 0 0 * * 0 | 2026-01-15T00:00:00 | 2026-01-18T00:00:00",
        "@daily    | 0 0 * * * | 2026-01-15T10:00:00 | 2026-01-16T00:00:00",
        "@midnight | 0 0 * * * | 2026-01-15T10:00:00 | 2026-01-16T00:00:00",
        "@hourly   | 0 * * * * | 2026-01-15T10:30:00 | 2026-01-15T11:00:00",
    })
    void macrosAreShorthandsForFiveFieldExpressions(String macro, String expansion, String after, String expected) {
        CronExpression parsed = CronExpression.parse(macro);
        assertEquals(CronExpression.parse(expansion), parsed);
        assertEquals(macro, parsed.toString());
        assertFalse(parsed.hasSeconds());
        assertEquals(utc(expected), parsed.next(utc(after), UTC).orElseThrow());
    }

    @Test
    void nextIsStrictlyAfterAnInstantThatIsItselfAFireTime() {
        assertEquals(utc("2026-01-16T09:00:00"), nextUtc("0 9 * * *", "2026-01-15T09:00:00"));
        assertEquals(utc("2026-01-15T10:00:01"), nextUtc("* * * * * *", "2026-01-15T10:00:00"));
    }

    @Test
    void nextHonoursFractionsOfASecond() {
        Instant justBefore = utc("2026-01-15T09:00:00").minusMillis(1);
        Instant justAfter = utc("2026-01-15T09:00:00").plusMillis(1);
        CronExpression nineOClock = CronExpression.parse("0 9 * * *");
        assertEquals(utc("2026-01-15T09:00:00"), nineOClock.next(justBefore, UTC).orElseThrow());
        assertEquals(utc("2026-01-16T09:00:00"), nineOClock.next(justAfter, UTC).orElseThrow());
    }

    @Test
    void fieldsFollowTheWallClockOfTheGivenZone() {
        CronExpression nineOClock = CronExpression.parse("0 9 * * *");
        Instant winter = utc("2026-01-15T00:00:00");
        Instant summer = utc("2026-07-15T00:00:00");
        assertEquals(utc("2026-01-15T09:00:00"), nineOClock.next(winter, UTC).orElseThrow());
        assertEquals(utc("2026-01-15T08:00:00"), nineOClock.next(winter, PARIS).orElseThrow());
        assertEquals(utc("2026-07-15T07:00:00"), nineOClock.next(summer, PARIS).orElseThrow());
    }

    @Test
    void springForwardSkipsATimeThatDoesNotExistThatDay() {
        // 02:30 does not exist in New York on 2026-03-08: no fire that day, and none moved to 03:30.
        assertEquals(List.of(newYork("2026-03-07T02:30:00"), newYork("2026-03-09T02:30:00")),
                fires("30 2 * * *", newYork("2026-03-07T00:00:00"), NEW_YORK, 2));
    }

    @Test
    void springForwardLetsFrequentSchedulesResumeAfterTheGap() {
        assertEquals(List.of(newYork("2026-03-08T01:30:00"), newYork("2026-03-08T03:00:00")),
                fires("*/30 * * * *", newYork("2026-03-08T01:00:00"), NEW_YORK, 2));
        assertEquals(utc("2026-03-08T07:00:00"), newYork("2026-03-08T03:00:00"));
    }

    @Test
    void fallBackFiresARepeatedTimeOnceAtItsEarlierOffset() {
        // 01:30 happens at 05:30Z (EDT) and again at 06:30Z (EST) on 2026-11-01; only the first fires.
        assertEquals(List.of(utc("2026-11-01T05:30:00"), utc("2026-11-02T06:30:00")),
                fires("30 1 * * *", newYork("2026-10-31T12:00:00"), NEW_YORK, 2));
    }

    @Test
    void fallBackDoesNotRepeatTheSecondPassOfTheHour() {
        assertEquals(List.of(utc("2026-11-01T05:00:00"), utc("2026-11-01T05:30:00"), utc("2026-11-01T07:00:00")),
                fires("0,30 * * * *", utc("2026-11-01T04:30:00"), NEW_YORK, 3));
    }

    @Test
    void fromInsideTheSecondPassTheNextFireIsAfterTheRepeatedHour() {
        Instant tenPastOneStandardTime = utc("2026-11-01T06:10:00");
        assertEquals(utc("2026-11-01T07:00:00"),
                CronExpression.parse("* * * * *").next(tenPastOneStandardTime, NEW_YORK).orElseThrow());
        assertEquals(utc("2026-11-02T06:30:00"),
                CronExpression.parse("30 1 * * *").next(tenPastOneStandardTime, NEW_YORK).orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 0 31 2 ?"})
    void anExpressionThatMatchesNoDateNeverFires(String expression) {
        assertEquals(Optional.empty(), CronExpression.parse(expression).next(utc("2026-01-01T00:00:00"), UTC));
    }

    @Test
    void theSearchGivesUpAfterFiveYears() {
        // 2100 is not a leap year: after 2096-02-29 the next February 29th is in 2104, eight years on.
        assertEquals(Optional.empty(), CronExpression.parse("0 0 29 2 *").next(utc("2096-03-01T00:00:00"), UTC));
    }

    @Test
    void anOutOfRangeValueNamesTheFieldAndTheRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CronExpression.parse("61 * * * *"));
        assertEquals("cron \"61 * * * *\": minute value 61 is out of range 0-59", e.getMessage());
    }

    @Test
    void aWrongNumberOfFieldsSaysWhichFieldsAreExpected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CronExpression.parse("* * *"));
        assertEquals("cron \"* * *\": expected 5 fields (minute hour day-of-month month day-of-week) or 6 "
                + "(with seconds first), got 3", e.getMessage());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "* 24 * * *         | hour value 24 is out of range 0-23",
        "* * 0 * *          | day-of-month value 0 is out of range 1-31",
        "* * 32 * *         | day-of-month value 32 is out of range 1-31",
        "* * * 13 *         | month value 13 is out of range 1-12",
        "* * * * 8          | day-of-week value 8 is out of range 0-7",
        "60 * * * * *       | second value 60 is out of range 0-59",
        "99999999999 * * * * | minute value 99999999999 is out of range 0-59",
        "*/0 * * * *        | minute step 0 is not allowed",
        "* 0-23/x * * *     | hour step \"x\" is not a number",
        "* 5-2 * * *        | hour range 5-2 starts after it ends",
        "* * * * FRI-MON    | day-of-week range FRI-MON starts after it ends",
        "? * * * *          | minute does not accept \"?\"",
        "* * 5? * *         | day-of-month \"5?\" uses \"?\", which must be the whole field",
        "* * * FOO *        | month value \"FOO\" is not a number or a name JAN-DEC",
        "* * * * MON-FUN    | day-of-week value \"FUN\" is not a number or a name SUN-SAT",
        "MON * * * *        | minute value \"MON\" is not a number",
        "1,,2 * * * *       | minute \"1,,2\" has an empty list element",
        "/5 * * * *         | minute \"/5\" is missing a value",
        "* * * * * * *      | expected 5 fields",
        "@every 5m          | @every is not supported",
        "@fortnightly       | unknown macro @fortnightly",
    })
    void rejectsMalformedExpressionsNamingTheFieldAndTheRule(String expression, String expectedMessagePart) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CronExpression.parse(expression));
        assertTrue(e.getMessage().startsWith("cron \"" + expression + "\": "), e.getMessage());
        assertTrue(e.getMessage().contains(expectedMessagePart), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t\n"})
    void rejectsABlankExpression(String expression) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CronExpression.parse(expression));
        assertTrue(e.getMessage().contains("blank"), e.getMessage());
    }

    @Test
    void rejectsNull() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CronExpression.parse(null));
        assertTrue(e.getMessage().contains("null"), e.getMessage());
    }

    @ParameterizedTest(name = "{0} equals {1}")
    @CsvSource(delimiter = '|', value = {
        "*/15 * * * *     | 0,15,30,45 * * * *",
        "0 0 ? * *        | 0 0 * * *",
        "0 0 1-31 * MON   | 0 0 * * *",
        "0 9-17 * * mon   | 0   9,10,11,12,13,14,15,16,17  *  *  1",
        "*/20 * * * * *   | 0,20,40 0-59 0-23 * 1-12 0-7",
    })
    void expressionsWithTheSameScheduleAreEqual(String one, String other) {
        assertEquals(CronExpression.parse(one), CronExpression.parse(other));
        assertEquals(CronExpression.parse(one).hashCode(), CronExpression.parse(other).hashCode());
    }

    @ParameterizedTest(name = "{0} differs from {1}")
    @CsvSource(delimiter = '|', value = {
        "0 0 * * *        | 0 0 0 * * *",
        "0 0 1 * MON      | 0 0 1 * *",
        "*/15 * * * *     | */20 * * * *",
    })
    void expressionsWithDifferentSchedulesOrFieldCountsDiffer(String one, String other) {
        assertNotEquals(CronExpression.parse(one), CronExpression.parse(other));
    }

    @Test
    void toStringReturnsTheExpressionAsWritten() {
        assertEquals("0 12 * jan,Jul mon-FRI", CronExpression.parse("0 12 * jan,Jul mon-FRI").toString());
    }

    private static Instant nextUtc(String expression, String afterUtc) {
        return CronExpression.parse(expression).next(utc(afterUtc), UTC).orElseThrow();
    }

    /** The next {@code count} fire times, each found by feeding the previous one back in. */
    private static List<Instant> fires(String expression, Instant after, ZoneId zone, int count) {
        CronExpression cron = CronExpression.parse(expression);
        List<Instant> fires = new ArrayList<>();
        Instant previous = after;
        for (int i = 0; i < count; i++) {
            previous = cron.next(previous, zone).orElseThrow();
            fires.add(previous);
        }
        return fires;
    }

    private static Instant utc(String localDateTime) {
        return LocalDateTime.parse(localDateTime).toInstant(ZoneOffset.UTC);
    }

    /** A New York wall-clock time; in a fall-back overlap, its earlier occurrence. */
    private static Instant newYork(String localDateTime) {
        return LocalDateTime.parse(localDateTime).atZone(NEW_YORK).toInstant();
    }
}
