package dev.dukequeue.engine.store;

import dev.dukequeue.engine.database.SchemaMigrator;
import static dev.dukequeue.engine.store.JobFixtures.TYPE;
import static dev.dukequeue.engine.store.JobFixtures.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dukequeue.ErrorCategory;
import dev.dukequeue.JobId;
import dev.dukequeue.JobReceipt;
import dev.dukequeue.JobRequest;
import dev.dukequeue.JobState;
import dev.dukequeue.engine.job.AttemptOutcome;
import dev.dukequeue.engine.job.ClaimedJob;
import dev.dukequeue.engine.job.JobEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every store suite starts from: a migrated, empty database of the subclass's kind, a store on it, and helpers that
 * read rows directly. {@link TxDataSource} plays the JTA transaction.
 */
abstract class StoreFixture {

    protected static final long LEASE = 60_000;
    protected static final List<String> TYPES = List.of(TYPE);

    protected TxDataSource tx;
    protected JdbcJobStore store;

    /** @return a data source on a fresh or reusable database of the subclass's kind */
    protected abstract DataSource database();

    @BeforeEach
    void migrateAndEmpty() throws SQLException {
        DataSource raw = database();
        new SchemaMigrator(raw).migrate();
        try (Connection c = raw.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM dq_attempt");
            s.executeUpdate("DELETE FROM dq_dependency");
            s.executeUpdate("DELETE FROM dq_schedule");
            s.executeUpdate("DELETE FROM dq_stat");
            s.executeUpdate("DELETE FROM dq_node");
            s.executeUpdate("DELETE FROM dq_queue");
            s.executeUpdate("DELETE FROM dq_job");
        }
        tx = new TxDataSource(raw);
        store = new JdbcJobStore(tx);
    }

    protected JobReceipt submit(JobRequest request) {
        return tx.inTransaction(() -> store.insert(List.of(request))).get(0);
    }

    protected List<ClaimedJob> claim(int limit) {
        return claim("node-a#1", limit, LEASE);
    }

    protected List<ClaimedJob> claim(String owner, int limit, long leaseMs) {
        return tx.inTransaction(() -> store.claim(owner, TYPES, limit, leaseMs));
    }

    protected Map<String, Object> row(JobId id) {
        try (Connection c = database().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT state, attempt, run_count, finished_at, result,"
                     + " last_error_category, lease_token, run_at FROM dq_job WHERE id = ?")) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                Map<String, Object> m = new HashMap<>();
                m.put("state", JobState.valueOf(rs.getString(1)));
                m.put("attempt", rs.getInt(2));
                m.put("runCount", rs.getInt(3));
                m.put("finished", rs.getTimestamp(4) != null);
                m.put("result", rs.getString(5));
                m.put("errorCategory", rs.getString(6));
                m.put("leaseToken", rs.getString(7));
                m.put("runAt", rs.getTimestamp(8).toInstant());
                return m;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    protected JobState stateOf(JobId id) {
        return (JobState) row(id).get("state");
    }

    /**
     * @return the job's attempts as the API reads them ({@code dq_attempt_history}), one line each, oldest first:
     *     {@code run/attempt node outcome} with {@code -} for an open attempt, and {@code ended} when it has a finish time
     */
    protected List<String> attemptHistory(JobId id) {
        List<String> lines = new ArrayList<>();
        try (Connection c = database().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT run_no, attempt, node, outcome, started_at, finished_at"
                     + " FROM dq_attempt_history WHERE job_id = ? ORDER BY run_no")) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    assertThat(rs.getTimestamp(5)).as("every attempt has its start").isNotNull();
                    lines.add(rs.getInt(1) + "/" + rs.getInt(2) + " " + rs.getString(3) + " "
                            + (rs.getString(4) == null ? "-" : rs.getString(4))
                            + (rs.getTimestamp(6) == null ? "" : " ended"));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return lines;
    }

    /** @return the first column of the first row of the query, whose one {@code ?} is the job id */
    protected Object valueOf(String sql, JobId id) {
        try (Connection c = database().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getObject(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the number the query (one {@code ?} for the job id) returns */
    protected long count(String sql, JobId id) {
        return ((Number) valueOf(sql, id)).longValue();
    }

    protected List<String> attemptOutcomes(JobId id) {
        List<String> outcomes = new ArrayList<>();
        try (Connection c = database().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT outcome FROM dq_attempt_history WHERE job_id = ? ORDER BY run_no")) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    outcomes.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return outcomes;
    }

    /** @return a schedule that fires every second into queue "cron" */
    protected static ScheduleDefinition everySecond(String name) {
        dev.dukequeue.engine.schedule.CronExpression cron = dev.dukequeue.engine.schedule.CronExpression.parse("* * * * * *");
        return new ScheduleDefinition(name, "* * * * * * UTC", aJob().queue("cron").build(),
                after -> cron.next(after, java.time.ZoneOffset.UTC).orElse(null), true);
    }

    /** Moves a schedule's next run (as if every node had been down since {@code at}). */
    protected void moveNextRun(String name, java.time.Instant at) {
        try (Connection c = database().getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE dq_schedule SET next_run_at = ? WHERE name = ?")) {
            ps.setTimestamp(1, java.sql.Timestamp.from(at));
            ps.setString(2, name);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
