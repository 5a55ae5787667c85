package dev.dukequeue.web;

import jakarta.annotation.sql.DataSourceDefinition;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.WebListener;

/**
 * Declares the engine's database {@code java:app/jdbc/dukequeue} for the stand-alone WAR (Payara Micro and the runnable
 * jar). Not in {@code glassfish-resources.xml}, which breaks {@code /metrics} on Payara (platform notes, pitfall 3).
 * {@code ConfiguredDataSource} reads {@code dukequeue.db.url} / user / password through MicroProfile Config and
 * defaults to an H2 file database in {@code dukequeue.data.dir}.
 *
 * <p>The WAR that goes into the EAR ({@code admin-web-<version>-ear.war}) leaves this class out: there the EAR's
 * {@code application.xml} declares the same name, once for the whole application.
 */
@DataSourceDefinition(
        name = "java:app/jdbc/dukequeue",
        className = "dev.dukequeue.engine.database.ConfiguredDataSource",
        properties = {
            "fish.payara.is-connection-validation-required=true",
            "fish.payara.connection-validation-method=meta-data",
            "fish.payara.fail-all-connections=true"
        },
        transactional = true,
        initialPoolSize = 0,
        minPoolSize = 0,
        maxPoolSize = 32,
        maxIdleTime = 300)
@WebListener
public class MicroDataSource implements ServletContextListener {
}
