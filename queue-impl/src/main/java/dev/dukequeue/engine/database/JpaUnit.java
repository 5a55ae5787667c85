package dev.dukequeue.engine.database;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.Persistence;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import javax.sql.DataSource;

/**
 * The engine's JPA persistence unit ({@code META-INF/dukequeue-persistence.xml}), bootstrapped on first use instead of
 * at deployment: Payara validates container-managed units at deploy time by connecting to the database, and DukeQueue
 * must deploy, wait and report not-ready while its database is down. The unit uses the same JTA data source;
 * an entity manager created inside a JTA transaction joins it. Thread-safe.
 */
@ApplicationScoped
public class JpaUnit {

    @Resource(lookup = "java:app/jdbc/dukequeue")
    DataSource dataSource;

    /** False only for a hand-built engine on a data source outside any JTA transaction manager. */
    private boolean jta = true;

    private volatile EntityManagerFactory factory;

    /** For CDI. */
    public JpaUnit() {
    }

    /**
     * Outside CDI (the hand-built engine).
     *
     * @param jta true if {@code dataSource} is a server's JTA data source (entity managers join its transactions);
     *            false for a plain data source (resource-local reads)
     */
    public JpaUnit(DataSource dataSource, boolean jta) {
        this.dataSource = dataSource;
        this.jta = jta;
    }

    /** @return true if a JPA provider (EclipseLink, which the unit's settings name) is on the class path */
    public static boolean available() {
        try {
            Class.forName("org.eclipse.persistence.jpa.PersistenceProvider", false, JpaUnit.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * Runs a read with a fresh entity manager (joined to the current JTA transaction, if any) and closes it.
     *
     * @return what the read returns
     */
    public <T> T read(Function<EntityManager, T> work) {
        EntityManager em = factory().createEntityManager();
        try {
            return work.apply(em);
        } finally {
            em.close();
        }
    }

    private EntityManagerFactory factory() {
        EntityManagerFactory f = factory;
        if (f == null) {
            synchronized (this) {
                f = factory;
                if (f == null) {
                    Map<String, Object> props = new HashMap<>();
                    props.put("eclipselink.persistencexml", "META-INF/dukequeue-persistence.xml");
                    if (jta) {
                        props.put("jakarta.persistence.jtaDataSource", dataSource);
                        props.put("eclipselink.target-server", "Glassfish");
                    } else {
                        props.put("jakarta.persistence.transactionType", "RESOURCE_LOCAL");
                        props.put("jakarta.persistence.nonJtaDataSource", dataSource);
                    }
                    props.put("eclipselink.classloader", JpaUnit.class.getClassLoader());
                    f = Persistence.createEntityManagerFactory("dukequeue", props);
                    factory = f;
                }
            }
        }
        return f;
    }

    @PreDestroy
    void close() {
        EntityManagerFactory f = factory;
        if (f != null && f.isOpen()) {
            f.close();
        }
    }
}
