package dev.dukequeue.web.rest.dto;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The one reader of the JSON bodies the API accepts. Before JSON-P parses a body, one pass over its text, without
 * recursion (so no nesting can exhaust the stack), refuses what JSON-P would accept or fail on badly: content after
 * the value (a second object, garbage), a key twice in one object (at any depth, payloads included: JSON-P keeps the
 * last one silently), nesting deeper than {@value #MAX_DEPTH} levels (the body's own object is level 1) and numbers
 * longer than {@value #MAX_NUMBER_CHARS} characters (JSON-P fails on huge ones with an exception that is not a
 * {@link JsonException}). Every refusal is a {@link BadRequestException} {@code malformed_json} naming the place
 * ({@code jobs[2].payload.a}) where it can. Thread-safe (no state).
 */
public final class StrictJson {

    /** The deepest nesting of objects and arrays a body may have, the body's object included. */
    public static final int MAX_DEPTH = 64;

    /** The longest number, in characters (sign, digits, point and exponent). */
    public static final int MAX_NUMBER_CHARS = 100;

    private StrictJson() {
    }

    /**
     * @return the body parsed as one JSON object
     * @throws BadRequestException {@code malformed_json} if it is not exactly one valid JSON object within the bounds
     */
    public static JsonObject parseObject(String body) {
        if (body == null || body.isBlank()) {
            throw malformed(null, "the request body must be a JSON object");
        }
        new Scanner(body).run();
        if (body.charAt(skipWhitespace(body, 0)) != '{') {
            throw malformed(null, "the request body must be a JSON object");
        }
        try (JsonReader reader = Jsons.JSON.createReader(new StringReader(body))) {
            return reader.readObject();
        } catch (JsonException e) {
            throw malformed(null, "the request body is not valid JSON: " + e.getMessage());
        }
    }

    private static BadRequestException malformed(String field, String message) {
        return new BadRequestException("malformed_json", field, message);
    }

    private static int skipWhitespace(String s, int i) {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\n' || s.charAt(i) == '\r')) {
            i++;
        }
        return i;
    }

    /** An open object or array: the keys seen so far (objects) and where the scan is inside it. */
    private static final class Frame {
        final boolean object;
        final Set<String> keys;
        String key;
        int index;

        Frame(boolean object) {
            this.object = object;
            this.keys = object ? new HashSet<>() : null;
        }
    }

    /** One pass over the text: a state machine with an explicit stack of open containers. */
    private static final class Scanner {
        private final String s;
        private final List<Frame> stack = new ArrayList<>();
        private int i;

        Scanner(String s) {
            this.s = s;
        }

        void run() {
            i = skipWhitespace(s, 0);
            boolean expectValue = true;
            while (true) {
                if (expectValue) {
                    if (!value()) {
                        continue; // a container was opened: its first member (or its end) comes next
                    }
                    expectValue = false;
                }
                i = skipWhitespace(s, i);
                if (stack.isEmpty()) {
                    if (i != s.length()) {
                        throw malformed(null, "the request body must hold one JSON value only; content follows it at"
                                + " offset " + i);
                    }
                    return;
                }
                Frame top = stack.get(stack.size() - 1);
                char c = at(i);
                if (c == ',') {
                    i = skipWhitespace(s, i + 1);
                    if (top.object) {
                        key(top);
                    } else {
                        top.index++;
                    }
                    expectValue = true;
                } else if (c == (top.object ? '}' : ']')) {
                    i++;
                    stack.remove(stack.size() - 1);
                } else {
                    throw syntax(top.object ? "',' or '}'" : "',' or ']'");
                }
            }
        }

        /** @return true if a whole value was read; false if a container was opened and has members to read */
        private boolean value() {
            char c = at(i);
            switch (c) {
                case '{', '[' -> {
                    if (stack.size() >= MAX_DEPTH) {
                        throw malformed(path(), "the request body nests objects and arrays deeper than " + MAX_DEPTH
                                + " levels at " + path());
                    }
                    Frame frame = new Frame(c == '{');
                    stack.add(frame);
                    i = skipWhitespace(s, i + 1);
                    if (at(i) == (frame.object ? '}' : ']')) {
                        i++;
                        stack.remove(stack.size() - 1);
                        return true;
                    }
                    if (frame.object) {
                        key(frame);
                    }
                    return false;
                }
                case '"' -> string(false);
                case 't' -> literal("true");
                case 'f' -> literal("false");
                case 'n' -> literal("null");
                default -> {
                    if (c == '-' || (c >= '0' && c <= '9')) {
                        number();
                    } else {
                        throw syntax("a JSON value");
                    }
                }
            }
            return true;
        }

        /** Reads {@code "key" :}, refusing a key the object already has. */
        private void key(Frame frame) {
            if (at(i) != '"') {
                throw syntax("a key in double quotes");
            }
            String key = string(true);
            frame.key = key;
            if (!frame.keys.add(key)) {
                throw malformed(path(), "the request body has the key '" + key + "' twice in one object, at " + path());
            }
            i = skipWhitespace(s, i);
            if (at(i) != ':') {
                throw syntax("':'");
            }
            i = skipWhitespace(s, i + 1);
        }

        /** Reads a string from its opening quote; decodes it when it is a key (so "a" and "\u0061" are one key). */
        private String string(boolean decode) {
            StringBuilder text = decode ? new StringBuilder() : null;
            i++;
            while (true) {
                char c = at(i);
                if (c == '"') {
                    i++;
                    return decode ? text.toString() : null;
                }
                if (c < 0x20) {
                    throw syntax("a closing quote (control characters must be escaped)");
                }
                if (c != '\\') {
                    if (decode) {
                        text.append(c);
                    }
                    i++;
                    continue;
                }
                char e = at(i + 1);
                char decoded;
                switch (e) {
                    case '"', '\\', '/' -> decoded = e;
                    case 'b' -> decoded = '\b';
                    case 'f' -> decoded = '\f';
                    case 'n' -> decoded = '\n';
                    case 'r' -> decoded = '\r';
                    case 't' -> decoded = '\t';
                    case 'u' -> {
                        if (i + 6 > s.length()) {
                            throw syntax("four hexadecimal digits");
                        }
                        try {
                            decoded = (char) Integer.parseInt(s.substring(i + 2, i + 6), 16);
                        } catch (NumberFormatException ex) {
                            throw syntax("four hexadecimal digits");
                        }
                        i += 4;
                    }
                    default -> throw syntax("an escape sequence");
                }
                if (decode) {
                    text.append(decoded);
                }
                i += 2;
            }
        }

        /** Reads {@code -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?}, at most {@value #MAX_NUMBER_CHARS} long. */
        private void number() {
            int start = i;
            if (at(i) == '-') {
                i++;
            }
            if (at(i) == '0') {
                i++;
            } else {
                digits(start);
            }
            if (i < s.length() && s.charAt(i) == '.') {
                i++;
                digits(start);
            }
            if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
                i++;
                if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                    i++;
                }
                digits(start);
            }
        }

        private void digits(int start) {
            if (i >= s.length() || s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw syntax("a digit");
            }
            while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                i++;
                if (i - start > MAX_NUMBER_CHARS) {
                    String where = path();
                    throw malformed(where, (where == null ? "a number" : where) + " is a number longer than "
                            + MAX_NUMBER_CHARS + " characters");
                }
            }
        }

        private void literal(String word) {
            if (!s.startsWith(word, i)) {
                throw syntax("a JSON value");
            }
            i += word.length();
        }

        /** @return the character at {@code index}; the end of the body is an error (an unfinished value) */
        private char at(int index) {
            if (index >= s.length()) {
                throw malformed(null, "the request body is not valid JSON: it ends before its value does");
            }
            return s.charAt(index);
        }

        private BadRequestException syntax(String expected) {
            return malformed(null, "the request body is not valid JSON: expected " + expected + " at offset " + i);
        }

        /** @return where the scan is, as the API names fields ({@code jobs[1].payload.a}), or null at the top */
        private String path() {
            StringBuilder p = new StringBuilder();
            for (Frame f : stack) {
                if (f.object) {
                    if (f.key != null) {
                        p.append(p.length() == 0 ? "" : ".").append(f.key);
                    }
                } else {
                    p.append('[').append(f.index).append(']');
                }
            }
            return p.length() == 0 ? null : p.toString();
        }
    }
}
