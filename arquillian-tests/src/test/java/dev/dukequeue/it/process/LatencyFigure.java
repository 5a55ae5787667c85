package dev.dukequeue.it.process;

import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/** Single jobs on an idle queue, one at a time: submit (the submission's transaction) to start, on the database clock. */
final class LatencyFigure {

    private final BenchDatabase db;
    private final BenchFigure figure;
    private final int samples;

    LatencyFigure(BenchDatabase db, BenchFigure figure, int samples) {
        this.db = db;
        this.figure = figure;
        this.samples = samples;
    }

    void report(ServerProcess node) throws Exception {
        db.execute("TRUNCATE dq_job CASCADE");
        String job = "{\"type\":\"demo.echo\",\"queue\":\"latency\",\"payload\":{}}";
        node.post("/jobs", job); // warm-up
        // One connection polls: a new connection per poll forked a database backend every 2 ms, on the two cores the
        // measured path runs on.
        try (Connection poll = db.connect();
             PreparedStatement done = poll.prepareStatement(
                     "SELECT COUNT(*) FROM dq_job WHERE id = ? AND state = 'COMPLETED'")) {
            for (int i = 0; i < samples; i++) {
                HttpResponse<String> r = node.post("/jobs", job);
                done.setString(1, r.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1"));
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2)).until(() -> {
                    try (ResultSet rs = done.executeQuery()) {
                        return rs.next() && rs.getLong(1) == 1;
                    }
                });
            }
        }
        List<Double> millis = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT EXTRACT(EPOCH FROM (a.started_at - j.created_at)) * 1000 FROM dq_job j"
                        + " JOIN dq_attempt_history a ON a.job_id = j.id AND a.run_no = 1 WHERE j.queue = 'latency'"
                        + " ORDER BY j.seq OFFSET 1")) {
            while (rs.next()) {
                millis.add(rs.getDouble(1));
            }
        }
        Collections.sort(millis);
        figure.print("submit-to-start latency, idle (ms)", String.format(Locale.ROOT,
                "p50 %.1f  p99 %.1f  max %.1f  (%d jobs)", millis.get(millis.size() / 2),
                millis.get((int) Math.ceil(millis.size() * 0.99) - 1), millis.get(millis.size() - 1), millis.size()));
    }
}
