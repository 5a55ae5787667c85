package dev.dukequeue.engine.observe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Job event log lines with their fields attached (a {@code Map} as the record's only parameter): the human-readable
 * message stays as it was, and Payara's JSON formatter ({@value #PAYARA_JSON_FORMATTER}) writes each entry as a member
 * of its own, so every job event line carries {@code jobId}, {@code type}, {@code queue}, {@code node},
 * {@code transition} and {@code attempt}. The engine never sets a formatter: the log format is the server's (the
 * runnable jar's launcher configures Payara's JSON formatter with {@code dukequeue.log.format=json}).
 */
public final class JobLog {

    /** The platform's JSON formatter, which writes a record's Map parameter as members. */
    public static final String PAYARA_JSON_FORMATTER = "fish.payara.enterprise.server.logging.JSONLogFormatter";

    private JobLog() {
    }

    /**
     * With {@code dukequeue.log.format=json}: warns, once at start-up, when no handler of the root logger writes JSON
     * (a WAR or EAR on a server whose log format is its own: the engine does not change the server's logging, which
     * would reformat every application's lines).
     */
    public static void checkJsonFormatter() {
        for (java.util.logging.Handler h : Logger.getLogger("").getHandlers()) {
            java.util.logging.Formatter f = h.getFormatter();
            if (f != null && f.getClass().getName().toLowerCase(java.util.Locale.ROOT).contains("json")) {
                return;
            }
        }
        Logger.getLogger(JobLog.class.getName()).warning(() -> "dukequeue.log.format=json, but the server's log"
                + " handlers do not write JSON: the log format is the server's. Payara Server: asadmin"
                + " set-log-file-format " + PAYARA_JSON_FORMATTER + " (and set-log-attributes"
                + " java.util.logging.ConsoleHandler.formatter=" + PAYARA_JSON_FORMATTER + "); Payara Micro:"
                + " --logproperties with that formatter (the runnable jar does it itself)");
    }

    /** The fields of one job event; null values are left out. */
    public static Map<String, Object> fields(Object jobId, String type, String queue, String node, String transition,
            Integer attempt) {
        Map<String, Object> f = new LinkedHashMap<>();
        put(f, "jobId", jobId == null ? null : jobId.toString());
        put(f, "type", type);
        put(f, "queue", queue);
        put(f, "node", node);
        put(f, "transition", transition);
        put(f, "attempt", attempt);
        return f;
    }

    private static void put(Map<String, Object> f, String key, Object value) {
        if (value != null) {
            f.put(key, value);
        }
    }

    /** Logs a job event with its fields (as the record's only parameter), the message built only if it is logged. */
    public static void log(Logger logger, Level level, Map<String, Object> fields, Supplier<String> message,
            Throwable thrown) {
        if (!logger.isLoggable(level)) {
            return;
        }
        LogRecord r = new LogRecord(level, message.get());
        r.setLoggerName(logger.getName());
        r.setParameters(new Object[] {fields});
        r.setThrown(thrown);
        logger.log(r);
    }
}
