package dev.dukequeue.it.connector;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import dev.dukequeue.it.process.RestartablePostgres;
import dev.dukequeue.it.process.TestJvm;
import dev.dukequeue.it.process.WorkFiles;
import org.awaitility.core.ConditionTimeoutException;

/**
 * One Payara Micro process ({@code java -jar payara-micro.jar}) with DukeQueue's resource adapter and the given
 * applications, its JDBC resource {@code jdbc/dukequeue} created by a post-boot command file on an embedded
 * PostgreSQL, its driver added with {@code --addLibs}. Its output goes to {@code server.log} in its work directory.
 */
final class ConnectorServer implements AutoCloseable {

    /** The bound on every request: a call that hangs fails its test with an HttpTimeoutException instead. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Path dir;
    private final int port = RestartablePostgres.freePort();
    private final Path log;
    /** Answers 200 once the adapter and the application behind it are ready. */
    private final String readyPath;
    private Process process;

    private ConnectorServer(Path dir, String readyPath) {
        this.dir = dir;
        this.log = dir.resolve("server.log");
        this.readyPath = readyPath;
    }

    /**
     * Starts Payara Micro in {@code dir} (not yet ready: see {@link #awaitReady}).
     *
     * @param databasePort the embedded PostgreSQL's port (database and user {@code postgres}, trusting local connections)
     * @param settings     system properties of the server JVM (DukeQueue's MicroProfile Config keys)
     * @param deployments  deployed after {@code dukequeue.rar}, in this order
     */
    static ConnectorServer start(Path dir, int databasePort, Map<String, String> settings, List<Path> deployments) {
        return start(dir, databasePort, "/app-a/ready", settings, deployments);
    }

    /** As {@link #start(Path, int, Map, List)}, ready once {@code readyPath} answers 200. */
    static ConnectorServer start(Path dir, int databasePort, String readyPath, Map<String, String> settings,
            List<Path> deployments) {
        return new ConnectorServer(dir, readyPath).launch(pool("dukequeue-pool", "jdbc/dukequeue", false,
                "", localPostgres(databasePort, "postgres")), settings, deployments);
    }

    /**
     * Starts Payara Micro with two XA pools on the local PostgreSQL: DukeQueue's {@code jdbc/dukequeue} on database
     * {@code postgres}, and {@code jdbc/appdb} on {@code appDatabase} (PostgreSQL needs {@code max_prepared_transactions
     * > 0} for the prepared phase).
     */
    static ConnectorServer startXa(Path dir, int databasePort, String appDatabase, String readyPath,
            Map<String, String> settings, List<Path> deployments) {
        List<String> commands = new ArrayList<>(pool("dukequeue-pool", "jdbc/dukequeue", true, "",
                localPostgres(databasePort, "postgres")));
        commands.addAll(pool("appdb-pool", "jdbc/appdb", true, "", localPostgres(databasePort, appDatabase)));
        return new ConnectorServer(dir, readyPath).launch(commands, settings, deployments);
    }

    private static String localPostgres(int port, String database) {
        return "user=postgres:password=postgres:serverName=localhost:portNumber=" + port + ":databaseName=" + database;
    }

    /**
     * The post-boot commands of one validating pool and its JDBC resource. Payara's pool refuses a user without a
     * password ("No password credential found"); the embedded PostgreSQL trusts local connections, so any password
     * does. The pool validates its connections and drops them all once one is found dead (as docs/connector.md says
     * to): without it, after a database restart the pool keeps handing out closed connections and the node never heals.
     */
    private static List<String> pool(String pool, String resource, boolean xa, String options, String properties) {
        String source = xa ? "org.postgresql.xa.PGXADataSource --restype javax.sql.XADataSource"
                : "org.postgresql.ds.PGSimpleDataSource --restype javax.sql.DataSource";
        return List.of("create-jdbc-connection-pool --datasourceclassname " + source + " --isconnectvalidatereq=true"
                        + " --validationmethod=meta-data --failconnection=true" + options + " --property " + properties
                        + " " + pool,
                "create-jdbc-resource --connectionpoolid " + pool + " " + resource);
    }

    /**
     * Starts Payara Micro in {@code dir} on the PostgreSQL that {@code jdbcUrl} names
     * ({@code jdbc:postgresql://host[:port]/database[?user=..&password=..]}; values without {@code :} or {@code =}),
     * with a pool of at most {@code maxPoolSize} connections (not yet ready: see {@link #awaitReady}).
     *
     * @param readyPath answers 200 once the adapter and the application behind it are ready
     */
    static ConnectorServer start(Path dir, String jdbcUrl, int maxPoolSize, String readyPath, Map<String, String> settings,
            List<Path> deployments) {
        URI uri = URI.create(jdbcUrl.substring("jdbc:".length()));
        Map<String, String> query = new java.util.HashMap<>();
        if (uri.getQuery() != null) {
            for (String pair : uri.getQuery().split("&")) {
                int eq = pair.indexOf('=');
                query.put(pair.substring(0, eq), pair.substring(eq + 1));
            }
        }
        String pool = "user=" + query.getOrDefault("user", "postgres") + ":password="
                + query.getOrDefault("password", "postgres") + ":serverName=" + uri.getHost() + ":portNumber="
                + (uri.getPort() > 0 ? uri.getPort() : 5432) + ":databaseName=" + uri.getPath().substring(1);
        return new ConnectorServer(dir, readyPath).launch(pool("dukequeue-pool", "jdbc/dukequeue", false,
                " --maxpoolsize " + maxPoolSize, pool), settings, deployments);
    }

