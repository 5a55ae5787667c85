package dev.dukequeue.engine.observe;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Job event log lines with their fields attached: the human-readable message stays as it was, and
 * {@link JsonLogFormatter} (with {@code dukequeue.log.format=json}) writes the fields as JSON members, so every job
 * event line carries {@code jobId}, {@code type}, {@code queue}, {@code node}, {@code transition} and {@code attempt}.
 */
public final class JobLog {

    private JobLog() {
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
