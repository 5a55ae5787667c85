package dev.dukequeue.sample;

import dev.dukequeue.JobId;
import dev.dukequeue.JobQueue;
import dev.dukequeue.JobReceipt;
import dev.dukequeue.JobRequest;
import jakarta.annotation.Resource;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Places orders: stores the order and submits its confirmation job in the caller's (or a new) container-managed
 * transaction. Both commit together or neither does: {@link JobQueue#submit} joins the transaction, and the order is
 * written through the same data source. No XA: one database, one connection per transaction.
 */
@Stateless
public class OrderService {

    /** The job type of the confirmation. */
    public static final String CONFIRMATION = "sample.order-confirmation";

    @Inject
    JobQueue jobs;

    @EJB
    OrderTable table;

    @Resource(lookup = "java:app/jdbc/dukequeue")
    DataSource dataSource;

    /**
     * Stores the order and submits its confirmation (idempotency key {@code order:<id>}: calling again with the same
     * order after an unclear outcome does not submit a second job, and fails on the order's primary key instead).
     *
     * @return the confirmation job's id
     * @throws OrderRejectedException (rolling back) if {@code rejectAfterSubmit} is true, after both writes: shows
     *                                that neither the order nor the job survives a rollback
     */
    public JobId place(Order order, boolean rejectAfterSubmit) {
        table.ensure();
        JobReceipt receipt = jobs.submit(JobRequest.builder(CONFIRMATION)
                .queue("sample")
                .idempotencyKey("order:" + order.id())
                .payload(new OrderConfirmation(order.id(), order.customer()))
                .maxAttempts(5)
                .build());
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO sample_order (id, customer, cents, job_id) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, order.id());
            ps.setString(2, order.customer());
            ps.setLong(3, order.cents());
            ps.setString(4, receipt.id().toString());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store order " + order.id() + ": " + e.getMessage(), e);
        }
        if (rejectAfterSubmit) {
            throw new OrderRejectedException("order " + order.id() + " rejected after its job was submitted");
        }
        return receipt.id();
    }

    /** @return when the order's confirmation was sent, if it was; empty also for an unknown order */
    public Optional<java.time.Instant> confirmedAt(String orderId) {
        table.ensure();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT confirmed_at FROM sample_order WHERE id = ?")) {
            ps.setString(1, orderId);
            try (var rs = ps.executeQuery()) {
                return rs.next() && rs.getTimestamp(1) != null ? Optional.of(rs.getTimestamp(1).toInstant())
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read order " + orderId + ": " + e.getMessage(), e);
        }
    }

    /** @return true if the order is stored */
    public boolean exists(String orderId) {
        table.ensure();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM sample_order WHERE id = ?")) {
            ps.setString(1, orderId);
            try (var rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read order " + orderId + ": " + e.getMessage(), e);
        }
    }
}
