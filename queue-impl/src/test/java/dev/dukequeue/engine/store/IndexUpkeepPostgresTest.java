package dev.dukequeue.engine.store;

import static dev.dukequeue.engine.store.JobFixtures.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dukequeue.JobRequest;
import dev.dukequeue.engine.database.SchemaMigrator;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The index upkeep ({@code Indexes}) on a real PostgreSQL: a bloated index is rebuilt smaller and stays usable, a
 * fresh one is not, a forgotten transaction or another node's run skips it, and the invalid index an interrupted
 * concurrent rebuild leaves is dropped. Sizes and validity are read by the test from the catalog itself, not from the
 * report under test.
 */
class IndexUpkeepPostgresTest {

    private static final long KB = 1024;
    private static final IndexPolicy POLICY = new IndexPolicy(2.0, 256 * KB, Duration.ofSeconds(1), false);
    private static final int JOBS = 20_000;

    private static EmbeddedPostgres postgres;
    private DataSource db;
    private JdbcJobStore store;

    @BeforeAll
    static void start() throws IOException {
        postgres = EmbeddedPostgres.builder().setServerConfig("synchronous_commit", "on")
                .setServerConfig("max_prepared_transactions", "4").start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void freshSchema() throws SQLException {
        db = postgres.getPostgresDatabase();
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public");
        }
        new SchemaMigrator(db).migrate();
        store = new JdbcJobStore(db);
    }

