package dev.dukequeue.it.process;

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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import dev.dukequeue.it.Deployments;
import java.util.concurrent.TimeUnit;

/**
 * One DukeQueue node as a real process: {@code java -jar dukequeue.jar}, started, killed (SIGKILL), stopped
 * (SIGTERM) and restarted by a test. Each start writes its own log file in the node's work directory.
 */
final class ServerProcess implements AutoCloseable {

    static final String PASSWORD = Deployments.ADMIN_PASSWORD;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String name;
    private final Map<String, String> settings;
    private final Path workDir;
    private final int port;
    private final List<Path> logs = new ArrayList<>();
    private Process process;
    private boolean journal;
    private final List<Path> journals = new ArrayList<>();
    private final List<Long> exits = new ArrayList<>();
    private Duration graceForShutdown = Duration.ofSeconds(5);
    private List<String> prefix = List.of();

    private ServerProcess(String name, Map<String, String> settings, Path workDir) {
        this.name = name;
        this.settings = settings;
        this.workDir = workDir;
        this.port = RestartablePostgres.freePort();
    }

    /**
     * A node with the integration tests' short timings, on the given database; leases are a little longer than in
     * the in-container tests because a PostgreSQL restart must fit inside one.
     */
    static ServerProcess node(String name, String jdbcUrl, Path workDir) {
        Map<String, String> s = Deployments.fastEngine(name);
        s.put("dukequeue.db.url", jdbcUrl);
        s.put("dukequeue.data.dir", workDir.resolve("data").toString());
        s.put("dukequeue.workers", "8");
        s.put("dukequeue.lease.duration.ms", "5000");
        s.put("dukequeue.heartbeat.interval.ms", "1000");
        s.put("dukequeue.rescuer.interval.ms", "1000");
        s.put("dukequeue.retry.backoff.base.ms", "100");
        s.put("dukequeue.retry.backoff.max.ms", "1000");
        s.put("dukequeue.shutdown.drain.ms", "3000");
        s.put("dukequeue.startup.retry.max.ms", "2000");
        s.put("dukequeue.retention.enabled", "false"); // the tests count every job in the database
        s.put("dukequeue.reindex.enabled", "false");
        return new ServerProcess(name, s, workDir);
    }

    /**
     * A node with the engine's default timings (30 s leases, 500 ms idle poll), for benchmarks: only the database, the
     * data directory, the name, the demo handlers and {@code workers} are set.
     */
    static ServerProcess withDefaults(String name, String jdbcUrl, Path workDir, int workers) {
        Map<String, String> s = new java.util.LinkedHashMap<>();
        s.put("dukequeue.node.name", name);
        s.put("dukequeue.admin.password", PASSWORD);
        s.put("dukequeue.demo.enabled", "true");
        s.put("dukequeue.db.url", jdbcUrl);
        s.put("dukequeue.data.dir", workDir.resolve("data").toString());
        s.put("dukequeue.workers", Integer.toString(workers));
        s.put("dukequeue.retention.enabled", "false");
        s.put("dukequeue.reindex.enabled", "false");
        return new ServerProcess(name, s, workDir);
    }

    /**
     * Runs the JVM with its clocks shifted by {@code offset} (libfaketime). The monotonic clock moves by the same
     * constant, which changes no duration; leaving it unshifted makes timed waits inside the JVM stall.
     */
    ServerProcess withClockOffset(String offset) {
        prefix = List.of("faketime", "-f", offset);
        return this;
    }

    /**
     * Gives every start of this node a journal of its own ({@code <name>-<start>.journal} in its work directory) in
     * which {@code demo.work} records each execution: see {@link Journal}.
     */
    ServerProcess withJournal() {
        journal = true;
        return this;
    }

    /**
     * @return every start's journal with the start's lease owner and the time (nanoseconds since the epoch) by which
     * its process had exited, {@code Long.MAX_VALUE} while it runs
     */
    List<Journal.Process> journals() {
        List<Journal.Process> all = new ArrayList<>();
        for (int i = 0; i < journals.size(); i++) {
            all.add(new Journal.Process(journals.get(i), ownerIn(logs.get(i)), i < exits.size() ? exits.get(i) : Long.MAX_VALUE));
        }
        return all;
    }

    /** @return the lease owner ({@code name#incarnation}) of the latest start, from its log */
    String owner() {
        String owner = ownerIn(logs.get(logs.size() - 1));
        if (owner == null) {
            throw new IllegalStateException("node " + name + " has not logged its owner yet");
        }
        return owner;
    }

