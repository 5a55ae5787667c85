package dev.dukequeue.sample.connector;

import dev.dukequeue.JobQueueConnection;
import dev.dukequeue.JobQueueConnectionFactory;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.RequestScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;

/**
 * A CDI producer for the adapter's connections: {@code @Inject JobQueueConnection} in any bean of this application
 * gets one per request (or per EJB call outside a web request), given back to the server's pool when the request ends.
 */
@ApplicationScoped
public class JobQueues {

    @Resource(lookup = "java:app/env/dukequeue")
    JobQueueConnectionFactory factory;

    @Produces
    @RequestScoped
    JobQueueConnection connection() {
        return factory.getConnection();
    }

    void close(@Disposes JobQueueConnection connection) {
        connection.close();
    }
}
