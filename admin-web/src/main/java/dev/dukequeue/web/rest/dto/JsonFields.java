package dev.dukequeue.web.rest.dto;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads typed fields of a request's JSON object, refusing a field of the wrong JSON type with a 400 naming it. A
 * field absent or null is returned as null. Integers are read exactly and range-checked before any narrowing, so
 * that 4294967296 is refused, never stored as 0.
 */
public final class JsonFields {

    private JsonFields() {
    }

    /** @return the string field, or null */
    public static String string(JsonObject json, String field, String prefix) {
        JsonValue v = json.get(field);
        if (v == null || v == JsonValue.NULL) {
            return null;
        }
        if (!(v instanceof JsonString s)) {
            throw invalid(prefix + field, "must be a string");
        }
        return s.getString();
    }

    /** @return the array of strings, empty when absent */
    public static List<String> strings(JsonObject json, String field, String prefix) {
        JsonValue v = json.get(field);
        if (v == null || v == JsonValue.NULL) {
            return List.of();
        }
        if (!(v instanceof JsonArray array)) {
            throw invalid(prefix + field, "must be an array of strings");
        }
        List<String> values = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            if (!(array.get(i) instanceof JsonString s)) {
                throw invalid(prefix + field + "[" + i + "]", "must be a string");
            }
            values.add(s.getString());
        }
        return values;
    }

    /**
     * @return the integer field, or null; a number with a zero fraction or an exponent that keeps it whole (
     *         {@code 2.0}, {@code 1e3}) is an integer
     * @throws BadRequestException if it is not a whole number between {@code min} and {@code max}
     */
    public static Long integer(JsonObject json, String field, String prefix, long min, long max) {
        JsonValue v = json.get(field);
        if (v == null || v == JsonValue.NULL) {
            return null;
        }
        String rule = min == Long.MIN_VALUE && max == Long.MAX_VALUE ? "must be an integer (64 bits)"
                : "must be an integer between " + min + " and " + max;
        if (!(v instanceof JsonNumber n)) {
            throw invalid(prefix + field, rule);
        }
        Long exact = exactLong(n.bigDecimalValue());
        if (exact == null || exact < min || exact > max) {
            throw invalid(prefix + field, rule);
        }
        return exact;
    }

    /** @return the integer field within the int range, or null (see {@link #integer}) */
    public static Integer integer(JsonObject json, String field, String prefix, int min, int max) {
        Long value = integer(json, field, prefix, (long) min, (long) max);
        return value == null ? null : value.intValue(); // within [min, max]: exact
    }

    /**
     * @return the number as a long if it is a whole number within the long range, else null. Never expands the
     *         number: {@code 1e999999999} has 1 digit and is refused from its precision and scale alone.
     */
    static Long exactLong(BigDecimal number) {
        if (number.signum() == 0) {
            return 0L;
        }
        BigDecimal d = number.stripTrailingZeros();
        if (d.scale() > 0 || d.precision() - d.scale() > 19) {
            return null;
        }
        try {
            return d.longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /** @return a 400 {@code invalid_request} whose message starts with the field's name */
    public static BadRequestException invalid(String field, String rule) {
        return new BadRequestException("invalid_request", field, field + " " + rule);
    }
}
