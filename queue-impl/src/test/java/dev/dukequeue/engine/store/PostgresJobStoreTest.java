package dev.dukequeue.engine.store;

import dev.dukequeue.engine.database.ConfiguredDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The store suite on a real PostgreSQL (embedded binaries from Maven; no installation, no Docker). */
class PostgresJobStoreTest extends JobStoreContract {

    private static EmbeddedPostgres postgres;

    @BeforeAll
    static void start() throws IOException {
        // synchronous_commit as PostgreSQL ships it (zonky turns it off by default)
        postgres = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_prepared_transactions", "8").start(); // the two-phase commit test prepares
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

    /**
     * A submission made in a two-phase (XA) transaction can be prepared and committed: PostgreSQL refuses to PREPARE a
     * transaction that sent a NOTIFY ("cannot PREPARE a transaction that has executed LISTEN, UNLISTEN, or NOTIFY"),
     * which the submission did until the other nodes were told after the commit instead (seen with the resource
     * adapter and XA pools: every submission's transaction failed to prepare).
     */
    @org.junit.jupiter.api.Test
    void aSubmissionInATwoPhaseTransactionCanBePreparedAndCommitted() throws Exception {
        org.postgresql.xa.PGXADataSource xa = new org.postgresql.xa.PGXADataSource();
        xa.setUrl(postgres.getJdbcUrl("postgres", "postgres"));
        javax.sql.XAConnection xaConnection = xa.getXAConnection();
        try {
            java.sql.Connection branch = xaConnection.getConnection();
            javax.transaction.xa.XAResource resource = xaConnection.getXAResource();
            javax.transaction.xa.Xid xid = new javax.transaction.xa.Xid() {
                public int getFormatId() {
                    return 4711;
                }

                public byte[] getGlobalTransactionId() {
                    return java.util.UUID.randomUUID().toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                }

                public byte[] getBranchQualifier() {
                    return new byte[] {1};
                }
            };
            byte[] global = xid.getGlobalTransactionId();
            javax.transaction.xa.Xid fixed = new javax.transaction.xa.Xid() {
                public int getFormatId() {
                    return 4711;
                }

                public byte[] getGlobalTransactionId() {
                    return global;
                }

                public byte[] getBranchQualifier() {
                    return new byte[] {1};
                }
            };
            DataSource onTheBranch = (DataSource) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                        if (!method.getName().equals("getConnection")) {
                            throw new UnsupportedOperationException(method.getName());
                        }
                        return java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                                new Class<?>[] {java.sql.Connection.class}, (p, m, a) -> m.getName().equals("close")
                                        ? null : m.invoke(branch, a));
                    });
            resource.start(fixed, javax.transaction.xa.XAResource.TMNOFLAGS);
            dev.dukequeue.JobReceipt receipt = new JdbcJobStore(onTheBranch)
                    .insert(java.util.List.of(JobFixtures.aJob().build())).get(0);
            resource.end(fixed, javax.transaction.xa.XAResource.TMSUCCESS);

            org.assertj.core.api.Assertions.assertThat(resource.prepare(fixed))
                    .isEqualTo(javax.transaction.xa.XAResource.XA_OK);
            resource.commit(fixed, false);

