package dev.dukequeue.engine.store;

import dev.dukequeue.engine.database.SchemaMigrator;
import static dev.dukequeue.engine.store.JobFixtures.TYPE;
import static dev.dukequeue.engine.store.JobFixtures.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.dukequeue.ErrorCategory;
import dev.dukequeue.JobId;
import dev.dukequeue.JobReceipt;
import dev.dukequeue.JobRequest;
import dev.dukequeue.JobState;
import dev.dukequeue.engine.job.AttemptOutcome;
import dev.dukequeue.engine.job.ClaimedJob;
import dev.dukequeue.engine.job.JobEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The store's behaviour, one suite for every supported database: subclasses only say how to reach theirs. Runs the
 * real SQL outside any container; {@link TxDataSource} plays the JTA transaction.
 */
abstract class JobStoreContract extends StoreFixture {

    @Test
    void submittedJobIsScheduledAndClaimedWithALeaseAndAnOpenAttempt() {
        JobReceipt receipt = submit(aJob().build());
        assertThat(receipt.created()).isTrue();
        assertThat(stateOf(receipt.id())).isEqualTo(JobState.SCHEDULED);

        List<ClaimedJob> claimed = claim(10);

        assertThat(claimed).singleElement().satisfies(job -> {
            assertThat(job.lease().jobId()).isEqualTo(receipt.id());
            assertThat(job.attempt()).isEqualTo(1);
            assertThat(job.lease().runNo()).isEqualTo(1);
            assertThat(job.payloadJson()).isEqualTo("{\"n\":1}");
        });
        assertThat(stateOf(receipt.id())).isEqualTo(JobState.RUNNING);
        assertThat(attemptOutcomes(receipt.id())).containsExactly((String) null);
        assertThat(claim(10)).as("a leased job is not claimed twice").isEmpty();
    }

    @Test
    void claimsTakeHighestPriorityFirstThenSubmissionOrder() {
        JobId low = submit(aJob().priority(4).build()).id();
        JobId first = submit(aJob().priority(1).build()).id();
        JobId second = submit(aJob().priority(1).build()).id();
        JobId top = submit(aJob().priority(0).build()).id();

        List<JobId> order = claim(10).stream().map(j -> j.lease().jobId()).toList();

        assertThat(order).containsExactly(top, first, second, low);
    }

    @Test
    void anUncommittedSubmissionNeitherBlocksNorIsSeenByClaims() throws Exception {
        JobId committed = submit(aJob().build()).id();
        java.util.concurrent.CountDownLatch inserted = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        ExecutorService app = Executors.newSingleThreadExecutor();
        try {
            // An application transaction that submitted a job and is still busy with its own work.
            Future<?> open = app.submit(() -> tx.inTransaction(() -> {
                store.insert(List.of(aJob().priority(0).build()));
                inserted.countDown();
                release.await(1, TimeUnit.MINUTES);
                throw new IllegalStateException("the application rolls back");
            }));
            assertThat(inserted.await(30, TimeUnit.SECONDS)).isTrue();

            long start = System.nanoTime();
            List<ClaimedJob> claimed = claim(10);
            long waitedMs = (System.nanoTime() - start) / 1_000_000;

            assertThat(claimed).extracting(j -> j.lease().jobId()).containsExactly(committed);
            assertThat(waitedMs).as("claim must skip, not wait for, the open transaction's row").isLessThan(5_000);
            release.countDown();
            assertThatThrownBy(open::get).hasMessageContaining("rolls back");
        } finally {
            release.countDown();
            app.shutdownNow();
        }
    }

    @Test
    void aPausedQueueKeepsItsJobsUntilResumedWhileOtherQueuesRun() {
        JobId paused = submit(aJob().queue("mail").build()).id();
        JobId other = submit(aJob().queue("reports").build()).id();
        tx.inTransaction(() -> {
            store.setPaused("mail", true);
            return null;
        });
        tx.inTransaction(() -> {
            store.setPaused("mail", true); // pausing twice is harmless
            return null;
        });

        assertThat(claim(10)).extracting(j -> j.lease().jobId()).containsExactly(other);
        assertThat(tx.inTransaction(store::pausedQueues)).containsExactly("mail");
        assertThat(tx.inTransaction(() -> store.waitingCount("mail"))).isEqualTo(1);

        tx.inTransaction(() -> {
            store.setPaused("mail", false);
            return null;
        });
        assertThat(claim(10)).extracting(j -> j.lease().jobId()).containsExactly(paused);
        assertThat(tx.inTransaction(store::pausedQueues)).isEmpty();
        assertThat(tx.inTransaction(() -> store.waitingCount("mail"))).isZero();
    }

