package dev.dukequeue.it.connector.appe;

import dev.dukequeue.JobQueueConnection;
import dev.dukequeue.JobQueueConnectionFactory;
import dev.dukequeue.JobRequest;
import jakarta.annotation.PostConstruct;
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
 * Places orders as app-a's {@code Orders} does (the row in {@code app_a_orders} and the job that carries its id, in one
 * container-managed transaction, both through the server's {@code jdbc/dukequeue}), through a connection factory of
 * the adapter embedded in the same EAR: {@code "#dukequeue"} is the connector module {@code dukequeue.rar} of this
 * application, whatever name the application is deployed under.
 */
@Stateless
@ConnectionFactoryDefinition(name = EarOrders.FACTORY, interfaceName = "dev.dukequeue.JobQueueConnectionFactory",
        resourceAdapter = EarOrders.ADAPTER)
public class EarOrders {

    /** The embedded adapter, as modules of its own application name it. */
    public static final String ADAPTER = "#dukequeue";
    static final String FACTORY = "java:app/env/jobs";

    /**
     * Looked up, not injected: inside the EAR, Payara 6.2025.9 refuses a {@code @Resource} field of this type at
     * deployment ("Naming binding already exists for ...EarOrders/jobs": EnvEntriesValidator.validateResEnvRefs meets
     * the field again as a resource environment reference after binding it as a resource reference).
     */
    private JobQueueConnectionFactory jobs;

    @Resource(lookup = "jdbc/dukequeue")
    DataSource database;

    @Resource
    SessionContext context;

    @PostConstruct
    void lookUpFactory() {
        try {
            jobs = InitialContext.doLookup(FACTORY);
        } catch (NamingException e) {
            throw new IllegalStateException("no connection factory at " + FACTORY + ": " + e.getMessage(), e);
        }
    }

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
        String order = UUID.randomUUID().toString();
        // The connection first: while the queue is unavailable that refusal is the answer, not a failed insert.
        try (JobQueueConnection queue = jobs.getConnection()) {
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
