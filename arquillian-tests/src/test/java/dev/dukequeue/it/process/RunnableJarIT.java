package dev.dukequeue.it.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The runnable jar as an operator starts it: plain {@code java -jar dukequeue.jar} (no launcher script, no Payara
 * options), configured by environment variables; and what its metrics say across nodes.
 */
class RunnableJarIT {

    private static final Duration START = Duration.ofSeconds(120);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Path dir;
    private final List<Process> processes = new ArrayList<>();
    private final List<ServerProcess> nodes = new ArrayList<>();
    private RestartablePostgres postgres;

    @BeforeEach
    void workDir() throws IOException {
        dir = Files.createDirectories(Path.of(System.getProperty("dukequeue.it.dir", "target/it"),
                "jar-" + UUID.randomUUID().toString().substring(0, 8))).toAbsolutePath();
    }

    @AfterEach
    void cleanUp() {
        processes.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        });
        nodes.forEach(ServerProcess::close);
        if (postgres != null) {
            postgres.close();
        }
        WorkFiles.deleteTree(dir.resolve("data").resolve("payara-runtime"));
    }

    private Process javaJar(int port, Path tmp, Path log) throws IOException {
        Path jar = Path.of(System.getProperty("dukequeue.jar", "../admin-web/target/dukequeue.jar")).toAbsolutePath();
        List<String> cmd = TestJvm.command(tmp);
        cmd.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder b = new ProcessBuilder(cmd)
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        b.environment().put("DUKEQUEUE_PORT", Integer.toString(port));
        b.environment().put("DUKEQUEUE_DATA_DIR", dir.resolve("data").toString());
        b.environment().put("DUKEQUEUE_ADMIN_PASSWORD", ServerProcess.PASSWORD);
        Process p = b.start();
        processes.add(p);
        return p;
    }

    private static HttpResponse<String> get(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null; // not listening yet
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<Path> contents(Path d) throws IOException {
        try (Stream<Path> s = Files.list(d)) {
            return s.toList();
        }
    }

    @Test
    void javaDashJarHonoursDukequeuePortKeepsItsRuntimeInTheDataDirectoryAndDoesNotPhoneHome() throws Exception {
        int port = RestartablePostgres.freePort();
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        for (int start = 1; start <= 2; start++) {
            Path log = dir.resolve("node-" + start + ".log");
            Process p = javaJar(port, tmp, log);
            await().atMost(START).pollInterval(Duration.ofMillis(250)).until(() -> {
                assertThat(p.isAlive()).as("the node exited:\n" + Files.readString(log)).isTrue();
                HttpResponse<String> r = get(port, "/health/ready");
                return r != null && r.statusCode() == 200;
            });
            String text = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(text).contains("Disabled Phone Home").contains(":" + port + "/dukequeue");
            assertThat(get(port, "/metrics").body()).contains("# TYPE dukequeue_persistence_errors_total counter");
            assertThat(contents(tmp)).as("nothing in java.io.tmpdir after start " + start).isEmpty();
            assertThat(contents(dir.resolve("data").resolve("payara-runtime"))).isNotEmpty();
            // The embedded database (every payload) and the admin password live in the data directory: its owner's
            // only. Made so by the launcher at the first start; restored by the engine at the second, after an
            // older version (or a hand) left it open.
            Path data = dir.resolve("data");
            assertThat(data.resolve("dukequeue.mv.db")).exists();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
            if (start == 2) {
                assertThat(text).contains("DukeQueue data directory " + data.toAbsolutePath().normalize()
                        + " was open to other users (rwxr-xr-x); now rwx------");
            }
            // kill -9: nothing deletes the runtime; the next start replaces it instead of adding another one
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor();
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        assertThat(contents(tmp)).isEmpty();
        System.out.println("runnable jar: DUKEQUEUE_PORT=" + port + " honoured by java -jar, phone-home off, runtime"
                + " in <data dir>/payara-runtime, the data directory rwx------, java.io.tmpdir empty after two starts"
                + " and two kill -9");
    }

    @Test
    void oneNodeExportsTheClusterWideDepthsAndAnotherTakesOverWhenItStopsAndGivesThemBack() throws Exception {
        postgres = RestartablePostgres.on(RestartablePostgres.freePort(), dir.resolve("pgdata")).start();
        ServerProcess a = ServerProcess.node("depth-a", postgres.jdbcUrl(), dir.resolve("depth-a"));
        ServerProcess b = ServerProcess.node("depth-b", postgres.jdbcUrl(), dir.resolve("depth-b"));
        nodes.add(a);
        nodes.add(b);
        a.start();
        b.start();
        a.awaitReady(START);
        b.awaitReady(START);
        assertThat(a.post("/queues/held/pause", "").statusCode()).isLessThan(300);
        for (int i = 0; i < 3; i++) {
            assertThat(a.post("/jobs", "{\"type\":\"demo.echo\",\"queue\":\"held\"}").statusCode()).isEqualTo(201);
        }
        String series = "dukequeue_queue_scheduled{";
        await().atMost(Duration.ofSeconds(30)).until(() -> a.metric("dukequeue_queue_scheduled", "queue=\"held\"") == 3
                && a.metric("dukequeue_queue_depth_reporter") == 1 && b.metricsText().contains("dukequeue_queue_depth_reporter"));
        assertThat(b.metric("dukequeue_queue_depth_reporter")).isZero();
        assertThat(b.metricsText()).as("the other node exports no depth series").doesNotContain(series);

        a.terminate();
        await().atMost(Duration.ofSeconds(30)).until(() -> b.metric("dukequeue_queue_scheduled", "queue=\"held\"") == 3
                && b.metric("dukequeue_queue_depth_reporter") == 1);

        // depth-a is back: the smaller name reports again, and depth-b removes its series.
        a.start().awaitReady(START);
        await().atMost(Duration.ofSeconds(30)).until(() -> a.metric("dukequeue_queue_scheduled", "queue=\"held\"") == 3
                && b.metric("dukequeue_queue_depth_reporter") == 0 && !b.metricsText().contains(series));
        System.out.println("depth gauges: exported by depth-a only while it ran, then by depth-b, then by depth-a again");
    }
}