    private static String ownerIn(Path log) {
        try {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("dispatcher on node (\\S+) started")
                    .matcher(Files.readString(log, StandardCharsets.UTF_8));
            return m.find() ? m.group(1) : null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    ServerProcess with(String key, String value) {
        settings.put(key, value);
        return this;
    }

    ServerProcess start() {
        Path jar = Path.of(System.getProperty("dukequeue.jar", "../admin-web/target/dukequeue.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("the runnable jar is missing: " + jar + " (build admin-web first)");
        }
        try {
            Files.createDirectories(workDir);
            Path log = workDir.resolve(name + "-" + (logs.size() + 1) + ".log");
            logs.add(log);
            List<String> cmd = new ArrayList<>(prefix);
            // This node's own temporary directory: what an earlier (killed) start of it left there goes first.
            WorkFiles.deleteTree(tmpDir());
            cmd.addAll(TestJvm.command(tmpDir()));
            Files.createDirectories(tmpDir());
            String extra = System.getProperty("dukequeue.node.jvm", "").replace("{name}", name);
            if (!extra.isBlank()) {
                cmd.addAll(List.of(extra.trim().split("\\s+"))); // e.g. a profiler for the benchmark
            }
            settings.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
            if (journal) {
                Path file = workDir.resolve(name + "-" + logs.size() + ".journal");
                journals.add(file);
                cmd.add("-Ddukequeue.demo.journal=" + file.toAbsolutePath());
            }
            cmd.addAll(List.of("-jar", jar.toString(), "--port", Integer.toString(port), "--nocluster",
                    "--shutdowngrace", Long.toString(graceForShutdown.toMillis())));
            ProcessBuilder builder = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            process = builder.start();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start node " + name, e);
        }
    }

    /** Payara Micro unpacks its runtime here (about 100 MB a start); nodes sharing a work directory each have one. */
    private Path tmpDir() {
        return workDir.resolve("tmp").resolve(name);
    }

    /** Waits until {@code /health/ready} answers 200; fails at once (with the log) if the process died. */
    ServerProcess awaitReady(Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("node " + name + " exited with " + process.exitValue() + ":\n" + logTail());
            }
            try {
                return health("ready").statusCode() == 200;
            } catch (UncheckedIOException notListeningYet) {
                return false;
            }
        });
        return this;
    }

    /** @return the value of the first /metrics sample named {@code name} whose line contains every label, or 0 */
    double metric(String name, String... labels) {
        HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).GET());
        return dev.dukequeue.it.PrometheusText.value(r.body(), name, labels);
    }

    /** @return the whole /metrics answer (to tell a series that is absent from one at 0) */
    String metricsText() {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/metrics")).GET()).body();
    }

    HttpResponse<String> health(String which) {
        return send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health/" + which)).GET());
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    /** The JVM itself: a wrapper such as faketime forks it rather than replacing itself with it. */
    private ProcessHandle jvm() {
        return process.descendants().filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false))
                .findFirst().orElse(process.toHandle());
    }

    /** SIGKILL: the process dies at once, mid-whatever, like a power loss or an OOM kill. */
    void kill9() {
        jvm().destroyForcibly();
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        waitExit(Duration.ofSeconds(30));
    }

    /** SIGTERM, then waits for the exit. @return how long the node took to exit */
    Duration terminate() {
        long start = System.nanoTime();
        ProcessHandle jvm = jvm();
        jvm.destroy();
        try {
            jvm.onExit().get(90, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("node " + name + " did not exit within 90 s of SIGTERM", e);
        }
        waitExit(Duration.ofSeconds(30));
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Waits for the process to exit on its own. @return its exit code */
    int waitExit(Duration atMost) {
        try {
            if (!process.waitFor(atMost.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("node " + name + " did not exit within " + atMost);
            }
            while (exits.size() < logs.size()) {
                java.time.Instant now = java.time.Instant.now();
                exits.add(now.getEpochSecond() * 1_000_000_000L + now.getNano());
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> put(String path, String json) {
        return send(api(path).PUT(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .header("Content-Type", "application/json"));
    }

    HttpResponse<String> post(String path, String json) {
        return send(api(path).POST(HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8))
                .header("Content-Type", "application/json"));
    }

    HttpResponse<String> get(String path) {
        return send(api(path).GET());
    }

    private HttpRequest.Builder api(String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/dukequeue/api/v1" + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Basic " + Base64.getEncoder()
                        .encodeToString(("admin:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return the log of the latest start */
    String log() {
        try {
            return Files.readString(logs.get(logs.size() - 1), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return every start's log, in order */
    String allLogs() {
        StringBuilder b = new StringBuilder();
        for (Path p : logs) {
            try {
                b.append(Files.readString(p, StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return b.toString();
    }

    private String logTail() {
        String log = log();
        return log.substring(Math.max(0, log.length() - 4000));
    }

    int starts() {
        return logs.size();
    }

    @Override
    public void close() {
        if (alive()) {
            kill9();
        }
        WorkFiles.deleteTree(tmpDir());
        // The runnable jar keeps Payara's runtime (about 110 MB) in <data dir>/payara-runtime: the jar's launcher.
        WorkFiles.deleteTree(workDir.resolve("data").resolve("payara-runtime"));
    }
}
