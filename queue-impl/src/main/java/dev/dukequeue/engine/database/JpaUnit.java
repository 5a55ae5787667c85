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

    private volatile EntityManagerFactory factory;

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
                    props.put("jakarta.persistence.jtaDataSource", dataSource);
                    props.put("eclipselink.target-server", "Glassfish");
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
