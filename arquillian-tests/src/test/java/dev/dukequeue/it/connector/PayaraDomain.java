package dev.dukequeue.it.connector;

import dev.dukequeue.it.process.WorkFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A Payara Server domain of its own ({@value #NAME}), driven only through the distribution's {@code asadmin}: created
 * in a directory of the test's ({@code --domaindir}) on a free port base, so that it never touches {@code domain1}
 * (EarOnPayaraServerIT's), started, administered, stopped and deleted. Every asadmin command and its answer are
 * appended to {@code asadmin.txt} next to the domain directory.
 */
final class PayaraDomain implements AutoCloseable {

    private static final java.net.http.HttpClient HTTP = java.net.http.HttpClient.newBuilder()
            .connectTimeout(java.time.Duration.ofSeconds(5)).build();

    static final String NAME = "dq-rar";
    /** The bound on one asadmin command; start-domain and deployments take seconds. */
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(3);
    /** Offsets from the port base (create-domain --portbase) of the listeners used here. */
    private static final int ADMIN_OFFSET = 48;
    private static final int HTTP_OFFSET = 80;

    private final Path asadmin;
    private final Path domainDir;
    private final Path transcript;
    private final int portBase;
    private int commands;

    private PayaraDomain(Path asadmin, Path domainDir, int portBase) {
        this.asadmin = asadmin;
        this.domainDir = domainDir;
        this.transcript = domainDir.resolveSibling("asadmin.txt");
        this.portBase = portBase;
    }

    /**
     * Creates the domain ({@code create-domain --nopassword --portbase}) in {@code domainDir}, not started.
     *
     * @param payaraHome the unpacked distribution ({@code payara6})
     */
    static PayaraDomain create(Path payaraHome, Path domainDir) {
        Path asadmin = payaraHome.resolve("bin").resolve("asadmin");
        if (!Files.isExecutable(asadmin)) {
            throw new IllegalStateException("Payara Server is missing: " + asadmin
                    + " (the build unpacks it in pre-integration-test, execution unpack-payara-server)");
        }
        try {
            Files.createDirectories(domainDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PayaraDomain domain = new PayaraDomain(asadmin, domainDir, freePortBase());
        domain.local("create-domain", "--nopassword", "--portbase", Integer.toString(domain.portBase),
                "--domaindir", domainDir.toString(), NAME);
        return domain;
    }

    /** A port base whose hundred ports are all free now (the domain's listeners sit at fixed offsets from it). */
    private static int freePortBase() {
        for (int tries = 0; tries < 50; tries++) {
            int base = 100 * ThreadLocalRandom.current().nextInt(200, 600);
            if (allFree(base, 100)) {
                return base;
            }
        }
        throw new IllegalStateException("no free range of 100 ports between 20000 and 60000");
    }

    private static boolean allFree(int from, int count) {
        for (int port = from; port < from + count; port++) {
            try (ServerSocket s = new ServerSocket(port)) {
                s.setReuseAddress(true);
            } catch (IOException taken) {
                return false;
            }
        }
        return true;
    }

    void start() {
        local("start-domain", "--domaindir", domainDir.toString(), NAME);
    }

    /**
     * Stops and starts the domain. Not restart-domain: run from the test JVM it left the old server running while the
     * new one failed to bind its ports, and asadmin waited for ever.
     */
    void restart() {
        local("stop-domain", "--domaindir", domainDir.toString(), NAME);
        start();
    }

    /**
     * Runs a remote command against this domain's admin port.
     *
     * @return its output
     * @throws AssertionError with the output if it exits with anything but 0
     */
    String asadmin(String... args) {
        Answer answer = tryAsadmin(args);
        if (answer.exit() != 0) {
            throw new AssertionError("asadmin " + String.join(" ", args) + " exited with " + answer.exit() + ":\n"
                    + answer.output() + "\nserver log " + log() + ", its tail:\n" + logTail());
        }
        return answer.output();
    }

    /** Runs a remote command against this domain's admin port, whatever its exit code. */
    Answer tryAsadmin(String... args) {
        List<String> all = new ArrayList<>(List.of("--port", Integer.toString(portBase + ADMIN_OFFSET)));
        all.addAll(List.of(args));
        return run(all);
    }

    private void local(String... args) {
        Answer answer = run(List.of(args));
        if (answer.exit() != 0) {
            throw new AssertionError("asadmin " + String.join(" ", args) + " exited with " + answer.exit() + ":\n"
                    + answer.output() + "\nserver log " + log() + ", its tail:\n" + logTail());
        }
    }

    /** What an asadmin command answered. */
    record Answer(int exit, String output) {
    }

    private Answer run(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(asadmin.toString());
        cmd.addAll(args);
        Path output = domainDir.resolveSibling("asadmin-" + (++commands) + ".out");
        long started = System.nanoTime();
        try {
            // Output to a file, not a pipe: start-domain leaves a server process behind that may hold the pipe open.
            ProcessBuilder builder = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile());
            builder.environment().put("AS_JAVA", System.getProperty("java.home"));
            if (Boolean.getBoolean("dukequeue.it.quickStart")) {
                // asadmin's own JVMs and the server that start-domain forks: first JIT tier only, as TestJvm's nodes
                // (start-domain 8 s instead of 11.5 s here). The JVM notes it on the first line of the output.
                builder.environment().put("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1");
            }
            Process process = builder.start();
            if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new AssertionError("asadmin " + String.join(" ", args) + " did not end within " + COMMAND_TIMEOUT
                        + ":\n" + Files.readString(output, StandardCharsets.UTF_8) + "\nserver log tail:\n" + logTail());
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            Files.delete(output);
            long ms = Duration.ofNanos(System.nanoTime() - started).toMillis();
            Files.writeString(transcript, "$ asadmin " + String.join(" ", args) + "   # exit " + process.exitValue()
                    + ", " + ms + " ms\n" + text + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            return new Answer(process.exitValue(), text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + cmd, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A GET on the domain's HTTP listener, bounded at 30 s. */
    java.net.http.HttpResponse<String> get(String pathAndQuery) {
        try {
            return HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + httpPort()
                    + pathAndQuery)).timeout(java.time.Duration.ofSeconds(30)).GET().build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Waits until {@code path} answers 200 (the adapter and the application behind it are ready). */
    void awaitReady(String path, java.time.Duration atMost) {
        org.awaitility.Awaitility.await().atMost(atMost).pollInterval(java.time.Duration.ofMillis(500))
                .ignoreExceptionsInstanceOf(java.io.UncheckedIOException.class).untilAsserted(() -> {
                    java.net.http.HttpResponse<String> r = get(path);
                    org.assertj.core.api.Assertions.assertThat(r.statusCode()).as(path + " answered " + r.body())
                            .isEqualTo(200);
                });
    }

    /** @return the server log's last match of {@code regex}, for the output */
    String lastLine(String regex) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(logText());
        String last = "(nothing logged matches " + regex + ")";
        while (m.find()) {
            last = m.group();
        }
        return last;
    }

    int httpPort() {
        return portBase + HTTP_OFFSET;
    }

    Path log() {
        return domainDir.resolve(NAME).resolve("logs").resolve("server.log");
    }

    /** @return the last 8,000 characters of the server's log */
    String logTail() {
        try {
            String text = Files.readString(log(), StandardCharsets.UTF_8);
            return text.substring(Math.max(0, text.length() - 8000));
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    /** @return the server's whole log so far */
    String logText() {
        try {
            return Files.readString(log(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Stops the domain (stop-domain; the server's process is killed if that does not end it), keeps its logs in
     * {@code logs} next to the domain directory and deletes the domain.
     */
    @Override
    public void close() {
        List<ProcessHandle> servers = serverProcesses();
        try {
            Answer stopped = run(List.of("stop-domain", "--domaindir", domainDir.toString(), NAME));
            if (stopped.exit() != 0) {
                System.out.println("PayaraDomain: stop-domain exited with " + stopped.exit() + ": " + stopped.output());
            }
        } catch (AssertionError hung) {
            System.out.println("PayaraDomain: " + hung.getMessage());
        }
        servers.stream().filter(ProcessHandle::isAlive).forEach(p -> {
            System.out.println("PayaraDomain: a server of the domain (pid " + p.pid() + ") outlived stop-domain; killed");
            p.destroyForcibly();
            p.onExit().orTimeout(30, TimeUnit.SECONDS).join();
        });
        Path logs = domainDir.resolve(NAME).resolve("logs");
        Path kept = domainDir.resolveSibling("logs");
        try {
            if (Files.isDirectory(logs)) {
                Files.createDirectories(kept);
                try (var files = Files.list(logs)) {
                    for (Path f : (Iterable<Path>) files::iterator) {
                        if (Files.isRegularFile(f)) {
                            Files.copy(f, kept.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                        }
                    }
                }
            }
        } catch (IOException e) {
            System.out.println("PayaraDomain: logs not kept: " + e);
        }
        WorkFiles.deleteTree(domainDir);
    }

    /** @return the server processes of this domain: those whose command line names its directory */
    private List<ProcessHandle> serverProcesses() {
        String path = domainDir.toString();
        return ProcessHandle.allProcesses().filter(p -> p.info().commandLine().map(c -> c.contains(path)
                && c.contains("glassfish.jar")).orElse(false)).toList();
    }

    /** @return where the kept logs go ({@link #close}) */
    Path keptLogs() {
        return domainDir.resolveSibling("logs");
    }
}
