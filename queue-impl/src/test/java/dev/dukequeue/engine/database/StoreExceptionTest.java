package dev.dukequeue.engine.database;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class StoreExceptionTest {

    @Test
    void aFailedBatchIsDescribedByTheServersErrorNotByItsStatementWithEveryPayload() {
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT INTO dq_job VALUES ('"
                + "x".repeat(100_000) + "') was aborted", "53100", new int[0]);
        batch.setNextException(new SQLException("ERROR: could not extend file \"base/1/2\": No space left on device",
                "53100"));
        StoreException e = new StoreException("insert of 50 job(s)", batch);
        assertThat(e.getMessage()).isEqualTo("job store: insert of 50 job(s) failed: ERROR: could not extend file"
                + " \"base/1/2\": No space left on device");
        assertThat(StoreException.diskFull(e)).isTrue();
    }

    @Test
    void longMessagesAreCutAtTheLimit() {
        StoreException e = new StoreException("x", new SQLException("y".repeat(StoreException.MAX_MESSAGE + 1)));
        assertThat(e.getMessage()).endsWith("y".repeat(StoreException.MAX_MESSAGE) + "...");
        assertThat(new StoreException("x", new SQLException("y".repeat(StoreException.MAX_MESSAGE))).getMessage())
                .endsWith("y".repeat(StoreException.MAX_MESSAGE));
    }

    @Test
    void diskFullIsRecognisedOnEachDatabaseAndNothingElseIs() {
        assertThat(StoreException.diskFull(new StoreException("a", new SQLException("disk full", "53100")))).isTrue();
        assertThat(StoreException.diskFull(new SQLException("Disk full", "HY000", 1021))).isTrue();
        assertThat(StoreException.diskFull(new SQLException("The table 'dq_job' is full", "HY000", 1114))).isTrue();
        assertThat(StoreException.diskFull(new RuntimeException(new SQLException(
                "IO Exception: \"No space left on device\"", "90028")))).isTrue();
        assertThat(StoreException.diskFull(new SQLException("connection refused", "08001"))).isFalse();
        assertThat(StoreException.diskFull(new SQLException("out of memory", "53200"))).isFalse();
        assertThat(StoreException.diskFull(new SQLException("lock wait", "HY000", 1205))).isFalse();
        assertThat(StoreException.diskFull(new RuntimeException("no SQL at all"))).isFalse();
    }
}
