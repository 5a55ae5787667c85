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

    @Test
    void aPoolProxysWrappedDriverFailureIsTheDriversFailure() {
        SQLException closed = new SQLException("This connection has been closed.", "08003");
        java.lang.reflect.UndeclaredThrowableException wrapped = new java.lang.reflect.UndeclaredThrowableException(
                new java.lang.reflect.InvocationTargetException(closed));
        StoreException e = new StoreException("claim", wrapped);
        assertThat(e).hasMessage("job store: claim failed: This connection has been closed.").hasCause(closed);
    }

    @Test
    void aLocalTransactionOnAConnectionWhosePoolProxyThrowsUndeclaredFailsAsAStoreFailure() {
        SQLException closed = new SQLException("This connection has been closed.", "08003");
        java.sql.Connection dead = (java.sql.Connection) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {java.sql.Connection.class}, (proxy, method, args) -> {
                    if (method.getName().equals("close")) {
                        return null;
                    }
                    // what Payara's SQL-trace proxy does: the driver's SQLException, undeclared
                    throw new java.lang.reflect.InvocationTargetException(closed);
                });
        javax.sql.DataSource pool = (javax.sql.DataSource) java.lang.reflect.Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {javax.sql.DataSource.class},
                (proxy, method, args) -> method.getName().equals("getConnection") ? dead : null);
        LocalTransactions local = new LocalTransactions(pool);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> local.inTransaction(() -> 1))
                .isInstanceOf(StoreException.class).hasCause(closed);
    }
}
