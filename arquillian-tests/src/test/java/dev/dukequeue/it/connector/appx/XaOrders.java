package dev.dukequeue.it.connector.appx;

import dev.dukequeue.JobQueueConnection;
import dev.dukequeue.JobQueueConnectionFactory;
import dev.dukequeue.JobRequest;
import jakarta.annotation.Resource;
import jakarta.ejb.SessionContext;
import jakarta.ejb.Stateless;
import jakarta.resource.ConnectionFactoryDefinition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Writes an order into the application's own database and submits its job through the adapter, in one container
 * transaction over two XA resources. The order's {@code code} is unique by a constraint checked only at commit
 * ({@code DEFERRABLE INITIALLY DEFERRED}): a taken code makes the application database's branch fail at prepare,
 * after the job was written in the other database's branch, which two-phase commit must then roll back.
 */
@Stateless
@ConnectionFactoryDefinition(name = "java:app/env/jobs", interfaceName = "dev.dukequeue.JobQueueConnectionFactory",
        resourceAdapter = "dukequeue")
public class XaOrders {

    @Resource(lookup = "java:app/env/jobs")
    JobQueueConnectionFactory jobs;

    @Resource(lookup = "jdbc/appdb")
    DataSource appDb;

    @Resource
    SessionContext context;

    /** @return the order's id; the job carries it in its payload ({@code {"order": id}}) */
    public String place(String type, String code, boolean commit) throws SQLException {
        String order = UUID.randomUUID().toString();
        try (Connection c = appDb.getConnection();
                PreparedStatement ps = c.prepareStatement("INSERT INTO xa_orders (id, code) VALUES (?, ?)")) {
            ps.setString(1, order);
            ps.setString(2, code);
            ps.executeUpdate();
        }
        try (JobQueueConnection queue = jobs.getConnection()) {
            queue.submit(JobRequest.builder(type).payloadJson("{\"order\":\"" + order + "\"}").build());
        }
        if (!commit) {
            context.setRollbackOnly();
        }
        return order;
    }
}
