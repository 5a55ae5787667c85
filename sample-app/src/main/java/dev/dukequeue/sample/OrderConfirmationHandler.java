package dev.dukequeue.sample;

import dev.dukequeue.HandlesJob;
import dev.dukequeue.JobContext;
import dev.dukequeue.JobHandler;
import dev.dukequeue.TemporaryJobException;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Runs {@code sample.order-confirmation} jobs on DukeQueue's workers: "sends" the confirmation (a log line here) and
 * records it on the order. Idempotent, as every handler should be: a job whose node dies after the update but before
 * its outcome is stored runs again, and the update then changes nothing.
 */
@ApplicationScoped
@HandlesJob(OrderService.CONFIRMATION)
public class OrderConfirmationHandler implements JobHandler<OrderConfirmation> {

    private static final Logger LOG = Logger.getLogger(OrderConfirmationHandler.class.getName());

    @Resource(lookup = "java:app/jdbc/dukequeue")
    DataSource dataSource;

    @Override
    public Object handle(OrderConfirmation confirmation, JobContext context) {
        LOG.info(() -> "confirming order " + confirmation.orderId() + " to " + confirmation.customer()
                + " (attempt " + context.attempt() + ")");
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE sample_order SET confirmed_at = CURRENT_TIMESTAMP"
                     + " WHERE id = ? AND confirmed_at IS NULL")) {
            ps.setString(1, confirmation.orderId());
            int changed = ps.executeUpdate();
            return Json.createObjectBuilder().add("orderId", confirmation.orderId())
                    .add("confirmedTo", confirmation.customer()).add("firstTime", changed == 1).build();
        } catch (SQLException e) {
            throw new TemporaryJobException("cannot record the confirmation of order " + confirmation.orderId(), e);
        }
    }
}