    @Test
    void aTypeRestrictedToOneQueueIsClaimedOnlyFromItWhileOtherTypesComeFromEveryQueue() {
        JobId inMail = submit(aJob().queue("mail").build()).id();
        JobId inReports = submit(aJob().queue("reports").build()).id();
        JobId otherType = submit(JobRequest.builder("test.other").payloadJson("{}").queue("reports").build()).id();
        Map<String, String> only = Map.of(TYPE, "mail");

        List<ClaimedJob> first = tx.inTransaction(() -> store.claim("node-a#1", List.of(TYPE, "test.other"), 10, LEASE,
                Map.of(), only));

        assertThat(first).extracting(j -> j.lease().jobId()).containsExactlyInAnyOrder(inMail, otherType);
        assertThat(stateOf(inReports)).isEqualTo(JobState.SCHEDULED);

        // Outside a transaction (PostgreSQL's one-statement claim), and with queues limited on the node: the same rule.
        JobId secondMail = submit(aJob().queue("mail").build()).id();
        assertThat(store.claim("node-a#1", List.of(TYPE), 10, LEASE, Map.of(), only))
                .extracting(j -> j.lease().jobId()).containsExactly(secondMail);
        JobId thirdMail = submit(aJob().queue("mail").build()).id();
        assertThat(tx.inTransaction(() -> store.claim("node-a#1", List.of(TYPE), 10, LEASE,
                Map.of("mail", 5, "reports", 5), only))).extracting(j -> j.lease().jobId()).containsExactly(thirdMail);
        assertThat(stateOf(inReports)).isEqualTo(JobState.SCHEDULED);
        assertThat(claim(10)).as("unrestricted, the type comes from every queue").extracting(j -> j.lease().jobId())
                .containsExactly(inReports);
    }

    @Test
    void claimTakesNoMoreThanTheFreeSlots() {
        IntStream.range(0, 5).forEach(i -> submit(aJob().build()));
        assertThat(claim(2)).hasSize(2);
        assertThat(claim(0)).isEmpty();
        assertThat(claim(10)).hasSize(3);
    }

    @Test
    void delayedJobIsNotClaimedBeforeItIsDueOnTheDatabaseClock() {
        JobId later = submit(aJob().delay(Duration.ofHours(1)).build()).id();
        JobId past = submit(aJob().runAt(Instant.now().minusSeconds(5)).build()).id();
        Instant dbNow = tx.inTransaction(store::databaseTime);

        assertThat(claim(10)).extracting(j -> j.lease().jobId()).containsExactly(past);
        assertThat((Instant) row(later).get("runAt")).isBetween(dbNow.plus(Duration.ofMinutes(59)),
                dbNow.plus(Duration.ofMinutes(61)));
    }

    @Test
    void onlyTypesWithAHandlerOnThisNodeAreClaimed() {
        submit(JobRequest.builder("other.type").build());
        assertThat(claim(10)).isEmpty();
    }

