package dev.dukequeue.it.connector;

import dev.dukequeue.it.connector.appa.Orders;
import dev.dukequeue.it.connector.appb.RecordingBean;
import dev.dukequeue.it.connector.bench.NoOpBean;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

/**
 * The two applications deployed next to {@code dukequeue.rar}, built from this module's test classes, and the tables
 * they write. Neither WAR holds queue-api (nor any library): they see it through the connector's class loader, as
 * real applications must.
 */
final class ConnectorApps {

    /** The submitter, deployed at {@code /app-a}. */
    static final String SUBMITTER = "app-a.war";
    /** The message-driven beans. */
    static final String HANDLERS = "app-b.war";

    private ConnectorApps() {
    }

    /** Writes both WARs into {@code dir}. @return their files, in deployment order */
    static java.util.List<Path> export(Path dir) {
        Path submitter = dir.resolve(SUBMITTER);
        ShrinkWrap.create(WebArchive.class, SUBMITTER).addPackage(Orders.class.getPackage())
                .as(ZipExporter.class).exportTo(submitter.toFile(), true);
        Path handlers = dir.resolve(HANDLERS);
        ShrinkWrap.create(WebArchive.class, HANDLERS).addPackage(RecordingBean.class.getPackage())
                .as(ZipExporter.class).exportTo(handlers.toFile(), true);
        return java.util.List.of(submitter, handlers);
    }

    /** Writes {@code app-x.war} (deployed at {@code /app-x}: its rows in {@code jdbc/appdb}) into {@code dir}. */
    static Path exportXa(Path dir) {
        Path war = dir.resolve("app-x.war");
        ShrinkWrap.create(WebArchive.class, "app-x.war").addPackage(dev.dukequeue.it.connector.appx.XaOrders.class
                .getPackage()).as(ZipExporter.class).exportTo(war.toFile(), true);
        return war;
    }

    /**
     * Writes {@code bench.war} (deployed at {@code /bench}) into {@code dir}: the benchmark's no-op bean, its
     * {@code maxConcurrency} set to {@code maxConcurrency} by the WAR's {@code ejb-jar.xml} (a descriptor's activation
     * property overrides the annotation's), and the servlet that submits, pauses and resumes.
     *
     * @return the WAR's file
     */
    static Path exportBenchmark(Path dir, int maxConcurrency) {
        String ejbJar = """
                <ejb-jar xmlns="https://jakarta.ee/xml/ns/jakartaee"
                         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                         xsi:schemaLocation="https://jakarta.ee/xml/ns/jakartaee https://jakarta.ee/xml/ns/jakartaee/ejb-jar_4_0.xsd"
                         version="4.0">
                  <enterprise-beans>
                    <message-driven>
                      <ejb-name>NoOpBean</ejb-name>
                      <activation-config>
                        <activation-config-property>
                          <activation-config-property-name>maxConcurrency</activation-config-property-name>
                          <activation-config-property-value>%d</activation-config-property-value>
                        </activation-config-property>
                      </activation-config>
                    </message-driven>
                  </enterprise-beans>
                </ejb-jar>
                """.formatted(maxConcurrency);
        Path war = dir.resolve("bench.war");
        ShrinkWrap.create(WebArchive.class, "bench.war").addPackage(NoOpBean.class.getPackage())
                .addAsWebInfResource(new StringAsset(ejbJar), "ejb-jar.xml")
                .as(ZipExporter.class).exportTo(war.toFile(), true);
        return war;
    }

    /**
     * The applications' own tables, next to DukeQueue's (which the adapter creates): app-a's orders, and app-b's
     * effects, one row per delivery that committed (no key on the job, so that a duplicate shows).
     */
    static void createTables(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE app_a_orders (id VARCHAR(36) PRIMARY KEY)");
            s.executeUpdate("CREATE TABLE app_b_effects (job_id VARCHAR(36) NOT NULL, attempt INTEGER NOT NULL, "
                    + "bean VARCHAR(40) NOT NULL, recorded_at TIMESTAMPTZ NOT NULL DEFAULT now())");
        }
    }
}
