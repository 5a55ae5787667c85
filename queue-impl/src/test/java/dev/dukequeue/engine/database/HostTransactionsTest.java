package dev.dukequeue.engine.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dukequeue.engine.database.TransactionBoundary.Attribute;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Supplier;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * The store's transactions in the hand-built host ({@link HostTransactions}), on H2: what commits together, what
 * rolls back together, when the caller's JTA transaction is joined and when it is stepped out of.
 */
class HostTransactionsTest {

    private final JdbcDataSource h2 = new JdbcDataSource();
    private final LocalTransactions local;
    private boolean jtaActive;
    private final List<String> suspended = new ArrayList<>();
    private final HostTransactions transactions;

    HostTransactionsTest() throws SQLException {
        h2.setURL("jdbc:h2:mem:host-tx-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (n INT)");
        }
        local = new LocalTransactions(h2);
        transactions = new HostTransactions(local, new HostTransactions.Jta() {
            @Override
            public boolean transactionActive() {
                return jtaActive;
            }

            @Override
            public <T> T outsideTransaction(Supplier<T> work) {
                suspended.add("suspended");
                return work.get();
            }
        });
    }

    /** Two statements on the store's data source (the LocalTransactions), then maybe a failure. */
    private Supplier<Boolean> twoInserts(boolean fail) {
        return () -> {
            insert(1);
            insert(2);
            if (fail) {
                throw new StoreException("second statement", new SQLException("failed"));
            }
            return local.bound();
        };
    }

    private void insert(int n) {
        try (Connection c = local.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("INSERT INTO t VALUES (" + n + ")");
        } catch (SQLException e) {
            throw new StoreException("insert", e);
        }
    }

    private long rows() throws SQLException {
        try (Connection c = h2.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM t")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void withoutJtaEveryAttributeRunsItsStatementsInOneLocalTransaction() throws SQLException {
        for (Attribute attribute : Attribute.values()) {
            assertThat(transactions.run(attribute, twoInserts(false))).as(attribute + " ran bound").isTrue();
        }
        assertThat(rows()).isEqualTo(8);
    }

    @Test
    void aFailureRollsBackEveryStatementOfTheOperation() throws SQLException {
        assertThatThrownBy(() -> transactions.run(Attribute.REQUIRES_NEW, twoInserts(true)))
                .isInstanceOf(StoreException.class);

        assertThat(rows()).isZero();
    }

    @Test
    void anOperationInsideALocalTransactionRunsOnItsConnectionInsteadOfNesting() throws SQLException {
        assertThatThrownBy(() -> local.inTransaction(() -> {
            transactions.run(Attribute.REQUIRES_NEW, twoInserts(false));
            throw new IllegalStateException("the outer work fails");
        })).hasMessage("the outer work fails");

        assertThat(rows()).as("rolled back with the outer transaction").isZero();
    }

    @Test
    void withJtaActiveJoiningAttributesJoinAndTheOthersStepOutOfIt() {
        jtaActive = true;

        assertThat(transactions.run(Attribute.REQUIRED, twoInserts(false))).as("no local transaction").isFalse();
        assertThat(transactions.run(Attribute.SUPPORTS, twoInserts(false))).isFalse();
        assertThat(suspended).isEmpty();

        assertThat(transactions.run(Attribute.REQUIRES_NEW, twoInserts(false))).as("a local one").isTrue();
        assertThat(transactions.run(Attribute.NOT_SUPPORTED, twoInserts(false))).isTrue();
        assertThat(suspended).hasSize(2);
    }
}
