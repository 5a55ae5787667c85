package dev.dukequeue.engine.schedule;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed cron schedule that answers one question: when does it fire next after a given instant, in a given time
 * zone. Recurring jobs keep their expression as text and ask this class for their next run-at each time they fire.
 *
 * <h2>Syntax</h2>
 * <ul>
 *   <li>Five fields, as in Unix cron: {@code minute hour day-of-month month day-of-week}; they fire on second 0.</li>
 *   <li>Six fields, as in Quartz and Spring but without a year: {@code second minute hour day-of-month month
 *       day-of-week}.</li>
 *   <li>One macro, in any case: {@code @yearly} and {@code @annually} ({@code 0 0 1 1 *}), {@code @monthly}
 *       ({@code 0 0 1 * *}), {@code @weekly} ({@code 0 0 * * 0}), {@code @daily} and {@code @midnight}
 *       ({@code 0 0 * * *}), {@code @hourly} ({@code 0 * * * *}). {@code @every} is not supported: an interval
 *       is not a calendar schedule and belongs in the job's own configuration.</li>
 * </ul>
 * Each field is {@code *}, a number, a range {@code a-b}, a step <code>*&#47;n</code>, {@code a-b/n} or
 * {@code a/n} (from {@code a} to the field's maximum), or a comma-separated list of those. Month names
 * {@code JAN}-{@code DEC} and day names {@code SUN}-{@code SAT} are accepted in any case. Day-of-week 0 and 7 are
 * both Sunday. {@code ?} means the same as {@code *} and is accepted only as the whole day-of-month or day-of-week
 * field, so expressions written for Quartz parse. Ranges: second and minute 0-59, hour 0-23, day-of-month 1-31,
 * month 1-12, day-of-week 0-7. A range whose start is after its end ({@code FRI-MON}) is rejected rather than
 * wrapped, so that it cannot silently mean something else.
 *
 * <h2>Day-of-month and day-of-week</h2>
 * As in Vixie cron (and so in every Linux crontab): when both fields are restricted, a day matches if
 * <em>either</em> matches, so {@code 0 0 1 * MON} fires on the first of the month and on every Monday; when one of
 * them is {@code *} or {@code ?}, only the other one decides. Only a bare {@code *} or {@code ?} counts as
 * unrestricted: unlike Vixie cron, which treats any field starting with {@code *} (such as <code>*&#47;2</code>) as
 * unrestricted, a step or range here is a restriction, which is what the expression says.
 *
 * <h2>Time zones and daylight saving</h2>
 * Fields are matched against the wall clock of the zone passed to {@link #next}, so {@code 0 9 * * *} in
 * {@code Europe/Paris} fires at 09:00 Paris time all year, at 08:00 or 07:00 UTC depending on the season.
 * <ul>
 *   <li><b>Spring forward (gap):</b> a wall-clock time that does not exist that day is skipped for that day, not moved
 *       to the first valid time after the gap. {@code 30 2 * * *} in {@code America/New_York} does not fire on the
 *       day clocks jump from 02:00 to 03:00; it fires again at 02:30 the next day. Moving it would make a daily job
 *       fire at an hour nobody asked for, and a job that fires every few minutes loses nothing it would have done in
 *       an hour that did not happen.</li>
 *   <li><b>Fall back (overlap):</b> a wall-clock time that occurs twice fires once, at its earlier occurrence (the
 *       offset before the transition). {@code 30 1 * * *} fires once on the day clocks go back from 02:00 to 01:00,
 *       so a daily job never runs twice in a day. The rule applies to every time in the repeated hour, so a schedule
 *       such as <code>*&#47;15 * * * *</code> fires four times in the first pass of that hour and not in the
 *       second.</li>
 * </ul>
 *
 * <h2>Equality</h2>
 * Two expressions are equal when they describe the same schedule field by field, compared in one normalized form
 * (names as numbers, 7 as 0, lists sorted, macros expanded, day fields combined as above):
 * <code>*&#47;15 * * * *</code> equals {@code 0,15,30,45 * * * *}, {@code @daily} equals {@code 0 0 * * *} and
 * {@code 0 0 1-31 * MON} equals it too. A five-field and a six-field expression are never equal, even when they
 * fire at the same times, because {@link #hasSeconds()} tells them apart. {@link #toString()} returns the text as
 * it was given.
 *
 * <p>Immutable and thread-safe: every field is a final bitmask or string, so one instance can be shared by all
 * threads that compute run-ats.
 */
public final class CronExpression {

    /**
     * How far {@link #next} looks before it concludes the expression never fires, so that {@code 0 0 30 2 *} does
     * not search forever. Every expression that can fire does so within five years of any instant, except a February
     * 29th one across a century that is not a leap year: after 2096 the next February 29th is in 2104.
     */
    private static final int SEARCH_YEARS = 5;

    private static final Map<String, String> MACROS = Map.of(
            "@yearly", "0 0 1 1 *",
            "@annually", "0 0 1 1 *",
            "@monthly", "0 0 1 * *",
            "@weekly", "0 0 * * 0",
            "@daily", "0 0 * * *",
            "@midnight", "0 0 * * *",
            "@hourly", "0 * * * *");

    private static final String FIELDS_HELP =
            "expected 5 fields (minute hour day-of-month month day-of-week) or 6 (with seconds first)";

    /** One position of the expression: its name for error messages, its range and the names it accepts. */
    private enum Field {
        SECOND("second", 0, 59, 59, List.of(), 0),
        MINUTE("minute", 0, 59, 59, List.of(), 0),
        HOUR("hour", 0, 23, 23, List.of(), 0),
        DAY_OF_MONTH("day-of-month", 1, 31, 31, List.of(), 0),
        MONTH("month", 1, 12, 12,
                List.of("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"), 1),
        /** Parsed on 0-7 so that 7 is accepted, stored on 0-6 with 7 folded onto Sunday. */
        DAY_OF_WEEK("day-of-week", 0, 7, 6, List.of("SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"), 0);

        final String label;
        final int min;
        final int max;
        final int storedMax;
        final List<String> names;
        final int firstNameValue;

        Field(String label, int min, int max, int storedMax, List<String> names, int firstNameValue) {
            this.label = label;
            this.min = min;
            this.max = max;
            this.storedMax = storedMax;
            this.names = names;
            this.firstNameValue = firstNameValue;
        }

        boolean acceptsQuestionMark() {
            return this == DAY_OF_MONTH || this == DAY_OF_WEEK;
        }

        long allValues() {
            return bits(min, storedMax);
        }
    }

    private final String expression;
    private final String normalized;
    private final boolean hasSeconds;
    private final long seconds;
    private final long minutes;
    private final long hours;
    private final long daysOfMonth;
    private final long months;
    private final long daysOfWeek;
    private final boolean daysOfMonthRestricted;
    private final boolean daysOfWeekRestricted;

    private CronExpression(String expression, boolean hasSeconds, long seconds, long minutes, long hours,
            long daysOfMonth, long months, long daysOfWeek, boolean daysOfMonthRestricted,
            boolean daysOfWeekRestricted) {
        this.expression = expression;
        this.hasSeconds = hasSeconds;
        this.seconds = seconds;
        this.minutes = minutes;
        this.hours = hours;
        this.daysOfMonth = daysOfMonth;
        this.months = months;
        this.daysOfWeek = daysOfWeek;
        this.daysOfMonthRestricted = daysOfMonthRestricted;
        this.daysOfWeekRestricted = daysOfWeekRestricted;
        this.normalized = normalize();
    }

    /**
     * Parses a five- or six-field expression or a macro; see the class documentation for the syntax.
     *
     * @param expression the cron text; surrounding whitespace is ignored and fields are separated by any whitespace
     * @return the parsed schedule
     * @throws IllegalArgumentException if the text is null, blank or malformed; the message quotes the expression and
     *                                  names the field and the rule it breaks, so it can be shown to whoever wrote it
     */
    public static CronExpression parse(String expression) {
        if (expression == null) {
            throw new IllegalArgumentException("cron expression must not be null");
        }
        if (expression.isBlank()) {
            throw new IllegalArgumentException(prefix(expression) + "the expression is blank");
        }
        String text = expression.trim();
        if (text.startsWith("@")) {
            text = MACROS.get(text.toLowerCase(Locale.ROOT));
            if (text == null) {
                throw new IllegalArgumentException(prefix(expression) + "unknown macro " + expression.trim()
                        + "; supported are @yearly, @annually, @monthly, @weekly, @daily, @midnight and @hourly"
                        + " (@every is not supported)");
            }
        }
        String[] parts = text.split("\\s+");
        if (parts.length != 5 && parts.length != 6) {
            throw new IllegalArgumentException(prefix(expression) + FIELDS_HELP + ", got " + parts.length);
        }
        boolean hasSeconds = parts.length == 6;
        int i = 0;
        long seconds = hasSeconds ? parseField(expression, Field.SECOND, parts[i++]) : 1L; // five fields: second 0
        long minutes = parseField(expression, Field.MINUTE, parts[i++]);
        long hours = parseField(expression, Field.HOUR, parts[i++]);
        String dayOfMonthText = parts[i++];
        long daysOfMonth = parseField(expression, Field.DAY_OF_MONTH, dayOfMonthText);
        long months = parseField(expression, Field.MONTH, parts[i++]);
        String dayOfWeekText = parts[i];
        long daysOfWeek = parseField(expression, Field.DAY_OF_WEEK, dayOfWeekText);
        return new CronExpression(expression, hasSeconds, seconds, minutes, hours, daysOfMonth, months, daysOfWeek,
                isRestricted(dayOfMonthText), isRestricted(dayOfWeekText));
    }

    /**
     * The first time this schedule fires strictly after {@code after}, with the fields matched against the wall clock
     * of {@code zone}. An instant that is itself a fire time is not returned, so feeding each result back in walks the
     * schedule without repeats. Sub-second parts of {@code after} are honoured: after 08:59:59.5 comes 09:00:00.
     *
     * <p>Non-existent and repeated wall-clock times are handled as the class documentation describes: skipped in a
     * spring-forward gap, fired once at the earlier offset in a fall-back overlap.
     *
     * <p>The search skips whole months, days, hours and minutes that cannot match, so its cost depends on the number
     * of days searched, never on the number of seconds.
     *
     * @param after the instant to search after, typically the previous fire time or now
     * @param zone  the zone whose wall clock the fields describe
     * @return the next fire time, or empty if there is none within five years (such as {@code 0 0 30 2 *})
     * @throws java.time.DateTimeException if {@code after} is so close to the end of time that five years past it
     *                                     cannot be represented
     */
    public Optional<Instant> next(Instant after, ZoneId zone) {
        Objects.requireNonNull(after, "after");
        Objects.requireNonNull(zone, "zone");
        ZoneRules rules = zone.getRules();
        LocalDateTime from = LocalDateTime.ofInstant(after, zone).truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        LocalDateTime limit = from.plusYears(SEARCH_YEARS);
        while (true) {
            LocalDateTime local = nextMatchingWallClockTime(from, limit);
            if (local == null) {
                return Optional.empty();
            }
            List<ZoneOffset> offsets = rules.getValidOffsets(local);
            if (offsets.isEmpty()) {
                // A spring-forward gap: this time does not exist today. Resume at the first time that does.
                from = rules.getTransition(local).getDateTimeAfter();
                continue;
            }
            Instant fire = ZonedDateTime.ofLocal(local, zone, null).withEarlierOffsetAtOverlap().toInstant();
            if (fire.isAfter(after)) {
                return Optional.of(fire);
            }
            // Only in a fall-back overlap when `after` lies in its second pass: every wall-clock time of the
            // overlap has already fired at its earlier offset, so resume where the overlap ends.
            ZoneOffsetTransition overlap = rules.getTransition(local);
            from = overlap != null ? overlap.getDateTimeBefore() : local.plusSeconds(1);
        }
    }

    /** @return true for a six-field expression, whose first field is the second; false for five fields and macros */
    public boolean hasSeconds() {
        return hasSeconds;
    }

    /** @return the expression exactly as it was passed to {@link #parse} */
    @Override
    public String toString() {
        return expression;
    }

    /** Equal when both parse to the same fields; see "Equality" in the class documentation. */
    @Override
    public boolean equals(Object other) {
        return other instanceof CronExpression && normalized.equals(((CronExpression) other).normalized);
    }

    @Override
    public int hashCode() {
        return normalized.hashCode();
    }

    /**
     * The first wall-clock time at or after {@code from} whose fields all match, ignoring time zones, or null if none
     * starts before {@code limit}. Each step moves to the start of the next candidate unit (month, day, hour, minute)
     * as soon as a coarser field rules the current one out.
     */
    private LocalDateTime nextMatchingWallClockTime(LocalDateTime from, LocalDateTime limit) {
        LocalDateTime t = from;
        while (t.isBefore(limit)) {
            LocalDate day = t.toLocalDate();
            if (!has(months, t.getMonthValue())) {
                t = day.withDayOfMonth(1).plusMonths(1).atStartOfDay();
                continue;
            }
            if (!dayMatches(day)) {
                t = day.plusDays(1).atStartOfDay();
                continue;
            }
            int hour = nextValue(hours, t.getHour());
            if (hour < 0) {
                t = day.plusDays(1).atStartOfDay();
                continue;
            }
            if (hour != t.getHour()) {
                t = day.atTime(hour, 0);
            }
            int minute = nextValue(minutes, t.getMinute());
            if (minute < 0) {
                t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
                continue;
            }
            if (minute != t.getMinute()) {
                t = t.withMinute(minute).withSecond(0);
            }
            int second = nextValue(seconds, t.getSecond());
            if (second < 0) {
                t = t.truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
                continue;
            }
            return t.withSecond(second).withNano(0);
        }
        return null;
    }

    /** Vixie cron's rule: either day field may match when both are restricted, otherwise both must. */
    private boolean dayMatches(LocalDate day) {
        boolean dayOfMonth = has(daysOfMonth, day.getDayOfMonth());
        boolean dayOfWeek = has(daysOfWeek, day.getDayOfWeek().getValue() % 7);
        if (daysOfMonthRestricted && daysOfWeekRestricted) {
            return dayOfMonth || dayOfWeek;
        }
        return dayOfMonth && dayOfWeek;
    }

    private static boolean isRestricted(String fieldText) {
        return !fieldText.equals("*") && !fieldText.equals("?");
    }

    private static long parseField(String expression, Field field, String text) {
        if (text.contains("?")) {
            if (!field.acceptsQuestionMark()) {
                throw new IllegalArgumentException(prefix(expression) + field.label
                        + " does not accept \"?\" (only day-of-month and day-of-week do)");
            }
            if (!text.equals("?")) {
                throw new IllegalArgumentException(prefix(expression) + field.label + " \"" + text
                        + "\" uses \"?\", which must be the whole field");
            }
            return field.allValues();
        }
        long mask = 0;
        for (String element : text.split(",", -1)) {
            if (element.isEmpty()) {
                throw new IllegalArgumentException(prefix(expression) + field.label + " \"" + text
                        + "\" has an empty list element");
            }
            mask |= parseElement(expression, field, element);
        }
        if (field == Field.DAY_OF_WEEK && has(mask, 7)) {
            mask = (mask & ~(1L << 7)) | 1L;
        }
        return mask;
    }

    /** One list element: {@code *}, {@code a}, {@code a-b}, each optionally followed by {@code /step}. */
    private static long parseElement(String expression, Field field, String element) {
        String range = element;
        int step = 0;
        int slash = element.indexOf('/');
        if (slash >= 0) {
            range = element.substring(0, slash);
            step = parseStep(expression, field, element.substring(slash + 1));
        }
        int first;
        int last;
        if (range.equals("*")) {
            first = field.min;
            last = field.max;
        } else {
            int dash = range.indexOf('-');
            if (dash >= 0) {
                first = parseValue(expression, field, element, range.substring(0, dash));
                last = parseValue(expression, field, element, range.substring(dash + 1));
                if (first > last) {
                    throw new IllegalArgumentException(prefix(expression) + field.label + " range " + range
                            + " starts after it ends (ranges do not wrap around)");
                }
            } else {
                first = parseValue(expression, field, element, range);
                last = step > 0 ? field.max : first;
            }
        }
        long mask = 0;
        for (long value = first; value <= last; value += Math.max(step, 1)) {
            mask |= 1L << value;
        }
        return mask;
    }

    private static int parseStep(String expression, Field field, String text) {
        if (!isDigits(text)) {
            throw new IllegalArgumentException(prefix(expression) + field.label + " step \"" + text
                    + "\" is not a number");
        }
        // A step beyond the field's span is legal and simply yields the first value; no need to parse it exactly.
        int step = text.length() > 4 ? Integer.MAX_VALUE : Integer.parseInt(text);
        if (step == 0) {
            throw new IllegalArgumentException(prefix(expression) + field.label + " step 0 is not allowed, "
                    + "a step must be at least 1");
        }
        return step;
    }

    private static int parseValue(String expression, Field field, String element, String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException(prefix(expression) + field.label + " \"" + element
                    + "\" is missing a value");
        }
        int named = field.names.indexOf(text.toUpperCase(Locale.ROOT));
        if (named >= 0) {
            return named + field.firstNameValue;
        }
        if (!isDigits(text)) {
            String names = field.names.isEmpty() ? ""
                    : " or a name " + field.names.get(0) + "-" + field.names.get(field.names.size() - 1);
            throw new IllegalArgumentException(prefix(expression) + field.label + " value \"" + text
                    + "\" is not a number" + names);
        }
        int value = text.length() > 4 ? Integer.MAX_VALUE : Integer.parseInt(text);
        if (value < field.min || value > field.max) {
            throw new IllegalArgumentException(prefix(expression) + field.label + " value " + text
                    + " is out of range " + field.min + "-" + field.max);
        }
        return value;
    }

    /** ASCII digits only: {@link Integer#parseInt} would also take a sign and non-Latin digits. */
    private static boolean isDigits(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static String prefix(String expression) {
        return "cron \"" + expression + "\": ";
    }

    private String normalize() {
        long effectiveDaysOfMonth = daysOfMonth;
        long effectiveDaysOfWeek = daysOfWeek;
        if (daysOfMonthRestricted && daysOfWeekRestricted
                && (daysOfMonth == Field.DAY_OF_MONTH.allValues() || daysOfWeek == Field.DAY_OF_WEEK.allValues())) {
            // Either-or with a field that matches every day: every day matches, as with "* *".
            effectiveDaysOfMonth = Field.DAY_OF_MONTH.allValues();
            effectiveDaysOfWeek = Field.DAY_OF_WEEK.allValues();
        }
        StringBuilder text = new StringBuilder();
        if (hasSeconds) {
            text.append(render(seconds, Field.SECOND)).append(' ');
        }
        return text.append(render(minutes, Field.MINUTE)).append(' ')
                .append(render(hours, Field.HOUR)).append(' ')
                .append(render(effectiveDaysOfMonth, Field.DAY_OF_MONTH)).append(' ')
                .append(render(months, Field.MONTH)).append(' ')
                .append(render(effectiveDaysOfWeek, Field.DAY_OF_WEEK))
                .toString();
    }

    /**
     * {@code *} for a field with every value, otherwise ascending values with runs of three or more as ranges. The
     * day fields need no restriction marker: two written-out day fields can only mean "either", and a {@code *} next
     * to a written-out one can only mean "that one alone", whichever way the expression spelled it.
     */
    private static String render(long mask, Field field) {
        if (mask == field.allValues()) {
            return "*";
        }
        StringBuilder text = new StringBuilder();
        int value = nextValue(mask, field.min);
        while (value >= 0) {
            int end = value;
            while (end < field.storedMax && has(mask, end + 1)) {
                end++;
            }
            if (text.length() > 0) {
                text.append(',');
            }
            if (end - value >= 2) {
                text.append(value).append('-').append(end);
            } else {
                text.append(value);
                end = value;
            }
            value = end + 1 > field.storedMax ? -1 : nextValue(mask, end + 1);
        }
        return text.toString();
    }

    private static boolean has(long mask, int value) {
        return (mask & (1L << value)) != 0;
    }

    /** The smallest set value at or above {@code from}, or -1 if there is none. */
    private static int nextValue(long mask, int from) {
        long remaining = mask & (-1L << from);
        return remaining == 0 ? -1 : Long.numberOfTrailingZeros(remaining);
    }

    private static long bits(int first, int last) {
        long mask = 0;
        for (int value = first; value <= last; value++) {
            mask |= 1L << value;
        }
        return mask;
    }
}
