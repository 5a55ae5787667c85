package dev.dukequeue.engine.observe;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * One JSON object per line: {@code time}, {@code level}, {@code logger}, {@code thread}, {@code message}, the job
 * event's fields ({@link JobLog}) and {@code exception} (the stack trace) when there is one. Installed on the root
 * logger's handlers when {@code dukequeue.log.format=json}; the default stays human-readable.
 */
public class JsonLogFormatter extends Formatter {

    @Override
    public String format(LogRecord r) {
        StringBuilder b = new StringBuilder(256).append('{');
        field(b, "time", Instant.ofEpochMilli(r.getMillis()).toString());
        field(b, "level", r.getLevel().getName());
        field(b, "logger", r.getLoggerName());
        field(b, "thread", Thread.currentThread().getName());
        field(b, "message", formatMessage(r));
        Object[] params = r.getParameters();
        if (params != null && params.length == 1 && params[0] instanceof Map<?, ?> fields) {
            for (Map.Entry<?, ?> e : fields.entrySet()) {
                if (e.getValue() instanceof Number n) {
                    b.append(",\"").append(escape(String.valueOf(e.getKey()))).append("\":").append(n);
                } else {
                    field(b, String.valueOf(e.getKey()), String.valueOf(e.getValue()));
                }
            }
        }
        if (r.getThrown() != null) {
            StringWriter trace = new StringWriter();
            r.getThrown().printStackTrace(new PrintWriter(trace));
            field(b, "exception", trace.toString());
        }
        return b.append("}\n").toString();
    }

    @Override
    public String formatMessage(LogRecord r) {
        Object[] params = r.getParameters();
        if (params != null && params.length == 1 && params[0] instanceof Map) {
            return r.getMessage(); // the fields are not message arguments
        }
        return super.formatMessage(r);
    }

    private static void field(StringBuilder b, String name, String value) {
        if (b.length() > 1) {
            b.append(',');
        }
        b.append('"').append(escape(name)).append("\":");
        if (value == null) {
            b.append("null");
        } else {
            b.append('"').append(escape(value)).append('"');
        }
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /** Puts this formatter on every handler of the root logger (the console, and Payara's log file). */
    public static void install() {
        JsonLogFormatter formatter = new JsonLogFormatter();
        for (Handler h : Logger.getLogger("").getHandlers()) {
            h.setFormatter(formatter);
        }
    }
}
