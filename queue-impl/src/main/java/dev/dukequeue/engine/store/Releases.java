package dev.dukequeue.engine.store;

import dev.dukequeue.ErrorCategory;
import dev.dukequeue.JobState;
import dev.dukequeue.engine.job.AttemptOutcome;
import dev.dukequeue.engine.job.JobEvent;
import dev.dukequeue.engine.job.JobTransitions;
import dev.dukequeue.engine.job.Lease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.function.IntToLongFunction;

/**
 * The fenced release of a RUNNING job at its node's shutdown, with the release limit: a job may be given back without
 * charging its attempt {@code maxReleases} times ({@code dq_job.release_count} counts them); after that a release
 * charges the attempt, through the same fenced failure path as a failed attempt. Without the limit a job whose
 * handler always outlives the drain, or a node in a restart loop, would bounce the job for ever without it ever
 * using an attempt. Runs inside the store's transaction; only {@link JdbcJobStore} calls it.
 */
final class Releases {

    /** The release statement moves a RUNNING row back to SCHEDULED: the transition table must allow it (checked once). */
    static final JobState RELEASED = JobTransitions.target(JobState.RUNNING, JobEvent.RELEASE);

    private Releases() {
    }

    static ReleaseOutcome release(Connection c, JobSql q, Lease lease, String reason, int maxReleases,
            IntToLongFunction backoffMs) throws SQLException {
        String id = lease.jobId().toString();
        try (PreparedStatement ps = c.prepareStatement(q.release)) {
            ps.setString(1, id);
            ps.setString(2, lease.token());
            ps.setInt(3, maxReleases);
            if (ps.executeUpdate() > 0) {
                Outcomes.recordEndedAttempt(c, q, lease.jobId(), lease.owner(), lease.runNo(), 1,
                        Failure.observed(AttemptOutcome.RELEASED, ErrorCategory.SYSTEM, reason));
                return ReleaseOutcome.RELEASED;
            }
        }
        // 0 rows: the lease was lost (rescued, cancelled, taken over), or the job has used its free releases.
        int released;
        int attempt;
        int maxAttempts;
        try (PreparedStatement ps = c.prepareStatement(q.selectReleaseLimitForUpdate)) {
            ps.setString(1, id);
            ps.setString(2, lease.token());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return ReleaseOutcome.LEASE_LOST;
                }
                released = rs.getInt(1);
                attempt = rs.getInt(2);
                maxAttempts = rs.getInt(3);
            }
        }
        boolean exhausted = attempt >= maxAttempts;
        JobEvent event = exhausted ? JobEvent.EXHAUST : JobEvent.FAIL_RETRYABLE;
        String message = "released " + (released + 1) + " times without finishing (limit dukequeue.release.max="
                + maxReleases + "): this attempt is charged" + (exhausted ? " and it was the last" : "") + "; "
                + reason;
        try (PreparedStatement ps = c.prepareStatement(q.countChargedRelease)) {
            ps.setString(1, id);
            ps.setString(2, lease.token());
            ps.executeUpdate(); // under the row lock taken above: the fence holds
        }
        // The row lock is ours, so the fence cannot fail here; checking it keeps the rule uniform.
        if (!Outcomes.leaveRunning(c, q, lease.jobId(), lease.owner(), lease.token(), lease.runNo(), event,
                Failure.observed(AttemptOutcome.RELEASED, ErrorCategory.SYSTEM, message),
                backoffMs.applyAsLong(attempt))) {
            return ReleaseOutcome.LEASE_LOST;
        }
        return exhausted ? ReleaseOutcome.CHARGED_DEAD_LETTER : ReleaseOutcome.CHARGED_RETRY;
    }
}
