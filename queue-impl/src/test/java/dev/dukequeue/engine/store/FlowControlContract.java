package dev.dukequeue.engine.store;

import static dev.dukequeue.engine.store.JobFixtures.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dukequeue.ErrorCategory;
import dev.dukequeue.JobId;
import dev.dukequeue.JobReceipt;
import dev.dukequeue.JobRequest;
import dev.dukequeue.JobState;
import dev.dukequeue.engine.job.ClaimedJob;
import dev.dukequeue.engine.job.JobEvent;
import dev.dukequeue.engine.submit.DependencyGraph;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Dependencies and race-free idempotency in the store, on every supported database (playbook 6 and issue 3/8).
 * Subclasses run it as a nested suite of their database's store test.
 */
abstract class FlowControlContract extends StoreFixture {

    private final ExecutorService threads = Executors.newFixedThreadPool(4);

    @AfterEach
    void stopThreads() {
        threads.shutdownNow();
    }

    private List<JobReceipt> submitGraph(SubmitRules rules, JobRequest... jobs) {
        List<JobRequest> requests = List.of(jobs);
        List<Integer> order = DependencyGraph.check(requests, 100, 1000);
        Submission s = tx.inTransaction(() -> store.submit(requests, order, rules));
        assertThat(s.rejected()).as("rejected: %s %s", s.field(), s.rule()).isFalse();
        return s.receipts();
    }

    private List<JobReceipt> submitGraph(JobRequest... jobs) {
        return submitGraph(SubmitRules.DEFAULTS, jobs);
    }

    private Submission trySubmit(SubmitRules rules, JobRequest... jobs) {
        List<JobRequest> requests = List.of(jobs);
        return tx.inTransaction(() -> store.submit(requests, DependencyGraph.check(requests, 100, 1000), rules));
    }

    /** Claims the one due job, which must be {@code expected}, and completes it. */
    private void runToCompletion(JobId expected) {
        ClaimedJob job = claimOnly(expected);
        assertThat(tx.inTransaction(() -> store.complete(job.lease(), "null"))).isTrue();
    }

    private ClaimedJob claimOnly(JobId expected) {
        List<ClaimedJob> claimed = claim(10);
        assertThat(claimed).extracting(c -> c.lease().jobId()).containsExactly(expected);
        return claimed.get(0);
    }

    private void failPermanently(JobId id) {
        ClaimedJob job = claimOnly(id);
        Failure bad = Failure.thrown(ErrorCategory.PERMANENT, new IllegalArgumentException("bad input"));
        assertThat(tx.inTransaction(() -> store.fail(job.lease(), JobEvent.FAIL_PERMANENT, bad, 0))).isTrue();
    }

    private String lastError(JobId id) {
        return (String) column(id, "last_error_message");
    }

    private Object column(JobId id, String column) {
        return valueOf("SELECT " + column + " FROM dq_job WHERE id = ?", id);
    }

