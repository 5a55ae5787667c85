package dev.dukequeue.it.connector.appb;

import dev.dukequeue.JobContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * A bean's visible effect: one row of {@code app_b_effects} per delivery, written in the delivery's transaction. The
 * table has no key on the job, so a duplicate effect shows as a second row.
 */
final class Effects {

    private Effects() {
    }

    static void record(DataSource database, JobContext job, String bean) throws SQLException {
        try (Connection c = database.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO app_b_effects (job_id, attempt, bean) VALUES (?, ?, ?)")) {
            ps.setString(1, job.jobId().toString());
            ps.setInt(2, job.attempt());
            ps.setString(3, bean);
            ps.executeUpdate();
        }
    }
}