    @Test
    void aBloatedIndexIsRebuiltSmallerStaysUsableAndAFreshOneIsLeftAlone() throws SQLException {
        bloatTheJobTable();
        Map<String, Long> before = sizes();
        Map<String, Boolean> validBefore = validity();

        IndexReport report = store.rebuildBloatedIndexes(POLICY, () -> false);

        assertThat(report.skipped()).isNull();
        List<String> rebuilt = report.rebuilt().stream().map(IndexReport.Rebuild::name).toList();
        assertThat(rebuilt).as("the primary key, 90 % of its entries gone").contains("public.dq_job_pk");
        Map<String, Long> after = sizes();
        assertThat(after.get("dq_job_pk")).as("measured by the test").isLessThan(before.get("dq_job_pk") / 3);
        for (String name : before.keySet()) {
            if (!rebuilt.contains("public." + name)) {
                assertThat(after.get(name)).as(name + ", not rebuilt, not touched").isEqualTo(before.get(name));
            }
        }
        assertThat(validity()).as("the same indexes, all valid").isEqualTo(validBefore).doesNotContainValue(false);
        assertThat(store.claim("node#1", List.of(JobFixtures.TYPE), 100, 60_000)).as("the claim index works")
                .hasSize(100);

        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("ANALYZE dq_job");
        }
        IndexReport again = store.rebuildBloatedIndexes(POLICY, () -> false);
        assertThat(again.rebuilt()).as("a fresh build is within the ratio of its own estimate").isEmpty();
        assertThat(again.indexes()).filteredOn(i -> i.name().equals("public.dq_job_pk")).singleElement()
                .satisfies(i -> assertThat(i.bloat()).as("estimate against a fresh build").isBetween(0.7, 1.5));
    }

    @Test
    void aDryRunReportsTheBloatAndRebuildsNothing() throws SQLException {
        bloatTheJobTable();
        Map<String, Long> before = sizes();

        IndexReport report = store.rebuildBloatedIndexes(POLICY.dry(), () -> false);

        assertThat(report.rebuilt()).isEmpty();
        assertThat(report.indexes()).filteredOn(POLICY::isBloated).extracting(IndexReport.IndexSize::name)
                .contains("public.dq_job_pk");
        assertThat(sizes()).isEqualTo(before);
    }

    @Test
    void aTransactionHoldingASnapshotSkipsTheRunAndIsNamed() throws SQLException {
        bloatTheJobTable();
        Map<String, Long> before = sizes();
        try (Connection forgotten = db.getConnection()) {
            holdASnapshot(forgotten, "forgotten-session");

            await().atMost(Duration.ofSeconds(20)).until(() -> store.rebuildBloatedIndexes(POLICY.dry(), () -> false)
                    .skipped() != null);
            IndexReport report = store.rebuildBloatedIndexes(POLICY, () -> false);

            assertThat(report.skipped()).startsWith("a transaction holds the xmin horizon")
                    .contains("forgotten-session");
            assertThat(report.rebuilt()).isEmpty();
            assertThat(sizes()).isEqualTo(before);
        }
        assertThat(store.rebuildBloatedIndexes(POLICY, () -> false).rebuilt()).as("once it ended").isNotEmpty();
    }

    @Test
    void theInvalidIndexOfAnInterruptedRebuildIsDroppedByTheNextRun() throws SQLException {
        bloatTheJobTable();
        try (Connection holder = db.getConnection(); Connection rebuilding = db.getConnection();
                Statement s = rebuilding.createStatement()) {
            holdASnapshot(holder, "older-snapshot");
            s.execute("SET lock_timeout = 300");
            // The rebuild builds its new index, then waits for older snapshots and gives up: what a kill leaves too.
            assertThatThrownBy(() -> s.execute("REINDEX INDEX CONCURRENTLY dq_job_claim_ix"))
                    .isInstanceOf(SQLException.class);
        }
        assertThat(validity()).as("left by the interrupted rebuild").containsEntry("dq_job_claim_ix_ccnew", false);

        IndexReport report = store.rebuildBloatedIndexes(POLICY, () -> false);

        assertThat(report.leftovers()).containsExactly("public.dq_job_claim_ix_ccnew");
        assertThat(validity()).doesNotContainKey("dq_job_claim_ix_ccnew").doesNotContainValue(false);
    }

    @Test
    void anotherNodesRunSkipsThisOne() throws SQLException {
        try (Connection other = db.getConnection(); Statement s = other.createStatement()) {
            s.execute("SELECT pg_advisory_lock(" + IndexSql.RUN_LOCK_ID + ")");

            assertThat(store.rebuildBloatedIndexes(POLICY, () -> false).skipped())
                    .isEqualTo("another node's index upkeep is running");
        }
        assertThat(store.rebuildBloatedIndexes(POLICY, () -> false).skipped()).as("the lock was released").isNull();
    }

    @Test
    void onH2TheRunSaysItIsPostgresOnly() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:dukequeue-index-upkeep;DB_CLOSE_DELAY=-1");
        new SchemaMigrator(h2).migrate();

        IndexReport report = new JdbcJobStore(h2).rebuildBloatedIndexes(POLICY, () -> false);

        assertThat(report.skipped()).contains("PostgreSQL's only");
        assertThat(report.rebuilt()).isEmpty();
    }

    /** 20,000 jobs, 90 % of them deleted at random places of the primary key, vacuumed and analyzed. */
    private void bloatTheJobTable() throws SQLException {
        for (int i = 0; i < JOBS; i += 1_000) {
            List<JobRequest> batch = new ArrayList<>();
            for (int k = 0; k < 1_000; k++) {
                batch.add(aJob().build());
            }
            store.insert(batch);
        }
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute("DELETE FROM dq_job WHERE seq % 10 <> 0");
            s.execute("VACUUM ANALYZE dq_job");
        }
    }

    private static void holdASnapshot(Connection c, String application) throws SQLException {
        c.setAutoCommit(false);
        c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
        try (Statement s = c.createStatement()) {
            s.execute("SET application_name = '" + application + "'");
            s.executeQuery("SELECT count(*) FROM dq_job").close();
        }
    }

    /** Index name to file size, for DukeQueue's tables, read from the catalog. */
    private Map<String, Long> sizes() throws SQLException {
        Map<String, Long> sizes = new TreeMap<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT c.relname, pg_relation_size(c.oid) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                        + " JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname LIKE 'dq\\_%'")) {
            while (rs.next()) {
                sizes.put(rs.getString(1), rs.getLong(2));
            }
        }
        return sizes;
    }

    /** Index name to validity, for DukeQueue's tables. */
    private Map<String, Boolean> validity() throws SQLException {
        Map<String, Boolean> valid = new TreeMap<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "SELECT c.relname, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                        + " JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname LIKE 'dq\\_%'")) {
            while (rs.next()) {
                valid.put(rs.getString(1), rs.getBoolean(2));
            }
        }
        return valid;
    }
}