    @Test
    void concurrentClaimersGetDisjointJobsAndEveryJobExactlyOnce() throws Exception {
        int jobs = 300;
        List<JobRequest> requests = IntStream.range(0, jobs).mapToObj(i -> aJob().build()).toList();
        tx.inTransaction(() -> store.insert(requests));
        Set<JobId> seen = ConcurrentHashMap.newKeySet();
        List<JobId> duplicates = new java.util.concurrent.CopyOnWriteArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> claimers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                String owner = "node-" + t + "#1";
                claimers.add(pool.submit(() -> {
                    List<ClaimedJob> batch;
                    do {
                        batch = claim(owner, 7, LEASE);
                        for (ClaimedJob j : batch) {
                            if (!seen.add(j.lease().jobId())) {
                                duplicates.add(j.lease().jobId());
                            }
                            assertThat(tx.inTransaction(() -> store.complete(j.lease(), null))).isTrue();
                        }
                    } while (!batch.isEmpty());
                    return null;
                }));
            }
            for (Future<?> f : claimers) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(duplicates).isEmpty();
        assertThat(seen).hasSize(jobs);
    }

    @Test
    void completionWritesResultAndTerminalStateTogether() {
        JobId id = submit(aJob().build()).id();
        ClaimedJob job = claim(1).get(0);

        assertThat(tx.inTransaction(() -> store.complete(job.lease(), "{\"ok\":true}"))).isTrue();

        Map<String, Object> row = row(id);
        assertThat(row.get("state")).isEqualTo(JobState.COMPLETED);
        assertThat(row.get("result")).isEqualTo("{\"ok\":true}");
        assertThat(row.get("finished")).isEqualTo(true);
        assertThat(row.get("leaseToken")).isNull();
        assertThat(attemptOutcomes(id)).containsExactly("SUCCEEDED");
        assertThat(tx.inTransaction(() -> store.complete(job.lease(), "{\"again\":true}")))
                .as("a second completion of the same lease").isFalse();
        assertThat(row(id).get("result")).isEqualTo("{\"ok\":true}");
    }

    @Test
    void aSuccessfulAttemptIsRecordedOnTheJobRowAloneAndReadAsItsHistory() {
        JobId id = submit(aJob().build()).id();
        ClaimedJob job = claim(1).get(0);
        String attemptRows = "SELECT COUNT(*) FROM dq_attempt WHERE job_id = ?";
        assertThat(count(attemptRows, id)).as("a claim writes the job row only").isZero();
        assertThat(attemptHistory(id)).containsExactly("1/1 node-a#1 -");

        assertThat(tx.inTransaction(() -> store.completeAll(List.of(new JdbcJobStore.Completion(job.lease(), "{}")))))
                .containsExactly(true);

        assertThat(count(attemptRows, id)).as("a completion writes the job row only").isZero();
        assertThat(attemptHistory(id)).containsExactly("1/1 node-a#1 SUCCEEDED ended");
    }

    @Test
    void everyRunIsInTheHistoryOnceWithTheAttemptItRanAs() {
        JobId id = submit(aJob().maxAttempts(5).build()).id();
        ClaimedJob first = claim(1).get(0);
        tx.inTransaction(() -> store.fail(first.lease(), JobEvent.FAIL_RETRYABLE,
                Failure.observed(AttemptOutcome.FAILED, ErrorCategory.TEMPORARY, "busy"), 0));
        ClaimedJob second = claim("node-b#1", 1, LEASE).get(0);
        tx.inTransaction(() -> store.release(second.lease(), "shutting down", 3, a -> 0)); // gives attempt 2 back
        claim("node-c#1", 1, 1);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                tx.inTransaction(() -> store.rescueExpiredLeases(10, attempt -> 0, 3)).size() == 1);
        ClaimedJob fourth = claim("node-d#1", 1, LEASE).get(0);
        assertThat(tx.inTransaction(() -> store.complete(fourth.lease(), "{}"))).isTrue();

        assertThat(attemptHistory(id)).containsExactly("1/1 node-a#1 FAILED ended", "2/2 node-b#1 RELEASED ended",
                "3/2 node-c#1 LEASE_EXPIRED ended", "4/3 node-d#1 SUCCEEDED ended");
        assertThat(count("SELECT run_count FROM dq_job WHERE id = ?", id)).as("claims").isEqualTo(4);
    }

    @Test
    void aCancelledRunIsRecordedWithItsNode() {
        JobId id = submit(aJob().build()).id();
        claim(1);
        assertThat(tx.inTransaction(() -> store.apply(id, JobEvent.CANCEL)).after()).isEqualTo(JobState.CANCELLED);
        assertThat(attemptHistory(id)).containsExactly("1/1 node-a#1 CANCELLED ended");
    }

    @Test
    void aRunOpenedByAVersion8NodeIsClosedNotRecordedTwice() throws SQLException {
        // Until schema version 8 a claim opened an attempt row: a job claimed by such a node before an upgrade.
        JobId id = submit(aJob().build()).id();
        ClaimedJob job = claim(1).get(0);
        try (Connection c = database().getConnection(); PreparedStatement ps = c.prepareStatement("INSERT INTO"
                + " dq_attempt (job_id, run_no, attempt, node, started_at) VALUES (?, ?, 1, 'node-a#1', CURRENT_TIMESTAMP)")) {
            ps.setString(1, id.toString());
            ps.setInt(2, job.lease().runNo());
            ps.executeUpdate();
        }
        assertThat(attemptHistory(id)).containsExactly("1/1 node-a#1 -");

        tx.inTransaction(() -> store.fail(job.lease(), JobEvent.FAIL_RETRYABLE,
                Failure.observed(AttemptOutcome.FAILED, ErrorCategory.TEMPORARY, "busy"), 0));

        assertThat(attemptHistory(id)).containsExactly("1/1 node-a#1 FAILED ended");
        assertThat(count("SELECT COUNT(*) FROM dq_attempt WHERE job_id = ?", id)).isEqualTo(1);
    }

    @Test
    void aClaimOnAConnectionInAutoCommitModeCommitsByItselfAndKeepsQueueLimits() {
        for (int i = 0; i < 3; i++) {
            submit(aJob().queue("limited").build());
        }
        // No transaction around these claims (the dispatcher's way): each commits by itself.
        List<ClaimedJob> first = store.claim("node-a#1", TYPES, 1, LEASE);
        assertThat(first).hasSize(1);
        assertThat(stateOf(first.get(0).lease().jobId())).as("seen on another connection").isEqualTo(JobState.RUNNING);

        tx.inTransaction(() -> {
            store.setMaxRunning("limited", 1);
            return null;
        });
        assertThat(store.claim("node-a#1", TYPES, 2, LEASE)).as("the queue's one place is taken").isEmpty();
        tx.inTransaction(() -> {
            store.setMaxRunning("limited", 2);
            return null;
        });
        List<ClaimedJob> second = store.claim("node-b#1", TYPES, 2, LEASE);
        assertThat(second).hasSize(1);
        assertThat(stateOf(second.get(0).lease().jobId())).isEqualTo(JobState.RUNNING);
    }

    @Test
    void aBatchOfCompletionsWritesEachThroughItsOwnLeaseAndReportsEachOutcome() {
        JobId a = submit(aJob().build()).id();
        JobId b = submit(aJob().build()).id();
        List<ClaimedJob> claimed = claim(2);
        ClaimedJob first = claimed.get(0);
        ClaimedJob second = claimed.get(1);
        // A stale outcome of the first job (another lease of it) travels in the same batch as its real one.
        var stale = new dev.dukequeue.engine.job.Lease(first.lease().jobId(), "node-old#0",
                java.util.UUID.randomUUID().toString(), first.lease().runNo());

        boolean[] written = tx.inTransaction(() -> store.completeAll(List.of(
                new JdbcJobStore.Completion(second.lease(), "{\"n\":2}"),
                new JdbcJobStore.Completion(stale, "{\"stale\":true}"),
                new JdbcJobStore.Completion(first.lease(), "{\"n\":1}"))));

        assertThat(written).containsExactly(true, false, true);
        assertThat(row(first.lease().jobId()).get("result")).isEqualTo("{\"n\":1}");
        assertThat(row(second.lease().jobId()).get("result")).isEqualTo("{\"n\":2}");
        assertThat(attemptOutcomes(a)).containsExactly("SUCCEEDED");
        assertThat(attemptOutcomes(b)).containsExactly("SUCCEEDED");
    }

    @Test
    void workerThatLostItsLeaseCanNeverChangeTheJob() {
        JobId id = submit(aJob().build()).id();
        ClaimedJob stale = claim("node-a#1", 1, 1).get(0);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                tx.inTransaction(() -> store.rescueExpiredLeases(10, attempt -> 0, 3)).size() == 1);
        assertThat(stateOf(id)).isEqualTo(JobState.SCHEDULED);
        ClaimedJob fresh = claim("node-b#1", 1, LEASE).get(0);

        assertThat(tx.inTransaction(() -> store.complete(stale.lease(), "{\"stale\":true}"))).isFalse();
        assertThat(tx.inTransaction(() -> store.fail(stale.lease(), JobEvent.FAIL_PERMANENT,
                Failure.observed(AttemptOutcome.FAILED, ErrorCategory.PERMANENT, "stale"), 0))).isFalse();
        assertThat(tx.inTransaction(() -> store.release(stale.lease(), "stale", 3, a -> 0)))
                .isEqualTo(ReleaseOutcome.LEASE_LOST);
        assertThat(tx.inTransaction(() -> store.renewLeases(List.of(stale.lease()), LEASE))).containsExactly(id);
        assertThat(stateOf(id)).isEqualTo(JobState.RUNNING);

        assertThat(tx.inTransaction(() -> store.complete(fresh.lease(), "{\"fresh\":true}"))).isTrue();
        assertThat(row(id).get("result")).isEqualTo("{\"fresh\":true}");
        assertThat(fresh.attempt()).isEqualTo(2);
        assertThat(attemptOutcomes(id)).containsExactly("LEASE_EXPIRED", "SUCCEEDED");
    }

    @Test
    void rescuerDeadLettersAJobWhoseLastAttemptLostItsLease() {
        JobId id = submit(aJob().maxAttempts(1).build()).id();
        claim("node-a#1", 1, 1);
        await().atMost(Duration.ofSeconds(10)).until(() ->
                !tx.inTransaction(() -> store.rescueExpiredLeases(10, attempt -> 0, 3)).isEmpty());
        assertThat(stateOf(id)).isEqualTo(JobState.DEAD_LETTER);
        assertThat(row(id).get("errorCategory")).isEqualTo("SYSTEM");
        assertThat(row(id).get("finished")).isEqualTo(true);
    }

    @Test
    void startUpRecoveryReclaimsOnlyThisNodesEarlierIncarnations() {
        JobId mineBefore = submit(aJob().build()).id();
        JobId other = submit(aJob().build()).id();
        JobId similarName = submit(aJob().build()).id();
        JobId mineNow = submit(aJob().build()).id();
        claim("node-a#old", 1, LEASE);
        claim("node-b#1", 1, LEASE);
        claim("node-ab#1", 1, LEASE);
        claim("node-a#new", 1, LEASE);

        List<RescuedJob> reclaimed = tx.inTransaction(() ->
                store.reclaimEarlierIncarnations("node-a", "node-a#new", 100, a -> 0, 3));

        assertThat(reclaimed).extracting(RescuedJob::id).containsExactly(mineBefore);
        assertThat(reclaimed.get(0).lostOwner()).isEqualTo("node-a#old");
        assertThat(stateOf(mineBefore)).isEqualTo(JobState.SCHEDULED);
        assertThat(stateOf(other)).isEqualTo(JobState.RUNNING);
        assertThat(stateOf(similarName)).isEqualTo(JobState.RUNNING);
        assertThat(stateOf(mineNow)).isEqualTo(JobState.RUNNING);
        assertThat(attemptOutcomes(mineBefore)).containsExactly("LEASE_EXPIRED");
        assertThat(row(mineBefore).get("attempt")).as("the interrupted attempt counts").isEqualTo(1);
    }

    @Test
    void aJobThatKeepsKillingItsWorkerIsDeadLetteredAsAPoisonPill() {
        JobId id = submit(aJob().maxAttempts(10).build()).id();
        for (int crash = 1; crash <= 3; crash++) {
            claim("node#" + crash, 1, LEASE);
            int n = crash;
            List<RescuedJob> r = tx.inTransaction(() -> store.reclaimEarlierIncarnations("node", "node#" + (n + 1), 10,
                    a -> 0, 3));
            assertThat(r).singleElement().satisfies(j -> assertThat(j.poisoned()).isEqualTo(n == 3));
        }

        assertThat(stateOf(id)).isEqualTo(JobState.DEAD_LETTER);
        assertThat(row(id).get("errorCategory")).isEqualTo("SYSTEM");
        String reason = lastErrorMessage(id);
        assertThat(reason).startsWith("poison pill: lost its worker 3 times").contains("node#1, node#2, node#3");

        tx.inTransaction(() -> store.apply(id, JobEvent.REDRIVE));
        claim("node#4", 1, LEASE);
        assertThat(tx.inTransaction(() -> store.reclaimEarlierIncarnations("node", "node#5", 10, a -> 0, 3)))
                .as("a re-drive forgives earlier losses").singleElement()
                .satisfies(j -> assertThat(j.poisoned()).isFalse());
    }

    private String lastErrorMessage(JobId id) {
        return (String) valueOf("SELECT last_error_message FROM dq_job WHERE id = ?", id);
    }

    @Test
    void rescuerLeavesLiveLeasesAlone() {
        JobId id = submit(aJob().build()).id();
        claim(1);
        assertThat(tx.inTransaction(() -> store.rescueExpiredLeases(10, attempt -> 0, 3))).isEmpty();
        assertThat(stateOf(id)).isEqualTo(JobState.RUNNING);
    }

    @Test
    void failedAttemptsRetryWithBackoffThenDeadLetter() {
        JobId id = submit(aJob().maxAttempts(2).build()).id();
        ClaimedJob first = claim(1).get(0);
        Failure boom = Failure.thrown(ErrorCategory.TEMPORARY, new java.io.IOException("service down"));

        assertThat(tx.inTransaction(() -> store.fail(first.lease(), JobEvent.FAIL_RETRYABLE, boom, 3_600_000))).isTrue();
        assertThat(stateOf(id)).isEqualTo(JobState.SCHEDULED);
        assertThat(claim(1)).as("backoff keeps it from running at once").isEmpty();

        tx.inTransaction(() -> {
            try (Connection c = tx.getConnection(); Statement s = c.createStatement()) {
                s.executeUpdate("UPDATE dq_job SET run_at = created_at WHERE id = '" + id + "'");
            }
            return null;
        });
        ClaimedJob second = claim(1).get(0);
        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.lastAttempt()).isTrue();
        assertThat(tx.inTransaction(() -> store.fail(second.lease(), JobEvent.EXHAUST, boom, 0))).isTrue();

        assertThat(stateOf(id)).isEqualTo(JobState.DEAD_LETTER);
        assertThat(row(id).get("finished")).isEqualTo(true);
        assertThat(row(id).get("errorCategory")).isEqualTo("TEMPORARY");
        assertThat(attemptOutcomes(id)).containsExactly("FAILED", "FAILED");
    }

    @Test
    void permanentFailureEndsTheJobAtOnceWithItsStackTrace() throws SQLException {
        JobId id = submit(aJob().build()).id();
        ClaimedJob job = claim(1).get(0);

        tx.inTransaction(() -> store.fail(job.lease(), JobEvent.FAIL_PERMANENT,
                Failure.thrown(ErrorCategory.PERMANENT, new IllegalArgumentException("no such customer")), 0));

        assertThat(stateOf(id)).isEqualTo(JobState.FAILED);
        try (Connection c = database().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT error_category, error_message, stack_trace FROM dq_attempt"
                     + " WHERE job_id = ?")) {
            ps.setString(1, id.toString());
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo("PERMANENT");
                assertThat(rs.getString(2)).contains("no such customer");
                assertThat(rs.getString(3)).contains("IllegalArgumentException").contains("JobStoreContract");
            }
        }
    }

    @Test
    void releaseGivesTheJobBackWithoutChargingTheAttempt() {
        JobId id = submit(aJob().build()).id();
        ClaimedJob job = claim(1).get(0);

        assertThat(tx.inTransaction(() -> store.release(job.lease(), "shutdown", 3, a -> 0)))
                .isEqualTo(ReleaseOutcome.RELEASED);

        assertThat(stateOf(id)).isEqualTo(JobState.SCHEDULED);
        assertThat(row(id).get("attempt")).isEqualTo(0);
        ClaimedJob again = claim(1).get(0);
        assertThat(again.attempt()).isEqualTo(1);
        assertThat(again.lease().runNo()).isEqualTo(2);
        assertThat(attemptOutcomes(id)).containsExactly("RELEASED", null);
    }

    @Test
    void cancellingARunningJobFencesOutItsLateCompletion() {
        JobId id = submit(aJob().build()).id();
        ClaimedJob job = claim(1).get(0);

        assertThat(tx.inTransaction(() -> store.apply(id, JobEvent.CANCEL)).after()).isEqualTo(JobState.CANCELLED);

        assertThat(tx.inTransaction(() -> store.complete(job.lease(), "{}"))).isFalse();
        assertThat(stateOf(id)).isEqualTo(JobState.CANCELLED);
        assertThat(row(id).get("finished")).isEqualTo(true);
        assertThat(attemptOutcomes(id)).containsExactly("CANCELLED");
        assertThat(tx.inTransaction(() -> store.renewLeases(List.of(job.lease()), LEASE))).containsExactly(id);
    }

    @Test
    void operatorEventsAreGuardedByTheTransitionTable() {
        JobId id = submit(aJob().build()).id();
        assertThat(tx.inTransaction(() -> store.apply(id, JobEvent.REDRIVE)))
                .isEqualTo(new Transition(true, JobState.SCHEDULED, JobState.SCHEDULED));
        assertThat(tx.inTransaction(() -> store.apply(id, JobEvent.CANCEL)).applied()).isTrue();
        assertThat(tx.inTransaction(() -> store.apply(id, JobEvent.CANCEL)))
                .isEqualTo(new Transition(true, JobState.CANCELLED, JobState.CANCELLED));
        assertThat(stateOf(id)).isEqualTo(JobState.CANCELLED);
        assertThat(tx.inTransaction(() -> store.apply(JobId.random(), JobEvent.CANCEL)).found()).isFalse();
    }

    @Test
    void redriveGivesADeadJobAFreshBudgetAndKeepsItsHistory() {
        JobId id = submit(aJob().maxAttempts(1).build()).id();
        ClaimedJob job = claim(1).get(0);
        tx.inTransaction(() -> store.fail(job.lease(), JobEvent.EXHAUST,
                Failure.thrown(ErrorCategory.SYSTEM, new NullPointerException()), 0));

        assertThat(tx.inTransaction(() -> store.apply(id, JobEvent.REDRIVE)).after()).isEqualTo(JobState.SCHEDULED);

        assertThat(row(id).get("attempt")).isEqualTo(0);
        assertThat(row(id).get("finished")).isEqualTo(false);
        ClaimedJob again = claim(1).get(0);
        assertThat(again.attempt()).isEqualTo(1);
        assertThat(again.lease().runNo()).isEqualTo(2);
        assertThat(attemptOutcomes(id)).hasSize(2);
    }

    @Test
    void heartbeatExtendsLiveLeasesAndReportsLostOnes() {
        JobId kept = submit(aJob().build()).id();
        JobId cancelled = submit(aJob().build()).id();
        List<ClaimedJob> jobs = claim("node-a#1", 2, 1);
        tx.inTransaction(() -> store.apply(cancelled, JobEvent.CANCEL));

        Set<JobId> lost = tx.inTransaction(() -> store.renewLeases(jobs.stream().map(ClaimedJob::lease).toList(), LEASE));

        assertThat(lost).containsExactly(cancelled);
        assertThat(tx.inTransaction(() -> store.rescueExpiredLeases(10, a -> 0, 3))).as("renewed lease is live").isEmpty();
        assertThat(stateOf(kept)).isEqualTo(JobState.RUNNING);
    }

    @Test
    void idempotencyKeyReturnsTheExistingJobInsteadOfASecond() {
        JobReceipt first = submit(aJob().idempotencyKey("order-42").build());
        JobReceipt second = submit(aJob().idempotencyKey("order-42").build());
        JobReceipt otherQueue = submit(aJob().queue("other").idempotencyKey("order-42").build());

        assertThat(second.created()).isFalse();
        assertThat(second.id()).isEqualTo(first.id());
        assertThat(otherQueue.created()).isTrue();
        assertThat(otherQueue.id()).isNotEqualTo(first.id());
    }

    @Test
    void aKeyRepeatedInsideOneBatchMeansOneJob() {
        List<JobReceipt> receipts = tx.inTransaction(() -> store.insert(List.of(
                aJob().idempotencyKey("same").build(), aJob().build(), aJob().idempotencyKey("same").build())));

        assertThat(receipts).extracting(JobReceipt::created).containsExactly(true, true, false);
        assertThat(receipts.get(2).id()).isEqualTo(receipts.get(0).id());
        assertThat(claim(10)).hasSize(2);
    }

    @Test
    void batchInsertIsAllOrNothing() {
        List<JobRequest> batch = List.of(aJob().build(), aJob().build());
        assertThatThrownBy(() -> tx.inTransaction(() -> {
            store.insert(batch);
            throw new IllegalStateException("caller rolls back");
        })).hasMessageContaining("caller rolls back");
        assertThat(claim(10)).isEmpty();
    }

    @Test
    void databaseRejectsARunningJobWithoutALeaseAndATerminalJobWithoutAFinishTime() throws SQLException {
        JobId id = submit(aJob().build()).id();
        try (Connection c = database().getConnection(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeUpdate("UPDATE dq_job SET state = 'RUNNING' WHERE id = '" + id + "'"))
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> s.executeUpdate("UPDATE dq_job SET state = 'COMPLETED' WHERE id = '" + id + "'"))
                    .isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> s.executeUpdate("UPDATE dq_job SET state = 'LOST' WHERE id = '" + id + "'"))
                    .isInstanceOf(SQLException.class);
        }
        assertThat(stateOf(id)).isEqualTo(JobState.SCHEDULED);
    }

    @Test
    void migrationsRunOnceAndRecordTheirChecksums() throws SQLException {
        assertThat(new SchemaMigrator(database()).migrate()).isZero();
        try (Connection c = database().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM dq_schema_history")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(SchemaMigrator.MIGRATIONS.size());
        }
    }

    @Test
    void aCheckpointIsSavedThroughTheLeaseAndHandedToTheNextAttempt() {
        JobId id = submit(aJob().build()).id();
        ClaimedJob first = claim(1).get(0);
        assertThat(first.checkpointJson()).isNull();

        assertThat(tx.inTransaction(() -> store.saveCheckpoint(first.lease(), "{\"step\":3}"))).isTrue();
        assertThat(tx.inTransaction(() -> store.saveProgress(first.lease(), 30, "step 3 of 10"))).isTrue();
        Failure lost = Failure.observed(AttemptOutcome.LEASE_EXPIRED, ErrorCategory.SYSTEM, "node died");
        assertThat(tx.inTransaction(() -> store.fail(first.lease(), JobEvent.RESCUE, lost, 0))).isTrue();

        ClaimedJob second = claim(1).get(0);
        assertThat(second.checkpointJson()).isEqualTo("{\"step\":3}");
        assertThat(tx.inTransaction(() -> store.saveCheckpoint(first.lease(), "{\"step\":99}")))
                .as("the old attempt's lease is gone").isFalse();
        assertThat(tx.inTransaction(() -> store.saveProgress(first.lease(), 99, "stale"))).isFalse();
        assertThat(tx.inTransaction(() -> store.saveCheckpoint(second.lease(), "{\"step\":4}"))).isTrue();
        try (Connection c = database().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT checkpoint_data, progress_percent, progress_message, checkpoint_at"
                     + " FROM dq_job WHERE id = '" + id + "'")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("{\"step\":4}");
            assertThat(rs.getInt(2)).isEqualTo(30);
            assertThat(rs.getString(3)).isEqualTo("step 3 of 10");
            assertThat(rs.getTimestamp(4)).isNotNull();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void retentionDeletesOnlyFinishedJobsOfTheStateOlderThanTheCutoffWithTheirAttempts() {
        JobId old = submit(aJob().build()).id();
        ClaimedJob job = claim(1).get(0);
        assertThat(tx.inTransaction(() -> store.complete(job.lease(), "null"))).isTrue();
        JobId running = submit(aJob().build()).id();
        claim(1);
        JobId waiting = submit(aJob().build()).id();
        java.time.Instant now = tx.inTransaction(() -> store.databaseTime()).plusSeconds(1);

        assertThat(store.selectPurgeCandidates("COMPLETED", now.minusSeconds(60), null, null, null, 10))
                .as("young: finished after the cutoff").isEmpty();
        List<PurgeCandidate> due = store.selectPurgeCandidates("COMPLETED", now, null, null, null, 10);
        assertThat(due).extracting(PurgeCandidate::id).containsExactly(old.toString());
        assertThat(store.selectPurgeCandidates("COMPLETED", now, null, due.get(0).finishedAt(), due.get(0).id(), 10))
                .as("keyset: nothing after the last one").isEmpty();
        assertThat(store.selectPurgeCandidates("COMPLETED", now, "other-queue", null, null, 10)).isEmpty();
        assertThat(tx.inTransaction(() -> store.purge(List.of(old.toString(), waiting.toString(), running.toString()),
                "COMPLETED", now))).as("only the finished one goes").isEqualTo(1);

        assertThat(row(old)).isNull();
        assertThat(attemptOutcomes(old)).as("its attempts went with it").isEmpty();
        assertThat(stateOf(waiting)).isEqualTo(JobState.SCHEDULED);
        assertThat(stateOf(running)).isEqualTo(JobState.RUNNING);
    }
}
