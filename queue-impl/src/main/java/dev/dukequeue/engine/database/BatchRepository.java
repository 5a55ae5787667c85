package dev.dukequeue.engine.database;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * The one statement DukeQueue runs against the batch runtime's job repository (Payara's JBatch tables, not DukeQueue's
 * schema): marking an execution that a dead JVM left running as FAILED, which the Jakarta Batch API cannot do, so
 * that {@code JobOperator.restart} accepts it. The job's and step's checkpoints are left as they are.
 */
public final class BatchRepository {

    private BatchRepository() {
    }

    /**
     * @param lookup the repository's data source (JNDI name, as in {@code batch-runtime-configuration})
     * @param prefix the repository's table prefix ({@code jbatch} on Payara)
     * @return true if the execution's row changed
     * @throws IllegalStateException if the repository cannot be reached
     */
    public static boolean markFailed(String lookup, String prefix, long execution, String reason) {
        if (!prefix.matches("[A-Za-z0-9_]*")) {
            throw new IllegalStateException("the batch table prefix must be letters, digits and _, got " + prefix);
        }
        try {
            DataSource repository = (DataSource) new InitialContext().lookup(lookup);
            try (Connection c = repository.getConnection()) {
                int changed;
                try (PreparedStatement ps = c.prepareStatement(DatabaseSql.markExecutionFailed(prefix))) {
                    ps.setString(1, reason.length() > 500 ? reason.substring(0, 500) : reason);
                    ps.setLong(2, execution);
                    changed = ps.executeUpdate();
                }
                try (PreparedStatement ps = c.prepareStatement(DatabaseSql.markStepsFailed(prefix))) {
                    ps.setLong(1, execution);
                    ps.executeUpdate();
                }
                if (!c.getAutoCommit()) {
                    c.commit();
                }
                return changed > 0;
            }
        } catch (NamingException | SQLException e) {
            throw new IllegalStateException("cannot mark batch execution " + execution + " FAILED in the job repository "
                    + lookup + " (tables " + prefix + "EXECUTIONINSTANCEDATA...): " + e, e);
        }
    }
}