    private ConnectorServer launch(List<String> postBootCommands, Map<String, String> settings,
            List<Path> deployments) {
        Path micro = existing(System.getProperty("payara.microJar", "target/payara-micro.jar"), "Payara Micro");
        Path rar = existing(System.getProperty("dukequeue.rar", "target/dukequeue.rar"), "the resource adapter");
        Path driver = existing(System.getProperty("dukequeue.postgresql.jar", "target/postgresql.jar"),
                "the PostgreSQL JDBC driver");
        try {
            Path commands = Files.writeString(dir.resolve("post-boot.asadmin"),
                    String.join("\n", postBootCommands) + "\n");
            Files.createDirectories(tmpDir());
            List<String> cmd = TestJvm.command(tmpDir());
            settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            cmd.addAll(List.of("-jar", micro.toString(), "--nocluster", "--port", Integer.toString(port),
                    "--addLibs", driver.toString(), "--postbootcommandfile", commands.toString(),
                    "--rootDir", rootDir().toString(), "--deploy", rar.toString()));
            deployments.forEach(d -> cmd.addAll(List.of("--deploy", d.toString())));
            Files.writeString(dir.resolve("command.txt"), String.join(" ", cmd) + "\n");
            process = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start Payara Micro in " + dir, e);
        }
    }

    /** @return the file the build made, as an absolute path; fails naming what is missing */
    static Path existing(String file, String what) {
        Path p = Path.of(file).toAbsolutePath();
        if (!Files.isRegularFile(p)) {
            throw new IllegalStateException(what + " is missing: " + p + " (run the build through pre-integration-test)");
        }
        return p;
    }

    private Path tmpDir() {
        return dir.resolve("tmp");
    }

    private Path rootDir() {
        return dir.resolve("root");
    }

    /**
     * Waits until {@code GET /app-a/ready} (or the ready path given at the start) answers 200: the adapter is deployed,
     * its engine runs on its database, and app-a is deployed. Fails at once if the process died, and with the log's
     * tail if the time runs out.
     */
    void awaitReady(Duration atMost) {
        AtomicReference<String> last = new AtomicReference<>("no answer yet");
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(500)).until(() -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException("Payara Micro exited with " + process.exitValue() + ":\n" + logTail());
                }
                try {
                    HttpResponse<String> r = get(readyPath);
                    last.set(r.statusCode() + " " + r.body());
                    return r.statusCode() == 200;
                } catch (UncheckedIOException notListeningYet) {
                    last.set(notListeningYet.getCause().toString());
                    return false;
                }
            });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(readyPath + " did not answer 200 within " + atMost + "; last answer: " + last.get()
                    + "\nlog " + log + ", its tail:\n" + logTail(), e);
        }
    }

    /**
     * {@code GET} on this server, bounded by {@link #REQUEST_TIMEOUT}.
     *
     * @throws UncheckedIOException if no answer came (refused, reset, or timed out)
     */
    HttpResponse<String> get(String pathAndQuery) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
                    .timeout(REQUEST_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A POST without a body (the query carries the parameters), bounded by {@link #REQUEST_TIMEOUT}. */
    HttpResponse<String> post(String pathAndQuery) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + pathAndQuery))
                    .timeout(REQUEST_TIMEOUT).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Sends SIGTERM, as a supervisor or {@code docker stop} does, and waits for the process to end.
     *
     * @return how long it took to exit
     * @throws AssertionError if it had not exited after {@code atMost}
     */
    Duration terminate(Duration atMost) {
        long begin = System.nanoTime();
        process.destroy(); // SIGTERM: Payara's shutdown hook stops the applications, then the adapter
        try {
            if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new AssertionError("Payara Micro had not exited " + atMost + " after SIGTERM; log " + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return Duration.ofNanos(System.nanoTime() - begin);
    }

    Path log() {
        return log;
    }

    /** @return the HTTP port */
    int port() {
        return port;
    }

    /** @return the last 8,000 characters of the server's output */
    String logTail() {
        try {
            String text = Files.readString(log, StandardCharsets.UTF_8);
            return text.substring(Math.max(0, text.length() - 8000));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** Kills the process (SIGKILL) and deletes what Payara unpacked; the log stays. */
    @Override
    public void close() {
        if (process != null) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        WorkFiles.deleteTree(tmpDir());
        WorkFiles.deleteTree(rootDir());
    }
}
