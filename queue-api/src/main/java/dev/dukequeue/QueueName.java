package dev.dukequeue;

import java.util.regex.Pattern;

/**
 * The one rule for queue names, used by every part of the API that takes one (job requests, re-drive filters, pause,
 * resume and limits, the REST API's paths, filters and purge requests): 1..{@value #MAX_LENGTH} characters of letters,
 * digits and {@code . _ -}, and not only dots. A name of dots only ({@code .}, {@code ..}) would be a path segment
 * that URLs collapse into another path, so the admin UI and the REST API could never address its queue.
 */
public final class QueueName {

    /** The longest queue name. */
    public static final int MAX_LENGTH = 64;

    /** The rule, as a sentence fragment after the field's name. */
    public static final String RULE = "must be 1..64 characters of letters, digits and . _ -, and not only dots";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_LENGTH + "}");
    private static final Pattern DOTS = Pattern.compile("\\.+");

    private QueueName() {
    }

    /** @return true if {@code name} is a valid queue name (false for null) */
    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches() && !DOTS.matcher(name).matches();
    }

    /**
     * @param field the field that holds the name, for the exception
     * @param name  the name to check
     * @return the name
     * @throws InvalidJobRequestException naming {@code field} if the name breaks the rule (null included)
     */
    public static String require(String field, String name) {
        if (!isValid(name)) {
            throw new InvalidJobRequestException(field, RULE);
        }
        return name;
    }
}
