package dev.dukequeue.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.File;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The image tar the build wrote: its configuration (a non-root user, the entrypoint, port 8080, the /data volume) read
 * from the tar itself, its layers holding a Java runtime and the jar, and (as root, which CI is) its file system
 * running DukeQueue as the image's user in a chroot: the libraries the runtime needs are all in the image.
 */
class ContainerImageIT {

    private static ImageTar image;

    @BeforeAll
    static void read() throws Exception {
        Path tar = Path.of(System.getProperty("dukequeue.image.tar", "target/dukequeue-image.tar"));
        assertThat(tar).as("the build writes the image").isRegularFile();
        image = new ImageTar(tar);
        System.out.println("image: " + Files.size(tar) / (1024 * 1024) + " MB, " + image.files.size() + " files");
    }

    @Test
    void theImageRunsTheJarAsANonRootUserOnPort8080WithDataAsAVolume() {
        JsonObject c = image.containerConfig();
        assertThat(c.getString("User")).isEqualTo("10001:10001");
        assertThat(c.getJsonObject("ExposedPorts").keySet()).containsExactly("8080/tcp");
        assertThat(c.getJsonObject("Volumes").keySet()).containsExactly("/data");
        assertThat(c.getString("WorkingDir")).isEqualTo("/data");
        List<String> entrypoint = c.getJsonArray("Entrypoint").getValuesAs(JsonString::getString);
        assertThat(entrypoint).startsWith("/opt/java/bin/java").containsSubsequence("-jar", "/app/dukequeue.jar")
                .contains("--nocluster");
        List<String> env = c.getJsonArray("Env").getValuesAs(JsonString::getString);
        assertThat(env).contains("DUKEQUEUE_DATA_DIR=/data/dukequeue");
        assertThat(image.config.getString("architecture")).isEqualTo("amd64");
        assertThat(image.config.getString("os")).isEqualTo("linux");
    }

    @Test
    void theLayersHoldTheRuntimeTheJarAndTheUser() throws Exception {
        assertThat(image.files.get("opt/java/bin/java").mode() & 0111).as("java is executable").isNotZero();
        assertThat(image.files).containsKeys("lib64/ld-linux-x86-64.so.2", "opt/java/lib/server/libjvm.so",
                "opt/java/lib/security/cacerts", "etc/nsswitch.conf");
        long jar = Files.size(Path.of("..", "admin-web", "target", "dukequeue.jar"));
        assertThat(image.files.get("app/dukequeue.jar").size()).as("the build's runnable jar").isEqualTo(jar);
        assertThat(new String(image.files.get("etc/passwd").content())).contains("dukequeue:x:10001:10001:");
        assertThat(image.files.get("data").mode() & 0777).as("writable by the user").isEqualTo(0777);
        assertThat(image.files.keySet()).noneMatch(p -> p.startsWith("opt/java/jmods") || p.endsWith("bin/javac"));
    }

    @Test
    void theImagesFileSystemRunsDukeQueueAsItsUser() throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root && "true".equals(System.getenv("CI"))) {
            throw new AssertionError("this test runs the image's file system in a chroot, which needs root; CI=true,"
                    + " so this is a failure, not a skip");
        }
        assumeTrue(root, "needs root (chroot and mounts)");
        Path dir = Files.createTempDirectory(Path.of("target"), "image-root").toAbsolutePath();
        Files.setPosixFilePermissions(dir, ImageTar.permissions(0755)); // the image's "/", which its user walks
        image.extract(dir);
        // What a container runtime gives every container: /etc/hosts naming the container's host name (Docker and
        // Kubernetes bind-mount their own over the image's), and /etc/resolv.conf. Here the host's name.
        String host = java.net.InetAddress.getLocalHost().getHostName();
        Files.writeString(dir.resolve("etc/hosts"), "127.0.0.1 localhost " + host + "\n::1 localhost\n");
        if (Files.isReadable(Path.of("/etc/resolv.conf"))) {
            Files.copy(Path.of("/etc/resolv.conf"), dir.resolve("etc/resolv.conf"));
        }
        Files.createDirectories(dir.resolve("proc"));
        Files.createDirectories(dir.resolve("dev"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        JsonObject c = image.containerConfig();
        // A mount namespace of its own (gone with the process) with /proc and /dev, then the image's root as the
        // image's user; the entrypoint as the image gives it, the port moved (the host's 8080 may be taken).
        List<String> cmd = new ArrayList<>(List.of("unshare", "--mount", "--fork", "--kill-child=SIGTERM", "sh", "-c",
                "mount -t proc proc \"$0/proc\" && mount --rbind /dev \"$0/dev\""
                        + " && exec chroot --userspec=10001:10001 \"$0\" \"$@\"", dir.toString()));
        cmd.addAll(c.getJsonArray("Entrypoint").getValuesAs(JsonString::getString));
        cmd.addAll(List.of("--port", Integer.toString(port)));
        File log = dir.resolve("run.log").toFile();
        ProcessBuilder builder = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log);
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        for (String e : c.getJsonArray("Env").getValuesAs(JsonString::getString)) {
            builder.environment().put(e.substring(0, e.indexOf('=')), e.substring(e.indexOf('=') + 1));
        }
        builder.environment().put("DUKEQUEUE_ADMIN_PASSWORD", "image-secret-1");
        builder.environment().put("DUKEQUEUE_DEMO_ENABLED", "true");
        // The first JIT tier only, as for every server the tests start (a third sooner ready); not in the image.
        builder.environment().put("JAVA_TOOL_OPTIONS", "-XX:TieredStopAtLevel=1");
        Process p = builder.start();
        HttpClient http = HttpClient.newHttpClient();
        try {
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                assertThat(p.isAlive()).as(() -> "the node stopped: " + tail(log)).isTrue();
                try {
                    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready"))
                            .build(), HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
                } catch (java.io.IOException e) {
                    return false;
                }
            });
            String auth = "Basic " + Base64.getEncoder().encodeToString("admin:image-secret-1".getBytes());
            HttpResponse<String> submitted = http.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/dukequeue/api/v1/jobs")).header("Authorization", auth)
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"demo.echo\",\"payload\":42}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);
            // The data directory the image's user made: owner-only, under the volume.
            Path data = dir.resolve("data/dukequeue");
            assertThat(Files.getAttribute(data, "unix:uid")).isEqualTo(10001);
            assertThat(Files.getPosixFilePermissions(data)).isEqualTo(ImageTar.permissions(0700));
        } finally {
            // The node itself, not only unshare: chroot's change of user clears the parent-death signal that
            // --kill-child sets, so the JVM would outlive unshare (seen: nodes left running after the test).
            List<ProcessHandle> tree = p.descendants().toList();
            tree.forEach(ProcessHandle::destroy);
            p.destroy();
            for (ProcessHandle h : tree) {
                try {
                    h.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    h.destroyForcibly();
                }
            }
            if (!p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            assertThat(tree).as("no process of the node is left").noneMatch(ProcessHandle::isAlive);
        }
    }

    private static String tail(File log) {
        try {
            List<String> lines = Files.readAllLines(log.toPath());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }
}
