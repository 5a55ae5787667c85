package dev.dukequeue.it.process;

import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
        Map<String, Instant> acknowledged = new HashMap<>();
        // One connection polls: a new connection per poll forked a database backend every 2 ms, on the two cores the
        // measured path runs on.
        try (Connection poll = db.connect();
             PreparedStatement done = poll.prepareStatement(
                     "SELECT COUNT(*) FROM dq_job WHERE id = ? AND state = 'COMPLETED'")) {
            for (int i = 0; i < samples; i++) {
                HttpResponse<String> r = node.post("/jobs", job);
                // The answer's arrival on the host's clock, which the database on this machine shares: it splits each
                // sample into the submission (its INSERT, its commit's WAL flush, the HTTP answer) and the wake-up.
                Instant ack = Instant.now();
                String id = r.body().replaceAll(".*\"id\":\"([^\"]+)\".*", "$1");
                acknowledged.put(id, ack);
                done.setString(1, id);
                await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(2)).until(() -> {
                    try (ResultSet rs = done.executeQuery()) {
                        return rs.next() && rs.getLong(1) == 1;
                    }
                });
            }
        }
        List<Double> millis = new ArrayList<>();
        List<Double> toAck = new ArrayList<>();
        List<Double> ackToStart = new ArrayList<>();
        try (Connection c = db.connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT j.id, EXTRACT(EPOCH FROM j.created_at) * 1000, EXTRACT(EPOCH FROM a.started_at) * 1000"
                        + " FROM dq_job j JOIN dq_attempt_history a ON a.job_id = j.id AND a.run_no = 1"
                        + " WHERE j.queue = 'latency' ORDER BY j.seq OFFSET 1")) {
            while (rs.next()) {
                double created = rs.getDouble(2);
                double started = rs.getDouble(3);
                millis.add(started - created);
                Instant ack = acknowledged.get(rs.getString(1));
                double ackMillis = ack.getEpochSecond() * 1000.0 + ack.getNano() / 1e6;
                toAck.add(ackMillis - created);
                ackToStart.add(started - ackMillis);
            }
        }
        figure.print("submit-to-start latency, idle (ms)", String.format(Locale.ROOT, "%s  (%d jobs)",
                percentiles(millis), millis.size()));
        // Where the time goes: a p99 made of the submission's commit is the WAL flush, not the engine.
        figure.print("  of it, submission to its answer (INSERT, commit and WAL flush, HTTP) (ms)", percentiles(toAck));
        figure.print("  of it, answer to start (NOTIFY, wake-up, claim; < 0: started first) (ms)", percentiles(ackToStart));
    }

    private static String percentiles(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return String.format(Locale.ROOT, "p50 %.1f  p99 %.1f  max %.1f", sorted.get(sorted.size() / 2),
                sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1), sorted.get(sorted.size() - 1));
    }
}
