package dev.dukequeue.it.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The failure playbook's scenario 3 (corrupt data) on real processes: the runnable jar on PostgreSQL, with rows changed
 * behind its back by SQL. What the schema can refuse it refuses; a payload that is not JSON (the schema cannot know)
 * fails its job at once as SYSTEM with the column named, counted in {@code dukequeue_corrupt_jobs_total}, logged,
 * readable through the API; every other job goes on; and once an operator repairs the row, a retry runs it.
 */
class CorruptDataIT {

    private static final Duration START = Duration.ofSeconds(120);
    private static final int OTHERS = 50;

    private RestartablePostgres postgres;
    private ServerProcess node;

    @BeforeEach
    void nodeOnPostgres() throws Exception {
        Path dir = Files.createDirectories(Path.of(System.getProperty("dukequeue.it.dir", "target/it"),
                "corrupt-" + UUID.randomUUID().toString().substring(0, 8)));
        postgres = RestartablePostgres.on(RestartablePostgres.freePort(), dir.resolve("pgdata")).start();
        node = ServerProcess.node("corrupt", postgres.jdbcUrl(), dir.resolve("corrupt")).start().awaitReady(START);
    }

    @AfterEach
    void cleanUp() {
        if (node != null) {
            node.close();
        }
        postgres.close();
    }

    @Test
    void aCorruptRowFailsAsSystemIsCountedAndEveryOtherJobFlows() throws Exception {
        assertThat(node.post("/queues/held/pause", "").statusCode()).isEqualTo(200);
        String bad = id(node.post("/jobs", "{\"type\":\"demo.echo\",\"queue\":\"held\",\"payload\":{\"n\":0}}"));
        String refusedToo = id(node.post("/jobs", "{\"type\":\"demo.echo\",\"queue\":\"held\"}"));
        assertThat(sql("UPDATE dq_job SET payload = 'not json {' WHERE id = ?", bad)).isOne();
        // What the schema can refuse, it refuses: the row stays as it was.
        assertThatThrownBy(() -> sql("UPDATE dq_job SET state = 'BOGUS' WHERE id = ?", refusedToo))
                .isInstanceOf(SQLException.class).hasMessageContaining("dq_job_state_ck");
        assertThatThrownBy(() -> sql("UPDATE dq_job SET type = NULL WHERE id = ?", refusedToo))
                .isInstanceOf(SQLException.class).hasMessageContaining("null");
        List<String> others = new ArrayList<>();
        for (int i = 0; i < OTHERS; i++) {
            others.add(id(node.post("/jobs", "{\"type\":\"demo.echo\",\"payload\":{\"n\":" + (i + 1) + "}}")));
        }

        assertThat(node.post("/queues/held/resume", "").statusCode()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(60)).until(() -> "FAILED".equals(state(bad))
                && "COMPLETED".equals(state(refusedToo)) && count("SELECT COUNT(*) FROM dq_job WHERE state ="
                + " 'COMPLETED' AND queue = 'default'") == OTHERS);
        JsonObject job = json(node.get("/jobs/" + bad));
        assertThat(job.getString("state")).isEqualTo("FAILED");
        assertThat(job.getInt("attempts")).as("not retried: a retry cannot repair the row").isEqualTo(1);
        assertThat(job.getJsonObject("lastError").getString("category")).isEqualTo("SYSTEM");
        assertThat(job.getJsonObject("lastError").getString("message"))
                .startsWith("corrupt job row: payload is not JSON");
        assertThat(job.getString("payload")).as("shown as the text it is").isEqualTo("not json {");
        HttpResponse<String> listing = node.get("/jobs?state=FAILED");
        assertThat(listing.statusCode()).isEqualTo(200);
        assertThat(listing.body()).contains(bad);
        assertThat(node.metric("dukequeue_corrupt_jobs_total", "queue=\"held\"")).isEqualTo(1);
        assertThat(node.metric("dukequeue_jobs_failed_total", "queue=\"held\"", "category=\"SYSTEM\"")).isEqualTo(1);
        assertThat(node.log()).contains("corrupt job row: payload is not JSON").contains(bad);
        assertThat(node.health("ready").statusCode()).as("one bad row is not a broken database").isEqualTo(200);

        // The operator repairs the row and retries the job: it runs.
        assertThat(sql("UPDATE dq_job SET payload = '{\"n\":0}' WHERE id = ?", bad)).isOne();
        assertThat(node.post("/jobs/" + bad + "/retry", "").statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> "COMPLETED".equals(state(bad)));
        assertThat(node.metric("dukequeue_corrupt_jobs_total", "queue=\"held\"")).isEqualTo(1);
    }

    private static String id(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        return json(r).getString("id");
    }

    private static JsonObject json(HttpResponse<String> r) {
        try (JsonReader reader = Json.createReader(new StringReader(r.body()))) {
            return reader.readObject();
        }
    }

    private int sql(String statement, String id) throws SQLException {
        try (Connection c = postgres.connect(); PreparedStatement ps = c.prepareStatement(statement)) {
            ps.setString(1, id);
            return ps.executeUpdate();
        }
    }

    private String state(String id) throws SQLException {
        try (Connection c = postgres.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT state FROM dq_job WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = postgres.connect(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
