package dev.dukequeue.it.connector;

import dev.dukequeue.it.connector.appa.Orders;
import dev.dukequeue.it.connector.appb.FailingBean;
import dev.dukequeue.it.connector.appb.PacedRecordingBean;
import dev.dukequeue.it.connector.appb.RecordingBean;
import dev.dukequeue.it.connector.appb.RollbackOnceBean;
import dev.dukequeue.it.connector.appb.StopAwareBean;
import dev.dukequeue.it.connector.appe.EarOrders;
import dev.dukequeue.it.connector.bench.NoOpBean;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.exporter.ZipExporter;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
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

    /** The EAR's application name ({@code application.xml}; also the name it is deployed under). */
    static final String EAR_APPLICATION = "dqapps";

    /**
     * Writes {@code dukequeue-apps.ear} into {@code dir}: {@code rar} as its connector module {@code dukequeue.rar}, a
     * submitter at {@code /app-a} ({@code appe}: its connection factory defined on {@link EarOrders#ADAPTER}) and
     * app-b's beans at {@code /app-b}. app-b's annotations name the standalone adapter {@code dukequeue}; this copy's
     * {@code glassfish-ejb-jar.xml} points each bean at {@code adapter} instead with {@code <resource-adapter-mid>}. An
     * {@code ejb-jar.xml} activation property {@code resourceAdapter} does not: Payara 6.2025.9 still looked for
     * "dukequeue" ("MDB00017: [RecordingBean]: ... Resource adapter dukequeue is not deployed"). No module holds
     * queue-api: the connector module provides it to the others.
     *
     * @param adapter the module id the beans give the embedded adapter ({@code #dukequeue} or {@code dqapps#dukequeue})
     * @return the EAR's file
     */
    static Path exportEar(Path dir, Path rar, String adapter) {
        StringBuilder beans = new StringBuilder();
        for (Class<?> bean : java.util.List.of(RecordingBean.class, FailingBean.class,
                PacedRecordingBean.class, RollbackOnceBean.class, StopAwareBean.class,
                dev.dukequeue.it.connector.appb.QueueBoundBean.class)) {
            beans.append("""
                      <ejb>
                        <ejb-name>%s</ejb-name>
                        <mdb-resource-adapter>
                          <resource-adapter-mid>%s</resource-adapter-mid>
                        </mdb-resource-adapter>
                      </ejb>
                    """.formatted(bean.getSimpleName(), adapter));
        }
        String glassfishEjbJar = """
                <!DOCTYPE glassfish-ejb-jar PUBLIC "-//GlassFish.org//DTD GlassFish Application Server 3.1 EJB 3.1//EN"
                        "http://glassfish.org/dtds/glassfish-ejb-jar_3_1-1.dtd">
                <glassfish-ejb-jar>
                  <enterprise-beans>
                %s  </enterprise-beans>
                </glassfish-ejb-jar>
                """.formatted(beans);
        String applicationXml = """
                <application xmlns="https://jakarta.ee/xml/ns/jakartaee"
                             xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                             xsi:schemaLocation="https://jakarta.ee/xml/ns/jakartaee https://jakarta.ee/xml/ns/jakartaee/application_10.xsd"
                             version="10">
                  <application-name>%s</application-name>
                  <module><connector>dukequeue.rar</connector></module>
                  <module><web><web-uri>app-a.war</web-uri><context-root>/app-a</context-root></web></module>
                  <module><web><web-uri>app-b.war</web-uri><context-root>/app-b</context-root></web></module>
                </application>
                """.formatted(EAR_APPLICATION);
        WebArchive submitter = ShrinkWrap.create(WebArchive.class, SUBMITTER)
                .addPackage(EarOrders.class.getPackage());
        WebArchive handlers = ShrinkWrap.create(WebArchive.class, HANDLERS).addPackage(RecordingBean.class.getPackage())
                .addAsWebInfResource(new StringAsset(glassfishEjbJar), "glassfish-ejb-jar.xml");
        Path ear = dir.resolve("dukequeue-apps.ear");
        ShrinkWrap.create(EnterpriseArchive.class, "dukequeue-apps.ear").setApplicationXML(new StringAsset(applicationXml))
                .addAsModule(rar.toFile(), "dukequeue.rar").addAsModule(submitter).addAsModule(handlers)
                .as(ZipExporter.class).exportTo(ear.toFile(), true);
        return ear;
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
