package dev.dukequeue.it.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The failure playbook's scenario 8 (disk full) on real processes: the runnable jar on an embedded PostgreSQL whose
 * DukeQueue database lives in a tablespace on a 64 MB tmpfs (mounted by the test: needs root, as on CI; with
 * {@code CI=true} a failed mount fails the test instead of skipping it). PostgreSQL's WAL stays on the ordinary disk,
 * so a full tablespace is what PostgreSQL reports as {@code could not extend file ...: No space left on device}
 * (SQLState 53100), not a crash of the server.
 */
class DiskFullIT {

    private static final Duration START = Duration.ofSeconds(120);
    private static final String MOUNT_SIZE = "64m";

    private Path dir;
    private Path mount;
    private boolean mounted;
    private RestartablePostgres postgres;
    private ServerProcess node;

    @BeforeEach
    void smallDisk() throws Exception {
        dir = Files.createDirectories(Path.of(System.getProperty("dukequeue.it.dir", "target/it"),
                "diskfull-" + UUID.randomUUID().toString().substring(0, 8))).toAbsolutePath();
        mount = Files.createDirectories(dir.resolve("small-disk"));
        String error = run("mount", "-t", "tmpfs", "-o", "size=" + MOUNT_SIZE + ",mode=0700", "tmpfs", mount.toString());
        if (error != null) {
            String why = "cannot mount a " + MOUNT_SIZE + " tmpfs for the disk-full test (needs root): " + error;
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError(why + "; CI=true, so this is a failure, not a skip");
            }
            Assumptions.abort(why);
        }
        mounted = true;
        postgres = RestartablePostgres.on(RestartablePostgres.freePort(), dir.resolve("pgdata")).start();
        // The tablespace's directory must belong to the user PostgreSQL runs as.
        UserPrincipal owner = Files.getOwner(dir.resolve("pgdata"));
        Path space = Files.createDirectories(mount.resolve("pg"));
        Files.setOwner(mount, owner);
        Files.setOwner(space, owner);
        try (Connection c = postgres.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLESPACE small LOCATION '" + space + "'");
            s.execute("CREATE DATABASE dq TABLESPACE small");
        }
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (node != null) {
            node.close();
        }
        if (postgres != null) {
            postgres.close();
        }
        if (mounted && run("umount", mount.toString()) != null) {
            run("umount", "-l", mount.toString());
        }
    }

    /** @return null if the command succeeded, else its output and exit code */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            return String.join(" ", command) + ": timed out";
        }
        return p.exitValue() == 0 ? null : String.join(" ", command) + " exited with " + p.exitValue() + ": " + out;
    }

    private String dqUrl() {
        return postgres.jdbcUrl().replace("/postgres?", "/dq?");
    }

    private long count(String sql) throws SQLException {
        try (Connection c = java.sql.DriverManager.getConnection(dqUrl()); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static JsonObject json(HttpResponse<String> r) {
        try (JsonReader reader = Json.createReader(new StringReader(r.body()))) {
            return reader.readObject();
        }
    }

    private static String batch(String queue, int jobs, int payloadChars) {
        String pad = "x".repeat(payloadChars);
        List<String> items = new ArrayList<>();
        for (int i = 0; i < jobs; i++) {
            items.add("{\"type\":\"demo.echo\",\"queue\":\"" + queue + "\",\"payload\":{\"pad\":\"" + pad + "\"}}");
        }
        return "{\"jobs\":[" + String.join(",", items) + "]}";
    }

    private static List<String> ids(HttpResponse<String> r) {
        return json(r).getJsonArray("jobs").stream().map(v -> v.asJsonObject().getString("id")).toList();
    }

    /** Writes a file until the file system is full. @return the bytes written */
    private static long fill(Path file) throws IOException {
        long written = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            for (int chunk : new int[] {1 << 20, 4096}) {
                ByteBuffer block = ByteBuffer.allocate(chunk);
                try {
                    while (true) {
                        block.rewind();
                        written += ch.write(block);
                    }
                } catch (IOException full) {
                    // "No space left on device": go on with smaller blocks, then stop
                }
            }
        }
        return written;
    }

    @Test
    void aFullDiskRefusesSubmissionsWith503WritesNothingHalfAndHealsByItselfWhenSpaceIsFreed() throws Exception {
        // Activity rows once an hour: readiness must go DOWN because submissions hit the full disk, not because a
        // periodic write of the node's charts happened to fail and opened the circuit.
        node = ServerProcess.node("diskfull", dqUrl(), dir.resolve("diskfull")).with("dukequeue.stats.interval.ms",
                "3600000").start().awaitReady(START);

        // Acknowledged before the disk fills: jobs held in a paused queue (they must all complete after the heal).
        assertThat(node.post("/queues/before/pause", "").statusCode()).isLessThan(300);
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            HttpResponse<String> r = node.post("/jobs/batch", batch("before", 50, 200));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
            before.addAll(ids(r));
        }

        Path filler = mount.resolve("filler");
        long filled = fill(filler);
        System.out.println("disk full: filler of " + filled / (1024 * 1024) + " MB fills the " + MOUNT_SIZE + " tmpfs");

        // Batches of 50 jobs with 2 KB payloads, each in a queue of its own: what fits in the tables' free pages is
        // still taken (201, acknowledged: must complete), then the store refuses with a JSON 503 and Retry-After.
        List<String> acknowledgedDuringFill = new ArrayList<>();
        HttpResponse<String> refused = null;
        String refusedQueue = null;
        for (int i = 0; i < 200 && refused == null; i++) {
            String queue = "fill-" + i;
            HttpResponse<String> r = node.post("/jobs/batch", batch(queue, 50, 2000));
            if (r.statusCode() == 201) {
                acknowledgedDuringFill.addAll(ids(r));
            } else {
                refused = r;
                refusedQueue = queue;
            }
        }
        assertThat(refused).as("a submission was refused within 200 batches (about 20 MB) on a full disk").isNotNull();
        System.out.println("disk full: " + acknowledgedDuringFill.size() + " jobs taken after the fill, then "
                + refused.statusCode() + " " + refused.body());
        assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
        assertThat(refused.headers().firstValue("Retry-After")).isPresent();
        assertThat(refused.headers().firstValue("Content-Type")).hasValueSatisfying(t ->
                assertThat(t).startsWith("application/problem+json"));
        JsonObject error = json(refused);
        assertThat(error.getString("error")).isEqualTo("unavailable");
        assertThat(error.getString("detail")).as("the database's own reason").contains("No space left on device");
        assertThat(refused.body().length()).as("the answer quotes no statement or payload").isLessThan(2000);
        assertThat(count("SELECT COUNT(*) FROM dq_job WHERE queue = '" + refusedQueue + "'"))
                .as("nothing of the refused batch was written").isZero();

        // Readiness goes DOWN: a load balancer stops sending work to this node while its database is full.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            node.post("/jobs/batch", batch("probe-down", 50, 2000)); // keeps hitting the full disk
            return node.health("ready").statusCode() == 503;
        });
        String down = node.health("ready").body();
        System.out.println("disk full: readiness " + down);
        assertThat(down).contains("out of disk space").contains("No space left on device");
        assertThat(count("SELECT COUNT(*) FROM dq_job WHERE queue = 'probe-down'"))
                .as("no refused batch left a row").isEqualTo(0);

        // Space is freed: the node heals by itself (no restart), readiness UP, submissions 201.
        Files.delete(filler);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> node.health("ready").statusCode() == 200);
        HttpResponse<String> after = node.post("/jobs/batch", batch("after", 50, 2000));
        assertThat(after.statusCode()).as(after.body()).isEqualTo(201);
        List<String> afterIds = ids(after);

        // Every job acknowledged before, during and after the fill completes.
        assertThat(node.post("/queues/before/resume", "").statusCode()).isLessThan(300);
        List<String> all = new ArrayList<>(before);
        all.addAll(acknowledgedDuringFill);
        all.addAll(afterIds);
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() ->
                count("SELECT COUNT(*) FROM dq_job WHERE state = 'COMPLETED' AND id IN ('"
                        + String.join("','", all) + "')") == all.size());
        assertThat(count("SELECT COUNT(*) FROM dq_job WHERE queue LIKE 'probe-%' OR queue = '" + refusedQueue + "'"))
                .as("no refused submission left a row").isZero();
        System.out.println("disk full: " + all.size() + " acknowledged jobs completed after the heal ("
                + before.size() + " before the fill, " + acknowledgedDuringFill.size() + " during, " + afterIds.size()
                + " after)");
    }
}
