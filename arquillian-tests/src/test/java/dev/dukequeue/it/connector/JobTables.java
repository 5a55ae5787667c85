package dev.dukequeue.it.connector;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dukequeue.it.process.RestartablePostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the connector tests read with JDBC, outside the queue's API: DukeQueue's {@code dq_job} and the test
 * applications' {@code app_b_effects} rows, which show what the beans' transactions committed.
 */
final class JobTables {

    private final RestartablePostgres postgres;

    JobTables(RestartablePostgres postgres) {
        this.postgres = postgres;
    }

    /** @return the job's state in dq_job, null if there is no such job */
    String state(String job) throws SQLException {
        try (Connection c = postgres.connect();
                PreparedStatement ps = c.prepareStatement("SELECT state FROM dq_job WHERE id = ?")) {
            ps.setString(1, job);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** @return how many of the jobs are in each state */
    Map<String, Long> statesOf(List<String> jobs) throws SQLException {
        return grouped("SELECT state, COUNT(*) FROM dq_job WHERE id = ANY(?) GROUP BY state", jobs);
    }

    /** @return how many app_b_effects rows each of the jobs has (jobs without any are absent) */
    Map<String, Long> effectsPerJob(List<String> jobs) throws SQLException {
        return grouped("SELECT job_id, COUNT(*) FROM app_b_effects WHERE job_id = ANY(?) GROUP BY job_id", jobs);
    }

    /** @return the attempt numbers of the job's app_b_effects rows */
    List<Integer> effectsOf(String job) throws SQLException {
        List<Integer> attempts = new ArrayList<>();
        try (Connection c = postgres.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT attempt FROM app_b_effects WHERE job_id = ? ORDER BY attempt")) {
            ps.setString(1, job);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    attempts.add(rs.getInt(1));
                }
            }
        }
        return attempts;
    }

    /** @return column 1 to column 2 of {@code sql}'s rows, its one parameter bound to {@code ids} as an array */
    Map<String, Long> grouped(String sql, List<String> ids) throws SQLException {
        Map<String, Long> out = new TreeMap<>();
        try (Connection c = postgres.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("varchar", ids.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }
        }
        return out;
    }

    /** @return the first column of the first row, as a number; a List parameter is bound as an array */
    long number(String sql, Object parameter) throws SQLException {
        try (Connection c = postgres.connect(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (parameter instanceof List<?> list) {
                ps.setArray(1, c.createArrayOf("varchar", list.toArray()));
            } else {
                ps.setObject(1, parameter);
            }
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("a row for " + sql + " with " + parameter).isTrue();
                return rs.getLong(1);
            }
        }
    }

    /** The columns of a dq_job row that say how its attempts were counted. */
    record JobRow(int attempt, int runCount, int releaseCount, String checkpoint) {
    }

    /** One row of DukeQueue's attempt history ({@code dq_attempt_history}). */
    record Attempt(int attempt, String outcome) {
    }

    JobRow row(String job) throws SQLException {
        try (Connection c = postgres.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT attempt, run_count, release_count, checkpoint_data FROM dq_job WHERE id = ?")) {
            ps.setString(1, job);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("dq_job row of " + job).isTrue();
                return new JobRow(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getString(4));
            }
        }
    }

    /** @return the job's attempt history: attempt numbers and outcomes, in run order */
    List<Attempt> history(String job) throws SQLException {
        List<Attempt> attempts = new ArrayList<>();
        try (Connection c = postgres.connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT attempt, outcome FROM dq_attempt_history WHERE job_id = ? ORDER BY run_no")) {
            ps.setString(1, job);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    attempts.add(new Attempt(rs.getInt(1), rs.getString(2)));
                }
            }
        }
        return attempts;
    }
}
