package dev.dukequeue.engine.upkeep;

import dev.dukequeue.QueueUnavailableException;
import dev.dukequeue.engine.database.DatabaseGuard;
import dev.dukequeue.engine.store.JdbcJobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The dependency sweep (playbook 6), on every housekeeping tick: dead-letters PENDING jobs whose lifetime ran out, and
 * settles PENDING jobs whose dependencies ended while their submission was still uncommitted (the one race the
 * submission's own check cannot see).
 */
@ApplicationScoped
public class DependencySweep {

    private static final Logger LOG = Logger.getLogger(DependencySweep.class.getName());
    private static final int BATCH = 100;

    @Inject
    JdbcJobStore store;

    @Inject
    DatabaseGuard database;

    /** For CDI. */
    public DependencySweep() {
    }

    /** Outside CDI (the hand-built engine). */
    public DependencySweep(JdbcJobStore store, DatabaseGuard database) {
        this.store = store;
        this.database = database;
    }

    /**
     * One sweep, in batches until nothing is left. Never throws: a failure is logged and the next tick tries again.
     *
     * @return how many jobs changed
     */
    public int settleDependencies() {
        int changed = 0;
        try {
            List<?> expired;
            do {
                expired = database.call("pending-job expiry", () -> store.expirePending(BATCH));
                changed += expired.size();
            } while (expired.size() == BATCH);
            changed += database.call("dependency repair", () -> store.repairDependencies(BATCH));
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "dependency sweep: " + e.getMessage(),
                    e instanceof QueueUnavailableException ? null : e);
        }
        return changed;
    }
}
