package dev.dukequeue.boot;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The runnable jar's main class: {@code java -jar dukequeue.jar} runs this, which adds DukeQueue's defaults to the
 * command line and hands it to Payara Micro ({@code fish.payara.micro.PayaraMicro}, the jar's original main class).
 * Payara Micro reads no DukeQueue setting itself, so this is where they become its options:
 * <ul>
 *   <li>{@code --port $DUKEQUEUE_PORT} (1..65535; default Payara's 8080), unless the command line names a port;</li>
 *   <li>{@code --rootdir <data dir>/payara-runtime}, unless it names one: Payara Micro unpacks about 100 MB there at
 *       every start. Left to itself it makes a new directory in {@code java.io.tmpdir} per start, which a kill -9 never
 *       deletes; here there is one per node, deleted before each start (a reused root directory would also redeploy
 *       the application stored there by the previous start). One data directory belongs to one node. With it the
 *       JVM's {@code java.io.tmpdir} becomes {@code <runtime dir>/java-tmp}, so that nothing a start leaves is kept;</li>
 *   <li>{@code --disablephonehome}: Payara's phone-home (a periodic call to Payara's servers) stays off;</li>
 *   <li>{@code --logproperties <data dir>/logging-json.properties} with {@code dukequeue.log.format=json}
 *       ({@code DUKEQUEUE_LOG_FORMAT}), unless it names its own: Payara's JSON formatter ({@link JsonLogging}).</li>
 * </ul>
 * The data directory is {@code dukequeue.data.dir} ({@code DUKEQUEUE_DATA_DIR}), default {@code ./data}, as for the
 * engine. Plain JDK code: it runs before any Payara class is loaded and is not part of the web application.
 */
public final class Launcher {

    /** The directory under the data directory that holds Payara Micro's runtime. */
    public static final String RUNTIME_DIR = "payara-runtime";
    /** The JVM's temporary directory while it runs, inside the runtime directory (so deleted at the next start). */
    public static final String JAVA_TMP_DIR = "java-tmp";

    private Launcher() {
    }

    public static void main(String[] args) throws Throwable {
        List<String> command;
        try {
            command = arguments(List.of(args), System.getenv(), System.getProperties());
        } catch (IllegalArgumentException e) {
            System.err.println("dukequeue: " + e.getMessage());
            System.exit(2);
            return;
        }
        int logging = command.indexOf("--logproperties");
        if (logging >= 0 && !hasOption(List.of(args), "--logproperties")) {
            Path file = Path.of(command.get(logging + 1));
            createOwnerOnly(file.getParent());
            JsonLogging.write(file);
        }
        int root = command.indexOf("--rootdir");
        if (root >= 0 && !hasOption(List.of(args), "--rootdir")) {
            Path dir = Path.of(command.get(root + 1));
            createOwnerOnly(dir.getParent());
            deleteTree(dir);
            // Payara also copies the application out of the jar into a temporary file at every start (about 5 MB);
            // the JDK reads java.io.tmpdir when it first makes a temporary file, which nothing has done yet.
            Path tmp = Files.createDirectories(dir.resolve(JAVA_TMP_DIR));
            System.setProperty("java.io.tmpdir", tmp.toString());
        }
        try {
            Class.forName("fish.payara.micro.PayaraMicro").getMethod("main", String[].class)
                    .invoke(null, (Object) command.toArray(String[]::new));
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * @param args        the command line as given
     * @param env         the environment ({@code DUKEQUEUE_PORT}, {@code DUKEQUEUE_DATA_DIR})
     * @param properties  the system properties ({@code dukequeue.data.dir} wins over the environment)
     * @return the command line for Payara Micro: DukeQueue's defaults first, then {@code args} unchanged
     * @throws IllegalArgumentException if {@code DUKEQUEUE_PORT} is not a port number, or the log format is neither
     *                                  text nor json
     */
    public static List<String> arguments(List<String> args, Map<String, String> env, java.util.Properties properties) {
        List<String> out = new ArrayList<>();
        String port = env.get("DUKEQUEUE_PORT");
        if (port != null && !port.isBlank() && !hasOption(args, "--port")) {
            out.add("--port");
            out.add(Integer.toString(port(port.trim())));
        }
        String data = properties.getProperty("dukequeue.data.dir");
        if (data == null || data.isBlank()) {
            data = env.getOrDefault("DUKEQUEUE_DATA_DIR", "");
        }
        Path dir = Path.of(data.isBlank() ? "data" : data).toAbsolutePath().normalize();
        if (!hasOption(args, "--rootdir")) {
            out.add("--rootdir");
            out.add(dir.resolve(RUNTIME_DIR).toString());
        }
        if (JsonLogging.wanted(env, properties) && !hasOption(args, "--logproperties")) {
            out.add("--logproperties");
            out.add(dir.resolve(JsonLogging.FILE).toString());
        }
        if (!hasOption(args, "--disablephonehome")) {
            out.add("--disablephonehome");
        }
        out.addAll(args);
        return out;
    }

    private static int port(String value) {
        try {
            int port = Integer.parseInt(value);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("DUKEQUEUE_PORT must be a port number from 1 to 65535, got '" + value + "'");
    }

    /**
     * Creates the data directory, if it does not exist, readable by its owner only: it holds the embedded database
     * with every payload (H2 makes its files 0644 under the usual umask) and the admin password. The engine's
     * {@code DataDirectory} also restricts one that exists, once the application runs.
     */
    static void createOwnerOnly(Path dataDir) throws IOException {
        if (Files.isDirectory(dataDir)) {
            return;
        }
        try {
            Files.createDirectories(dataDir,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (UnsupportedOperationException notPosix) {
            Files.createDirectories(dataDir);
        }
    }

    /** Payara Micro's options are case-insensitive ({@code --rootDir}, {@code --rootdir}). */
    private static boolean hasOption(List<String> args, String option) {
        return args.stream().anyMatch(a -> a.toLowerCase(Locale.ROOT).equals(option));
    }

    private static void deleteTree(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the previous Payara runtime " + root, e);
        }
    }
}
