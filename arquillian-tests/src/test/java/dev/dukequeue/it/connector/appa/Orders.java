package dev.dukequeue.it.connector.appa;

import dev.dukequeue.JobQueueConnection;
import dev.dukequeue.JobQueueConnectionFactory;
import dev.dukequeue.JobRequest;
import jakarta.annotation.Resource;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.json.Json;
import jakarta.resource.ConnectionFactoryDefinition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;

/**
 * Places orders: the order row (table {@code app_a_orders}) and the job that carries its id, in one container-managed
 * transaction. The row goes through the same server JDBC resource the adapter stores its jobs in, so both commit or
 * roll back together without XA.
 */
@Stateless
@ConnectionFactoryDefinition(name = "java:app/env/jobs", interfaceName = "dev.dukequeue.JobQueueConnectionFactory",
        resourceAdapter = "dukequeue")
public class Orders {

    @Resource(lookup = "java:app/env/jobs")
    JobQueueConnectionFactory jobs;

    @Resource(lookup = "jdbc/dukequeue")
    DataSource database;

    @Resource
    SessionContext context;

    /** Takes a connection and gives it back: throws QueueUnavailableException while the adapter's engine is not ready. */
    public void checkQueue() {
        try (JobQueueConnection queue = jobs.getConnection()) {
            // nothing to do: getConnection() is what refuses
        }
    }

    /**
     * Writes an order and submits its job; with {@code commit} false the transaction is then marked rollback-only, so
     * that neither may survive.
     *
     * @return the order's id and the job's id, as the transaction saw them
     */
    public Placed place(String type, String marker, int maxAttempts, boolean commit) {
        return place(jobs, type, marker, maxAttempts, commit);
    }

    /**
     * As {@link #place}, through the connection factory bound at {@code factoryName} in the server's JNDI (one an
     * administrator created, such as {@code jca/dukequeue} made by {@code asadmin create-connector-resource}) instead
     * of the application's own definition. Looked up at each call, so that a server without it fails only this call.
     */
    public Placed placeThrough(String factoryName, String type, String marker, int maxAttempts, boolean commit) {
        JobQueueConnectionFactory factory;
        try {
            factory = (JobQueueConnectionFactory) new InitialContext().lookup(factoryName);
        } catch (NamingException e) {
            throw new IllegalStateException("no connection factory at " + factoryName + ": " + e.getMessage(), e);
        }
        return place(factory, type, marker, maxAttempts, commit);
    }

    private Placed place(JobQueueConnectionFactory factory, String type, String marker, int maxAttempts,
            boolean commit) {
        String order = UUID.randomUUID().toString();
        // The connection first: while the queue is unavailable that refusal is the answer, not a failed insert.
        try (JobQueueConnection queue = factory.getConnection()) {
            try (Connection c = database.getConnection();
                    PreparedStatement ps = c.prepareStatement("INSERT INTO app_a_orders (id) VALUES (?)")) {
                ps.setString(1, order);
                ps.executeUpdate();
            } catch (SQLException e) {
                // A runtime exception, so that the container rolls the transaction back (a checked one would commit).
                throw new IllegalStateException("order " + order + " not written: " + e.getMessage(), e);
            }
            String payload = Json.createObjectBuilder().add("order", order).add("marker", marker).build().toString();
            String job = queue.submit(JobRequest.builder(type).payloadJson(payload).maxAttempts(maxAttempts).build())
                    .id().toString();
            if (!commit) {
                context.setRollbackOnly();
            }
            return new Placed(order, job);
        }
    }

    /** What {@link #place} wrote (or, after a rollback, would have written). */
    public record Placed(String order, String job) {
    }
}
