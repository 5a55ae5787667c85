package dev.dukequeue.engine.lease;

import dev.dukequeue.JobId;
import dev.dukequeue.QueueUnavailableException;
import dev.dukequeue.engine.job.Lease;
import dev.dukequeue.engine.database.DatabaseGuard;
import dev.dukequeue.engine.store.JdbcJobStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The heartbeat: renews, in one statement, every lease this node holds (running handlers, and outcomes still waiting
 * for the database) for another lease duration, and reports the leases the database no longer grants (cancelled,
 * rescued or taken over) so that their handlers are asked to stop. The dispatcher runs it every
 * {@code dukequeue.heartbeat.interval.ms} on its scheduler thread; it knows what it holds, this class what a renewal
 * is.
 *
 * <p>A renewal that fails (the database is away) is logged and tried at the next beat: the leases last
 * {@code dukequeue.lease.duration.ms}, many beats, and a lease that expires meanwhile is found lost at the first beat
 * that reaches the database.
 */
public final class LeaseKeeper {

    private static final Logger LOG = Logger.getLogger(LeaseKeeper.class.getName());

    private final JdbcJobStore store;
    private final DatabaseGuard database;
    private final Duration leaseDuration;
    private final String owner;
    private final Supplier<List<Lease>> held;
    private final Consumer<JobId> lost;

    /**
     * @param leaseDuration how long a renewed lease lasts
     * @param owner         this node's lease owner, for the log
     * @param held          the leases this node holds now
     * @param lost          told of each held lease the database no longer grants
     */
    public LeaseKeeper(JdbcJobStore store, DatabaseGuard database, Duration leaseDuration, String owner,
            Supplier<List<Lease>> held, Consumer<JobId> lost) {
        this.store = store;
        this.database = database;
        this.leaseDuration = leaseDuration;
        this.owner = owner;
        this.held = held;
        this.lost = lost;
    }

    /** One heartbeat. Never throws. */
    public void renew() {
        List<Lease> leases = held.get();
        if (leases.isEmpty()) {
            return;
        }
        try {
            Set<JobId> gone = database.call("lease renewal", () -> store.renewLeases(leases, leaseDuration.toMillis()));
            for (JobId id : gone) {
                lost.accept(id);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "node " + owner + ": lease renewal of " + leases.size() + " job(s) failed: "
                    + e.getMessage(), e instanceof QueueUnavailableException ? null : e);
        }
    }
}
