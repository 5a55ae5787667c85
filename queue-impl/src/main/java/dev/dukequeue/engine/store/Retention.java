package dev.dukequeue.engine.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Retention: the keyset scan of finished jobs older than a cutoff and their deletion (attempts and dependency rows go
 * with them by cascade), for the {@code dukequeue-purge} batch job. Only {@link JdbcJobStore} calls it.
 */
final class Retention {

    private Retention() {
    }

    /** See {@link JdbcJobStore#selectPurgeCandidates}. */
    static List<PurgeCandidate> candidates(Connection c, JobSql q, String state, Instant cutoff, String queue,
            Instant afterFinishedAt, String afterId, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(q.selectPurgeCandidates(queue != null,
                afterFinishedAt != null))) {
            int i = 1;
            ps.setString(i++, state);
            ps.setTimestamp(i++, Timestamp.from(cutoff));
            if (queue != null) {
                ps.setString(i++, queue);
            }
            if (afterFinishedAt != null) {
                ps.setTimestamp(i++, Timestamp.from(afterFinishedAt));
                ps.setTimestamp(i++, Timestamp.from(afterFinishedAt));
                ps.setString(i++, afterId);
            }
            ps.setInt(i, limit);
            List<PurgeCandidate> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new PurgeCandidate(rs.getString(1), state, rs.getTimestamp(2).toInstant()));
                }
            }
            return rows;
        }
    }

    /** See {@link JdbcJobStore#purge}. */
    static int purge(Connection c, JobSql q, List<String> ids, String state, Instant cutoff) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(q.purgePrefix + JobSql.placeholders(ids.size()))) {
            ps.setString(1, state);
            ps.setTimestamp(2, Timestamp.from(cutoff));
            for (int k = 0; k < ids.size(); k++) {
                ps.setString(k + 3, ids.get(k));
            }
            return ps.executeUpdate();
        }
    }
}
