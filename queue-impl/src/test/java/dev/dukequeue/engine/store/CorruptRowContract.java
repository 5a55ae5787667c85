package dev.dukequeue.engine.store;

import static dev.dukequeue.engine.store.JobFixtures.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dukequeue.JobId;
import dev.dukequeue.JobState;
import dev.dukequeue.engine.job.ClaimedJob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Playbook scenario 3, corrupt data, at the schema, on every supported database: what the schema can refuse it refuses,
 * whoever writes it (an unknown state, NULL in a column the engine reads, values out of their range, a RUNNING job
 * without a lease), so such rows can never reach the engine. What it cannot refuse (a payload or a checkpoint that is
 * not JSON: the columns are text) the store hands over as it is, and the dispatcher fails that job
 * ({@code DispatcherCorruptRowTest}).
 */
abstract class CorruptRowContract extends StoreFixture {

    /** Each a corruption of one job row, written behind the engine's back; the one {@code ?} is the job id. */
    @ParameterizedTest
    @ValueSource(strings = {
            "UPDATE dq_job SET state = 'BOGUS' WHERE id = ?",
            "UPDATE dq_job SET state = NULL WHERE id = ?",
            "UPDATE dq_job SET type = NULL WHERE id = ?",
            "UPDATE dq_job SET queue = NULL WHERE id = ?",
            "UPDATE dq_job SET payload = NULL WHERE id = ?",
            "UPDATE dq_job SET run_at = NULL WHERE id = ?",
            "UPDATE dq_job SET timeout_ms = NULL WHERE id = ?",
            "UPDATE dq_job SET priority = 9 WHERE id = ?",
            "UPDATE dq_job SET max_attempts = 0 WHERE id = ?",
            "UPDATE dq_job SET attempt = max_attempts + 1 WHERE id = ?",
            "UPDATE dq_job SET state = 'RUNNING' WHERE id = ?",
            "UPDATE dq_job SET state = 'COMPLETED' WHERE id = ?",
            "UPDATE dq_job SET last_error_category = 'BOGUS' WHERE id = ?",
            "UPDATE dq_job SET progress_percent = 101 WHERE id = ?"})
    void theSchemaRefusesARowTheEngineCouldNotHaveWritten(String corruption) {
        JobId id = submit(aJob().build()).id();

        assertThatThrownBy(() -> write(corruption, id)).isInstanceOf(SQLException.class);

        assertThat(stateOf(id)).as("the row is as it was").isEqualTo(JobState.SCHEDULED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "{\"a\":", ""})
    void aPayloadThatIsNotJsonIsClaimedAsItIsForTheDispatcherToFail(String corrupt) throws SQLException {
        JobId id = submit(aJob().build()).id();
        write("UPDATE dq_job SET payload = '" + corrupt.replace("'", "''") + "' WHERE id = ?", id);

        List<ClaimedJob> claimed = claim(1);

        assertThat(claimed).singleElement().satisfies(j -> assertThat(j.payloadJson()).isEqualTo(corrupt));
    }

    private void write(String sql, JobId id) throws SQLException {
        try (Connection c = database().getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, id.toString());
            ps.executeUpdate();
        }
    }
}
