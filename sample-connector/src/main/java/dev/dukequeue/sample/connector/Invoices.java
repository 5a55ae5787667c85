package dev.dukequeue.sample.connector;

import dev.dukequeue.JobId;
import dev.dukequeue.JobQueueConnection;
import dev.dukequeue.JobRequest;
import jakarta.annotation.Resource;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.resource.ConnectionFactoryDefinition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Issues invoices: the invoice row and the job that sends it, in one container-managed transaction. The row is written
 * through the server's JDBC resource that DukeQueue's adapter also uses, so both commit together without XA; with the
 * invoices in another database, that resource must be an XA data source (see docs/deployment.md).
 *
 * <p>The connection factory is declared by the application itself; a server administrator can instead create it with
 * {@code asadmin create-connector-connection-pool} and {@code create-connector-resource}.
 */
@Stateless
@ConnectionFactoryDefinition(name = "java:app/env/dukequeue", interfaceName = "dev.dukequeue.JobQueueConnectionFactory",
        resourceAdapter = "dukequeue")
public class Invoices {

    /** The job type {@link InvoiceSender} runs. */
    public static final String SEND = "sample.invoice-send";

    @Inject
    JobQueueConnection jobs; // from JobQueues: one connection per request, closed with it

    @Resource(lookup = "jdbc/dukequeue")
    DataSource database;

    /**
     * @return the new invoice's id and its job's id
     */
    public Issued issue(String customer, long cents) throws SQLException {
        if (customer == null || customer.isBlank() || customer.length() > 100) {
            throw new IllegalArgumentException("customer must be 1..100 characters");
        }
        if (cents < 1 || cents > 100_000_000_00L) {
            throw new IllegalArgumentException("cents must be 1..10000000000");
        }
        String invoice = UUID.randomUUID().toString();
        try (Connection c = database.getConnection();
                PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO sample_invoice (id, customer, cents) VALUES (?, ?, ?)")) {
            ps.setString(1, invoice);
            ps.setString(2, customer);
            ps.setLong(3, cents);
            ps.executeUpdate();
        }
        JobId job = jobs.submit(JobRequest.builder(SEND).payloadJson("{\"invoice\":\"" + invoice + "\"}")
                .idempotencyKey("invoice:" + invoice).build()).id();
        return new Issued(invoice, job.toString());
    }

    /** What {@link #issue} created. */
    public record Issued(String invoice, String job) {
    }
}