            org.assertj.core.api.Assertions.assertThat(tx.inTransaction(() -> store.waitingCount(
                    JobFixtures.aJob().build().queue()))).isPositive();
            org.assertj.core.api.Assertions.assertThat(receipt.created()).isTrue();
        } finally {
            xaConnection.close();
        }
    }

    @org.junit.jupiter.api.Test
    void storedJobsAnnouncedAfterTheirCommitWakeEveryListenerWithTheirMostUrgentPriority() throws Exception {
        dev.dukequeue.engine.database.JobNotifications listener = store.notifications();
        try {
            org.assertj.core.api.Assertions.assertThat(listener.await(50)).as("nothing announced yet")
                    .isEqualTo(dev.dukequeue.engine.database.JobNotifications.NONE);
            store.announceSubmitted(3);
            org.assertj.core.api.Assertions.assertThat(listener.await(5_000)).as("the announcement").isEqualTo(3);
            store.announceSubmitted(4);
            store.announceSubmitted(1);
            // one call or two (4, then 1): the most urgent of what came
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> listener.await(200), p -> p == 1);
            try (java.sql.Connection c = database().getConnection(); java.sql.Statement s = c.createStatement()) {
                s.execute("NOTIFY " + dev.dukequeue.engine.database.JobNotifications.CHANNEL); // an older node's
            }
            org.assertj.core.api.Assertions.assertThat(listener.await(5_000))
                    .as("no payload: read as the most urgent priority, so the claims read from the start").isZero();
        } finally {
            listener.close();
        }
    }

    /**
     * The claim floor (see ClaimFloor) on PostgreSQL: a claim reads the claim index from the key of the loop's last
     * claimed job, so a job that becomes claimable under it (here: a delayed job coming due) waits for the next claim
     * from the start of the index; a more urgent submission, a reset or the interval brings that claim at once.
     */
    @org.junit.jupiter.api.Test
    void claimsReadFromTheirFloorAndFromTheStartWhenJobsMayWaitUnderIt() throws Exception {
        ClaimFloor floor = new ClaimFloor(java.time.Duration.ofHours(1));
        dev.dukequeue.JobId early = submit(JobFixtures.aJob().delay(java.time.Duration.ofHours(1)).build()).id();
        skipSequence(5_000);
        dev.dukequeue.JobId late = submit(JobFixtures.aJob().build()).id();
        org.assertj.core.api.Assertions.assertThat(claimFrom(floor)).as("no floor yet: from the start")
                .containsExactly(late);

        comesDue(early);
        dev.dukequeue.JobId later = submit(JobFixtures.aJob().build()).id();
        org.assertj.core.api.Assertions.assertThat(claimFrom(floor)).as("from the floor: the due job under it waits")
                .containsExactly(later);
        floor.submitted(2);
        org.assertj.core.api.Assertions.assertThat(claimFrom(floor)).as("a submission as urgent as the floor's")
                .isEmpty();
        floor.submitted(1);
        org.assertj.core.api.Assertions.assertThat(claimFrom(floor)).as("a more urgent one: from the start")
                .containsExactly(early);

        dev.dukequeue.JobId retried = submit(JobFixtures.aJob().delay(java.time.Duration.ofHours(1)).build()).id();
        skipSequence(5_000);
        submit(JobFixtures.aJob().build());
        org.assertj.core.api.Assertions.assertThat(claimFrom(floor)).hasSize(1);
        comesDue(retried);
        org.assertj.core.api.Assertions.assertThat(claimFrom(floor)).isEmpty();
        floor.reset();
        org.assertj.core.api.Assertions.assertThat(claimFrom(floor)).as("after a reset").containsExactly(retried);

        ClaimFloor everyMoment = new ClaimFloor(java.time.Duration.ofMillis(200));
        dev.dukequeue.JobId due = submit(JobFixtures.aJob().delay(java.time.Duration.ofHours(1)).build()).id();
        skipSequence(5_000);
        submit(JobFixtures.aJob().build());
        org.assertj.core.api.Assertions.assertThat(claimFrom(everyMoment)).hasSize(1);
        comesDue(due);
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10))
                .until(() -> claimFrom(everyMoment), claimed -> claimed.contains(due));
    }

    /** Claims as the claim loop does: on a connection in auto-commit mode, from the floor. */
    private List<dev.dukequeue.JobId> claimFrom(ClaimFloor floor) {
        return store.claim("node-a#1", TYPES, 10, LEASE, Map.of(), Map.of(), floor).stream()
                .map(j -> j.lease().jobId()).toList();
    }

    private void skipSequence(int values) throws java.sql.SQLException {
        try (java.sql.Connection c = database().getConnection(); java.sql.Statement s = c.createStatement()) {
            s.execute("SELECT setval('dq_job_seq', nextval('dq_job_seq') + " + values + ")");
        }
    }

    private void comesDue(dev.dukequeue.JobId id) throws java.sql.SQLException {
        try (java.sql.Connection c = database().getConnection();
             java.sql.PreparedStatement ps = c.prepareStatement(
                     "UPDATE dq_job SET run_at = now() - INTERVAL '1 second' WHERE id = ?")) {
            ps.setString(1, id.toString());
            org.assertj.core.api.Assertions.assertThat(ps.executeUpdate()).isOne();
        }
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

    /** The read model's listings over the store's rows on the same database. */
    @org.junit.jupiter.api.Nested
    class Listings extends ListingContract {
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
