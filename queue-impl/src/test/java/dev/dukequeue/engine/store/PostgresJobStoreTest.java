package dev.dukequeue.engine.store;

import dev.dukequeue.engine.database.ConfiguredDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store suite on a real PostgreSQL (embedded binaries from Maven; no installation, no Docker). */
class PostgresJobStoreTest extends JobStoreContract {

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws IOException {
        // synchronous_commit as PostgreSQL ships it (zonky turns it off by default)
        postgres = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on").start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @Override
    protected DataSource database() {
        return postgres.getPostgresDatabase();
    }

    @org.junit.jupiter.api.Test
    void configuredDataSourcePlansEachExecutionForTheTablesAsTheyAreNow() throws Exception {
        System.setProperty("dukequeue.db.url", postgres.getJdbcUrl("postgres", "postgres"));
        try (java.sql.Connection c = new ConfiguredDataSource().getConnection();
             java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SHOW plan_cache_mode")) {
            rs.next();
            // no generic plan kept from the days when dq_attempt was empty
            org.assertj.core.api.Assertions.assertThat(rs.getString(1)).isEqualTo("force_custom_plan");
        } finally {
            System.clearProperty("dukequeue.db.url");
        }
    }

    @org.junit.jupiter.api.Test
    void configuredDataSourceSendsABatchOfInsertsAsOneMultiRowInsert() throws Exception {
        System.setProperty("dukequeue.db.url", postgres.getJdbcUrl("postgres", "postgres"));
        try (java.sql.Connection c = new ConfiguredDataSource().getConnection();
             java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE TEMPORARY TABLE rewrite_probe (n INTEGER)");
            try (java.sql.PreparedStatement ps = c.prepareStatement("INSERT INTO rewrite_probe (n) VALUES (?)")) {
                for (int n = 1; n <= 4; n++) {
                    ps.setInt(1, n);
                    ps.addBatch();
                }
                // Rows sent in one multi-row INSERT report no count of their own (unrewritten, each would say 1).
                org.assertj.core.api.Assertions.assertThat(ps.executeBatch()).containsOnly(java.sql.Statement.SUCCESS_NO_INFO);
            }
            try (java.sql.ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM rewrite_probe")) {
                rs.next();
                org.assertj.core.api.Assertions.assertThat(rs.getInt(1)).isEqualTo(4);
            }
        } finally {
            System.clearProperty("dukequeue.db.url");
        }
    }

    @org.junit.jupiter.api.Test
    void aClaimsCommitDoesNotWaitForTheWalFlushButOutcomesAndSubmissionsDo() {
        String inSubmission = tx.inTransaction(() -> {
            store.insert(java.util.List.of(JobFixtures.aJob().build(), JobFixtures.aJob().build()));
            return synchronousCommit();
        });
        java.util.List<dev.dukequeue.engine.job.ClaimedJob> claimed = new java.util.ArrayList<>();
        String inClaim = tx.inTransaction(() -> {
            claimed.addAll(store.claim("node-a#1", TYPES, 1, LEASE));
            return synchronousCommit();
        });
        org.assertj.core.api.Assertions.assertThat(claimed).hasSize(1);
        String inCompletion = tx.inTransaction(() -> {
            org.assertj.core.api.Assertions.assertThat(store.complete(claimed.get(0).lease(), "{}")).isTrue();
            return synchronousCommit();
        });
        String afterClaim = tx.inTransaction(this::synchronousCommit);

        org.assertj.core.api.Assertions.assertThat(inClaim).as("the claim's own transaction").isEqualTo("off");
        org.assertj.core.api.Assertions.assertThat(inSubmission).isEqualTo("on");
        org.assertj.core.api.Assertions.assertThat(inCompletion).isEqualTo("on");
        org.assertj.core.api.Assertions.assertThat(afterClaim).as("SET LOCAL ends with the claim's transaction")
                .isEqualTo("on");
    }

    private String synchronousCommit() throws java.sql.SQLException {
        try (java.sql.Connection c = tx.getConnection(); java.sql.Statement s = c.createStatement();
             java.sql.ResultSet rs = s.executeQuery("SHOW synchronous_commit")) {
            rs.next();
            return rs.getString(1);
        }
    }

    /** Dependencies and race-free idempotency on the same database. */
    @org.junit.jupiter.api.Nested
    class FlowControl extends FlowControlContract {
        @Override
        protected DataSource database() {
            return postgres.getPostgresDatabase();
        }
    }

    /** Releases at shutdown and their limit on the same database. */
    @org.junit.jupiter.api.Nested
    class Release extends ReleaseContract {
        @Override
        protected DataSource database() {
            return postgres.getPostgresDatabase();
        }
    }

    /** Corrupt rows (playbook scenario 3) on the same database. */
    @org.junit.jupiter.api.Nested
    class CorruptRows extends CorruptRowContract {
        @Override
        protected DataSource database() {
            return postgres.getPostgresDatabase();
        }
    }

    /** The cluster tables on the same database. */
    @org.junit.jupiter.api.Nested
    class Cluster extends ClusterContract {
        @Override
        protected DataSource database() {
            return postgres.getPostgresDatabase();
        }
    }

    /** Recurring jobs against full queues on the same database. */
    @org.junit.jupiter.api.Nested
    class Schedules extends ScheduleContract {
        @Override
        protected DataSource database() {
            return postgres.getPostgresDatabase();
        }
    }
}
