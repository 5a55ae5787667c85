package dev.dukequeue.boot;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * {@code dukequeue.log.format=json} for the runnable jar: Payara Micro's own logging configuration (its
 * {@code MICRO-INF/domain/logging.properties}) with Payara's JSON formatter on the console instead of its ODL text
 * formatter, written to the data directory and given to Payara Micro with {@code --logproperties}. Every line, the
 * server's and every application's, is then one JSON object written by the platform, with the fields of DukeQueue's
 * job events ({@code JobLog}) as members of their own. Nothing in the application touches the log handlers.
 */
final class JsonLogging {

    /** Payara's formatter (its {@code logging.jar}). */
    static final String FORMATTER = "fish.payara.enterprise.server.logging.JSONLogFormatter";
    /** Written at every start in the data directory. */
    static final String FILE = "logging-json.properties";

    private static final String DEFAULTS = "MICRO-INF/domain/logging.properties";

    private JsonLogging() {
    }

    /**
     * @return true for {@code json}, false for {@code text} or nothing; the system property wins over the environment
     * @throws IllegalArgumentException for any other value
     */
    static boolean wanted(Map<String, String> env, Properties properties) {
        String format = properties.getProperty("dukequeue.log.format");
        if (format == null || format.isBlank()) {
            format = env.getOrDefault("DUKEQUEUE_LOG_FORMAT", "");
        }
        format = format.trim().toLowerCase(Locale.ROOT);
        if (format.isEmpty() || format.equals("text")) {
            return false;
        }
        if (format.equals("json")) {
            return true;
        }
        throw new IllegalArgumentException("dukequeue.log.format (DUKEQUEUE_LOG_FORMAT) must be text or json, got '"
                + format + "'");
    }

    /** Writes the configuration: Payara Micro's own, with the JSON formatter on the console. */
    static void write(Path file) throws IOException {
        String text;
        try (InputStream in = JsonLogging.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
            text = in == null ? "handlers=java.util.logging.ConsoleHandler\n.level=INFO\n"
                    : new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
        Files.writeString(file, withJsonFormatter(text), StandardCharsets.ISO_8859_1);
    }

    /** @return the logging configuration with every handler's formatter replaced by {@link #FORMATTER} */
    static String withJsonFormatter(String properties) {
        StringBuilder out = new StringBuilder();
        boolean console = false;
        for (String line : properties.split("\n", -1)) {
            String key = line.contains("=") ? line.substring(0, line.indexOf('=')).trim() : "";
            if (key.endsWith(".formatter") && !line.stripLeading().startsWith("#")) {
                console |= key.equals("java.util.logging.ConsoleHandler.formatter");
                out.append(key).append('=').append(FORMATTER).append('\n');
            } else if (!line.isEmpty() || out.length() > 0) {
                out.append(line).append('\n');
            }
        }
        if (!console) {
            out.append("java.util.logging.ConsoleHandler.formatter=").append(FORMATTER).append('\n');
        }
        return out.toString();
    }
}
