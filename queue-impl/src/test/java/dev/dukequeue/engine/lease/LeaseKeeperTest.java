package dev.dukequeue.engine.lease;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.dukequeue.JobId;
import dev.dukequeue.engine.job.Lease;
import dev.dukequeue.engine.database.DatabaseGuard;
import dev.dukequeue.engine.store.JdbcJobStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The heartbeat: one renewal of every lease held, each lease the database no longer grants reported, never a throw. */
class LeaseKeeperTest {

    private final Lease kept = new Lease(JobId.random(), "node-a#1", "t1", 1);
    private final Lease gone = new Lease(JobId.random(), "node-a#1", "t2", 1);
    private final List<List<Lease>> renewals = new CopyOnWriteArrayList<>();
    private final List<Long> durations = new CopyOnWriteArrayList<>();
    private final List<JobId> lost = new CopyOnWriteArrayList<>();
    private volatile boolean databaseAway;

    private final JdbcJobStore store = new JdbcJobStore() {
        @Override
        public Set<JobId> renewLeases(Collection<Lease> leases, long leaseMs) {
            if (databaseAway) {
                throw new IllegalStateException("connection refused");
            }
            renewals.add(new ArrayList<>(leases));
            durations.add(leaseMs);
            return Set.of(gone.jobId());
        }
    };

    private final DatabaseGuard database = new DatabaseGuard() {
        @Override
        public <T> T call(String what, Callable<T> operation) {
            try {
                return operation.call();
            } catch (RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    };

    private LeaseKeeper keeper(List<Lease> held) {
        return new LeaseKeeper(store, database, Duration.ofSeconds(30), "node-a#1", () -> held, lost::add);
    }

    @Test
    void renewsEveryHeldLeaseInOneCallForALeaseDurationAndReportsTheOnesGone() {
        keeper(List.of(kept, gone)).renew();

        assertThat(renewals).containsExactly(List.of(kept, gone));
        assertThat(durations).containsExactly(30_000L);
        assertThat(lost).containsExactly(gone.jobId());
    }

    @Test
    void holdingNothingAsksTheDatabaseNothing() {
        keeper(List.of()).renew();

        assertThat(renewals).isEmpty();
        assertThat(lost).isEmpty();
    }

    @Test
    void aRenewalTheDatabaseRefusesIsLoggedNotThrownAndLosesNoLease() {
        databaseAway = true;

        assertThatCode(() -> keeper(List.of(kept, gone)).renew()).doesNotThrowAnyException();
        assertThat(lost).as("a failed renewal says nothing about which leases are gone").isEmpty();
    }
}
