package dev.dukequeue.engine.store;

import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

class H2JobStoreTest extends JobStoreContract {

    private static final JdbcDataSource H2 = new JdbcDataSource();

    static {
        H2.setURL("jdbc:h2:mem:dukequeue-store;DB_CLOSE_DELAY=-1;LOCK_TIMEOUT=10000");
        H2.setUser("sa");
    }

    @Override
    protected DataSource database() {
        return H2;
    }

    /** Dependencies and race-free idempotency on the same database. */
    @org.junit.jupiter.api.Nested
    class FlowControl extends FlowControlContract {
        @Override
        protected DataSource database() {
            return H2;
        }
    }

    /** The read model's listings over the store's rows on the same database. */
    @org.junit.jupiter.api.Nested
    class Listings extends ListingContract {
        @Override
        protected DataSource database() {
            return H2;
        }
    }

    /** Releases at shutdown and their limit on the same database. */
    @org.junit.jupiter.api.Nested
    class Release extends ReleaseContract {
        @Override
        protected DataSource database() {
            return H2;
        }
    }

    /** Corrupt rows (playbook scenario 3) on the same database. */
    @org.junit.jupiter.api.Nested
    class CorruptRows extends CorruptRowContract {
        @Override
        protected DataSource database() {
            return H2;
        }
    }

    /** The cluster tables on the same database. */
    @org.junit.jupiter.api.Nested
    class Cluster extends ClusterContract {
        @Override
        protected DataSource database() {
            return H2;
        }
    }

    /** Recurring jobs against full queues on the same database. */
    @org.junit.jupiter.api.Nested
    class Schedules extends ScheduleContract {
        @Override
        protected DataSource database() {
            return H2;
        }
    }
}