    private void sql(String statement) {
        try (Connection c = database().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aJobWaitsPendingUntilItsDependencyCompletes() {
        JobId parent = submit(aJob().build()).id();
        JobReceipt child = submit(aJob().dependsOn(parent).build());

        assertThat(child.state()).isEqualTo(JobState.PENDING);
        runToCompletion(parent); // the claim takes only the parent: a PENDING job is never claimed
        assertThat(stateOf(child.id())).isEqualTo(JobState.SCHEDULED);
        runToCompletion(child.id());
    }

    @Test
    void aDependencyThatAlreadyCompletedDoesNotHoldTheJob() {
        JobId parent = submit(aJob().build()).id();
        runToCompletion(parent);
        assertThat(submit(aJob().dependsOn(parent).build()).state()).isEqualTo(JobState.SCHEDULED);
    }

    @Test
    void aDiamondSubmittedAsOneBatchRunsInDependencyOrder() {
        List<JobReceipt> r = submitGraph(
                aJob().key("report").dependsOnKeys("left", "right").build(),
                aJob().key("left").dependsOnKeys("fetch").build(),
                aJob().key("fetch").build(),
                aJob().key("right").dependsOnKeys("fetch").build());
        JobId report = r.get(0).id();
        JobId left = r.get(1).id();
        JobId fetch = r.get(2).id();
        JobId right = r.get(3).id();
        assertThat(r).extracting(JobReceipt::state)
                .containsExactly(JobState.PENDING, JobState.PENDING, JobState.SCHEDULED, JobState.PENDING);

        runToCompletion(fetch);
        List<ClaimedJob> both = claim(10);
        assertThat(both).extracting(c -> c.lease().jobId()).containsExactlyInAnyOrder(left, right);
        assertThat(tx.inTransaction(() -> store.complete(both.get(0).lease(), "null"))).isTrue();
        assertThat(stateOf(report)).as("one of two dependencies is not enough").isEqualTo(JobState.PENDING);
        assertThat(tx.inTransaction(() -> store.complete(both.get(1).lease(), "null"))).isTrue();
        runToCompletion(report);
    }

    @Test
    void aFailedDependencyDeadLettersEveryJobWaitingOnItWithTheReason() {
        List<JobReceipt> r = submitGraph(
                aJob().key("a").build(),
                aJob().key("b").dependsOnKeys("a").build(),
                aJob().key("c").dependsOnKeys("b").build());
        JobId a = r.get(0).id();
        JobId b = r.get(1).id();
        JobId c = r.get(2).id();

        failPermanently(a);

        assertThat(stateOf(b)).isEqualTo(JobState.DEAD_LETTER);
        assertThat(stateOf(c)).isEqualTo(JobState.DEAD_LETTER);
        assertThat(lastError(b)).startsWith("dependency not satisfiable: " + a).contains("FAILED");
        assertThat(lastError(c)).startsWith("dependency not satisfiable: " + b);
        assertThat(row(b).get("errorCategory")).isEqualTo("PERMANENT");
        assertThat(row(c).get("finished")).isEqualTo(true);
    }

    @Test
    void cancellingADependencyCancelsItsDependents() {
        JobId parent = submit(aJob().build()).id();
        JobId child = submit(aJob().dependsOn(parent).build()).id();
        JobId grandchild = submit(aJob().dependsOn(child).build()).id();

        assertThat(tx.inTransaction(() -> store.apply(parent, JobEvent.CANCEL)).applied()).isTrue();

        assertThat(stateOf(child)).isEqualTo(JobState.CANCELLED);
        assertThat(stateOf(grandchild)).isEqualTo(JobState.CANCELLED);
        assertThat(lastError(child)).isEqualTo("dependency not satisfiable: " + parent + " ended CANCELLED");
    }

    @Test
    void dependenciesOnMissingOrDeadJobsAreRefusedBeforeAnythingIsWritten() {
        JobId dead = submit(aJob().build()).id();
        failPermanently(dead);
        JobId missing = JobId.random();

        Submission unknown = trySubmit(SubmitRules.DEFAULTS, aJob().build(), aJob().dependsOn(missing).build());
        assertThat(unknown.rejected()).isTrue();
        assertThat(unknown.field()).isEqualTo("jobs[1].dependsOn[0]");
        assertThat(unknown.rule()).contains(missing.toString());
        assertThat(unknown.wrote()).isFalse();

        Submission unsatisfiable = trySubmit(SubmitRules.DEFAULTS, aJob().dependsOn(dead).build());
        assertThat(unsatisfiable.field()).isEqualTo("dependsOn[0]");
        assertThat(unsatisfiable.rule()).startsWith("dependency not satisfiable: " + dead).contains("FAILED");
        assertThat(count("SELECT COUNT(*) FROM dq_job")).isEqualTo(1);
    }

    @Test
    void chainsDeeperThanTheLimitAndJobsWithTooManyDependentsAreRefused() {
        SubmitRules shallow = new SubmitRules(60_000, 2, 2);
        JobId a = submit(aJob().build()).id();
        JobId b = submitGraph(shallow, aJob().dependsOn(a).build()).get(0).id();
        JobId c = submitGraph(shallow, aJob().dependsOn(b).build()).get(0).id();

        Submission tooDeep = trySubmit(shallow, aJob().dependsOn(c).build());
        assertThat(tooDeep.field()).isEqualTo("dependsOn");
        assertThat(tooDeep.rule()).contains("chain of 3").contains("at most 2");
        assertThat(tooDeep.wrote()).as("refused before anything was written").isFalse();

        submitGraph(shallow, aJob().dependsOn(a).build());
        Submission tooMany = trySubmit(shallow, aJob().dependsOn(a).build());
        assertThat(tooMany.field()).isEqualTo("dependsOn[0]");
        assertThat(tooMany.rule()).contains("3 dependents").contains("at most 2");
    }

    @Test
    void aJobWhoseDependencyNeverCompletesIsDeadLetteredWhenItsLifetimeRunsOut() {
        JobId stuck = submit(aJob().build()).id();
        claimOnly(stuck); // running, and never finishing
        JobId waiting = submit(aJob().dependsOn(stuck).lifetime(Duration.ofSeconds(1)).build()).id();
        JobId behind = submit(aJob().dependsOn(waiting).build()).id();

        assertThat(tx.inTransaction(() -> store.expirePending(100))).isEmpty();
        await().atMost(10, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
                .until(() -> tx.inTransaction(() -> store.expirePending(100)).contains(waiting));

        assertThat(stateOf(waiting)).isEqualTo(JobState.DEAD_LETTER);
        assertThat(lastError(waiting)).startsWith("dependency not satisfiable: lifetime PT1S ran out while waiting for "
                + stuck + " (RUNNING)");
        assertThat(stateOf(behind)).isEqualTo(JobState.DEAD_LETTER);
        assertThat(stateOf(stuck)).isEqualTo(JobState.RUNNING);
    }

    @Test
    void concurrentCompletionsOfSeveralDependenciesNeverLoseACountDown() throws Exception {
        int children = 40;
        List<JobId> parents = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            parents.add(submit(aJob().build()).id());
        }
        List<JobId> kids = new ArrayList<>();
        for (int i = 0; i < children; i++) {
            kids.add(submit(aJob().priority(4).dependsOn(parents).build()).id());
        }
        List<ClaimedJob> claimed = claim(4);
        assertThat(claimed).hasSize(4);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> done = new ArrayList<>();
        for (ClaimedJob job : claimed) {
            done.add(threads.submit(() -> {
                start.await();
                return tx.inTransaction(() -> store.complete(job.lease(), "null"));
            }));
        }
        start.countDown();
        for (Future<Boolean> f : done) {
            assertThat(f.get(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(count("SELECT COUNT(*) FROM dq_job WHERE state = 'SCHEDULED'")).isEqualTo(children);
        assertThat(tx.inTransaction(() -> store.repairDependencies(1000))).as("nothing to repair").isZero();
    }

    @Test
    void theRepairSweepSettlesJobsWhoseDependencyEndedUnseen() {
        // A dependency that ends while its dependent's submission is uncommitted cannot see the dependent: here the
        // parents' rows are moved behind the store's back, which leaves the same state.
        JobId parent = submit(aJob().build()).id();
        JobId child = submit(aJob().dependsOn(parent).build()).id();
        JobId doomedParent = submit(aJob().build()).id();
        JobId doomed = submit(aJob().dependsOn(doomedParent).build()).id();
        sql("UPDATE dq_job SET state = 'COMPLETED', finished_at = updated_at WHERE id = '" + parent + "'");
        sql("UPDATE dq_job SET state = 'DEAD_LETTER', finished_at = updated_at WHERE id = '" + doomedParent + "'");

        assertThat(tx.inTransaction(() -> store.repairDependencies(100))).isEqualTo(2);

        assertThat(stateOf(child)).isEqualTo(JobState.SCHEDULED);
        assertThat(stateOf(doomed)).isEqualTo(JobState.DEAD_LETTER);
        assertThat(lastError(doomed)).startsWith("dependency not satisfiable: " + doomedParent);
        assertThat(tx.inTransaction(() -> store.repairDependencies(100))).isZero();
    }

    @Test
    void aRedriveWaitsAgainForDependenciesAndIsRefusedWhileOneIsDead() {
        JobId parent = submit(aJob().build()).id();
        JobId child = submit(aJob().dependsOn(parent).build()).id();
        failPermanently(parent);
        assertThat(stateOf(child)).isEqualTo(JobState.DEAD_LETTER);

        Transition refused = tx.inTransaction(() -> store.apply(child, JobEvent.REDRIVE));
        assertThat(refused.applied()).isFalse();
        assertThat(refused.refusal()).contains(parent.toString()).contains("FAILED");

        assertThat(tx.inTransaction(() -> store.apply(parent, JobEvent.REDRIVE)).after()).isEqualTo(JobState.SCHEDULED);
        assertThat(tx.inTransaction(() -> store.apply(child, JobEvent.REDRIVE)).after()).isEqualTo(JobState.PENDING);
        runToCompletion(parent);
        runToCompletion(child);
    }

    @Test
    void aDuplicateKeySubmittedConcurrentlyWaitsForTheFirstAndGetsItsJob() throws Exception {
        CountDownLatch inserted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<JobReceipt> first = threads.submit(() -> tx.inTransaction(() -> {
            JobReceipt r = store.insert(List.of(aJob().idempotencyKey("order-7").build())).get(0);
            inserted.countDown();
            release.await();
            return r;
        }));
        assertThat(inserted.await(10, TimeUnit.SECONDS)).isTrue();
        Future<JobReceipt> second = threads.submit(
                () -> tx.inTransaction(() -> store.insert(List.of(aJob().idempotencyKey("order-7").build())).get(0)));
        await().during(Duration.ofMillis(500)).atMost(5, TimeUnit.SECONDS).until(() -> !second.isDone());
        release.countDown();

        JobReceipt a = first.get(30, TimeUnit.SECONDS);
        JobReceipt b = second.get(30, TimeUnit.SECONDS);
        assertThat(a.created()).isTrue();
        assertThat(b.created()).isFalse();
        assertThat(b.id()).isEqualTo(a.id());
        assertThat(count("SELECT COUNT(*) FROM dq_job")).isEqualTo(1);
    }

    @Test
    void whenTheFirstSubmitterOfAKeyRollsBackTheSecondCreatesTheJob() throws Exception {
        CountDownLatch inserted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<?> first = threads.submit(() -> {
            try {
                tx.inTransaction(() -> {
                    store.insert(List.of(aJob().idempotencyKey("order-8").build()));
                    inserted.countDown();
                    release.await();
                    throw new IllegalStateException("the application rolls back");
                });
            } catch (IllegalStateException expected) {
                // rolled back
            }
            return null;
        });
        assertThat(inserted.await(10, TimeUnit.SECONDS)).isTrue();
        Future<JobReceipt> second = threads.submit(
                () -> tx.inTransaction(() -> store.insert(List.of(aJob().idempotencyKey("order-8").build())).get(0)));
        release.countDown();
        first.get(30, TimeUnit.SECONDS);

        JobReceipt b = second.get(30, TimeUnit.SECONDS);
        assertThat(b.created()).isTrue();
        assertThat(stateOf(b.id())).isEqualTo(JobState.SCHEDULED);
        assertThat(count("SELECT COUNT(*) FROM dq_job")).isEqualTo(1);
    }

    @Test
    void aClusterWideQueueLimitHoldsAgainstConcurrentClaimers() throws Exception {
        tx.inTransaction(() -> {
            store.setMaxRunning("limited", 3);
            return null;
        });
        for (int i = 0; i < 20; i++) {
            submit(aJob().queue("limited").priority(0).build());
        }
        for (int i = 0; i < 5; i++) {
            submit(aJob().build());
        }
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<ClaimedJob>>> claimers = new ArrayList<>();
        for (int n = 0; n < 4; n++) {
            String owner = "node-" + n + "#1";
            claimers.add(threads.submit(() -> {
                start.await();
                return tx.inTransaction(() -> store.claim(owner, TYPES, 10, LEASE, java.util.Map.of()));
            }));
        }
        start.countDown();
        List<ClaimedJob> all = new ArrayList<>();
        for (Future<List<ClaimedJob>> f : claimers) {
            all.addAll(f.get(30, TimeUnit.SECONDS));
        }
        assertThat(all).filteredOn(j -> j.queue().equals("limited")).hasSize(3);
        assertThat(all).filteredOn(j -> j.queue().equals("default")).as("other queues take the rest").hasSize(5);
        assertThat(claim(10)).as("the limit is reached").isEmpty();

        ClaimedJob one = all.stream().filter(j -> j.queue().equals("limited")).findFirst().orElseThrow();
        assertThat(tx.inTransaction(() -> store.complete(one.lease(), "null"))).isTrue();
        assertThat(claim(10)).as("one place came free").hasSize(1);

        tx.inTransaction(() -> {
            store.setMaxRunning("limited", null);
            return null;
        });
        assertThat(claim(100)).as("without the limit the rest run").hasSize(16);
    }

    @Test
    void aNodeLimitCapsOnlyThisNodesClaimsOfThatQueue() {
        for (int i = 0; i < 5; i++) {
            submit(aJob().queue("reports").priority(0).build());
            submit(aJob().build());
        }
        List<ClaimedJob> claimed = tx.inTransaction(() -> store.claim("node-a#1", TYPES, 10, LEASE,
                java.util.Map.of("reports", 2)));
        assertThat(claimed).filteredOn(j -> j.queue().equals("reports")).hasSize(2);
        assertThat(claimed).filteredOn(j -> j.queue().equals("default")).hasSize(5);
        assertThat(tx.inTransaction(() -> store.claim("node-b#1", TYPES, 10, LEASE, java.util.Map.of())))
                .as("another node without the limit takes the rest").hasSize(3);
    }

    @Test
    void bulkRedriveSelectsByStateQueueTypeAndFinishTimeOldestFirst() {
        List<JobId> dead = new ArrayList<>();
        for (String queue : List.of("a", "b", "a")) {
            JobId id = submit(aJob().queue(queue).build()).id();
            ClaimedJob job = claimOnly(id);
            Failure boom = Failure.thrown(ErrorCategory.TEMPORARY, new IllegalStateException("down"));
            assertThat(tx.inTransaction(() -> store.fail(job.lease(), JobEvent.EXHAUST, boom, 0))).isTrue();
            dead.add(id);
        }
        java.time.Instant now = tx.inTransaction(() -> store.databaseTime());
        assertThat(store.selectForRedrive("DEAD_LETTER", "a", null, null, null, 100))
                .containsExactly(dead.get(0), dead.get(2));
        assertThat(store.selectForRedrive("DEAD_LETTER", null, JobFixtures.TYPE, now.minusSeconds(60),
                now.plusSeconds(1), 2)).containsExactly(dead.get(0), dead.get(1));
        assertThat(store.selectForRedrive("DEAD_LETTER", null, null, now.plusSeconds(1), null, 100)).isEmpty();
        assertThat(store.selectForRedrive("FAILED", null, null, null, null, 100)).isEmpty();
    }

    @Test
    void eachDueInstantIsEnqueuedExactlyOnceWhenSeveralNodesFireAtOnceAndNoneIsSkippedAfterDowntime()
            throws Exception {
        ScheduleDefinition d = everySecond("every-second");
        java.time.Instant first = tx.inTransaction(() -> store.registerSchedule(d));
        java.time.Instant now = tx.inTransaction(() -> store.databaseTime());
        assertThat(first).isAfter(now).isBeforeOrEqualTo(now.plusSeconds(1));
        // Every node was down for a while: the schedule's next run lies 8 seconds back.
        java.time.Instant since = first.minusSeconds(8);
        moveNextRun("every-second", since);

        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<FiredJob>>> nodes = new ArrayList<>();
        for (int n = 0; n < 4; n++) {
            nodes.add(threads.submit(() -> {
                start.await();
                return tx.inTransaction(() -> store.fireDueSchedules(java.util.Map.of(d.name(), d), QueueRoom.UNLIMITED, 100));
            }));
        }
        start.countDown();
        List<FiredJob> fired = new ArrayList<>();
        for (Future<List<FiredJob>> f : nodes) {
            fired.addAll(f.get(30, TimeUnit.SECONDS));
        }
        fired.addAll(tx.inTransaction(() -> store.fireDueSchedules(java.util.Map.of(d.name(), d), QueueRoom.UNLIMITED, 100)));

        assertThat(fired).allSatisfy(f -> assertThat(f.receipt().created()).isTrue());
        List<java.time.Instant> instants = fired.stream().map(FiredJob::instant).sorted().toList();
        assertThat(instants).as("every second from the outage on, once").doesNotHaveDuplicates()
                .startsWith(since, since.plusSeconds(1), since.plusSeconds(2));
        for (int i = 1; i < instants.size(); i++) {
            assertThat(instants.get(i)).isEqualTo(instants.get(i - 1).plusSeconds(1));
        }
        assertThat(instants.size()).isGreaterThanOrEqualTo(8);
        assertThat(count("SELECT COUNT(*) FROM dq_job WHERE queue = 'cron'")).isEqualTo(instants.size());
        ScheduleState state = store.schedules().get(0);
        assertThat(state.nextRunAt()).isEqualTo(instants.get(instants.size() - 1).plusSeconds(1));
        assertThat(state.lastRunAt()).isEqualTo(instants.get(instants.size() - 1));
        JobId lastJob = fired.stream().filter(f -> f.instant().equals(state.lastRunAt())).findFirst().orElseThrow()
                .receipt().id();
        assertThat(state.lastJobId()).isEqualTo(lastJob.toString());
        assertThat(column(lastJob, "idempotency_key")).isEqualTo("recurring:every-second:" + state.lastRunAt());
    }

    @Test
    void anUnchangedScheduleKeepsItsNextRunAcrossRestartsAndAChangedOneStartsAfresh() {
        ScheduleDefinition d = everySecond("kept");
        java.time.Instant first = tx.inTransaction(() -> store.registerSchedule(d));
        moveNextRun("kept", first.minusSeconds(60));
        assertThat(tx.inTransaction(() -> store.registerSchedule(d))).as("a restart keeps the missed instants")
                .isEqualTo(first.minusSeconds(60));

        ScheduleDefinition changed = new ScheduleDefinition("kept", "0 0 * * * * UTC", d.template(), d.next(), true);
        assertThat(tx.inTransaction(() -> store.registerSchedule(changed))).as("a new timing starts from now")
                .isAfter(first.minusSeconds(1));
    }

    @Test
    void aKeyInAGraphThatMatchesAnExistingJobByItsIdempotencyKeyStandsForThatJob() {
        JobId existing = submit(aJob().idempotencyKey("import-7").build()).id();
        runToCompletion(existing);

        List<JobReceipt> r = submitGraph(
                aJob().key("import").idempotencyKey("import-7").build(),
                aJob().key("report").dependsOnKeys("import").build());

        assertThat(r.get(0).created()).isFalse();
        assertThat(r.get(0).id()).isEqualTo(existing);
        assertThat(r.get(1).state()).as("its dependency already completed").isEqualTo(JobState.SCHEDULED);
        assertThat(count("SELECT COUNT(*) FROM dq_dependency WHERE depends_on = '" + existing + "'")).isEqualTo(1);
    }

    @Test
    void aLongOutageIsCaughtUpInBoundedStepsWithoutSkippingAnInstant() {
        ScheduleDefinition d = everySecond("catch-up");
        java.time.Instant first = tx.inTransaction(() -> store.registerSchedule(d));
        java.time.Instant since = first.minusSeconds(10);
        moveNextRun("catch-up", since);

        List<FiredJob> step = tx.inTransaction(() -> store.fireDueSchedules(java.util.Map.of(d.name(), d), QueueRoom.UNLIMITED, 3));
        assertThat(step).extracting(FiredJob::instant)
                .containsExactly(since, since.plusSeconds(1), since.plusSeconds(2));
        assertThat(store.schedules().get(0).nextRunAt()).isEqualTo(since.plusSeconds(3));
        List<FiredJob> next = tx.inTransaction(() -> store.fireDueSchedules(java.util.Map.of(d.name(), d), QueueRoom.UNLIMITED, 3));
        assertThat(next).extracting(FiredJob::instant).first().isEqualTo(since.plusSeconds(3));
    }

    @Test
    void withoutCatchUpOnlyTheLatestMissedInstantIsEnqueued() {
        ScheduleDefinition all = everySecond("latest-only");
        ScheduleDefinition d = new ScheduleDefinition(all.name(), all.signature(), all.template(), all.next(), false);
        java.time.Instant first = tx.inTransaction(() -> store.registerSchedule(d));
        moveNextRun("latest-only", first.minusSeconds(30));
        java.time.Instant now = tx.inTransaction(() -> store.databaseTime());

        List<FiredJob> fired = tx.inTransaction(() -> store.fireDueSchedules(java.util.Map.of(d.name(), d), QueueRoom.UNLIMITED, 100));

        assertThat(fired).hasSize(1);
        assertThat(fired.get(0).instant()).isBetween(now.minusSeconds(2), now.plusSeconds(1));
        assertThat(store.schedules().get(0).nextRunAt()).isEqualTo(fired.get(0).instant().plusSeconds(1));
    }

    private long count(String query) {
        try (Connection c = database().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(query)) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
