package dev.dukequeue.engine.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dukequeue.JobId;
import dev.dukequeue.engine.store.JdbcJobStore;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Defect 1 of the trust issue, at the dispatcher: whatever goes wrong between a claim and the start of a job (here the
 * JVM cannot make the worker thread of the second job of a claim of three) must neither keep the job RUNNING until
 * its lease expires nor keep its worker slot: the job is given back at once (attempt not charged), the claim's other
 * jobs run, and afterwards every slot is still there.
 */
class DispatcherLaunchTest {

    private static final String TYPE = "test.gate";
    private static final int WORKERS = 3;

    private final Set<String> entered = ConcurrentHashMap.newKeySet();
    private volatile CountDownLatch gate = new CountDownLatch(0);
    private final AtomicInteger workerThreads = new AtomicInteger();
    private DispatcherFixture fixture;

    @BeforeEach
    void dispatcher() throws SQLException {
        fixture = new DispatcherFixture(Map.of("dukequeue.poll.interval.ms", "20",
                "dukequeue.workers", String.valueOf(WORKERS), "dukequeue.claim.batch", String.valueOf(WORKERS)),
                JdbcJobStore::new, Map.of(TYPE, c -> {
                    entered.add(c.jobId().toString());
                    gate.await();
                    return "ok";
                }));
        fixture.threads = r -> {
            // The second thread the worker pool asks for cannot be made (the timer's pool is not counted).
            if (forWorkerPool() && workerThreads.incrementAndGet() == 2) {
                throw new OutOfMemoryError("unable to create native thread: possibly out of memory (test)");
            }
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        };
    }

    @AfterEach
    void stop() {
        gate = new CountDownLatch(0);
        fixture.close();
    }

    /** @return true if the thread is asked for by ThreadPoolExecutor.execute (the worker pool, not the timer) */
    private static boolean forWorkerPool() {
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> f.getMethodName().equals("execute")
                && f.getClassName().equals(ThreadPoolExecutor.class.getName())));
    }

    @Test
    void aJobThatCannotBeStartedIsGivenBackAtOnceAndNoSlotIsLost() {
        List<JobId> claim = List.of(fixture.submit(TYPE), fixture.submit(TYPE), fixture.submit(TYPE));
        // Closed while the claim is launched: no worker thread is idle, so each launch asks for a new one and the
        // second one fails (an idle thread reused by a later launch would move the failure to the third job).
        gate = new CountDownLatch(1);

        fixture.dispatcher.start();

        await().atMost(Duration.ofSeconds(30)).until(() -> entered.containsAll(List.of(claim.get(0).toString(),
                claim.get(2).toString())) && fixture.metrics.count("launchFailed") == 1);
        gate.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> claim.stream().allMatch(id ->
                "COMPLETED".equals(fixture.state(id))));
        assertThat(workerThreads).as("the failure did happen").hasValueGreaterThanOrEqualTo(2);
        assertThat(fixture.metrics.count("launchFailed")).isOne();
        assertThat(fixture.text("SELECT CAST(COUNT(*) AS VARCHAR) FROM dq_attempt WHERE outcome = 'RELEASED'"
                + " AND job_id = ?", claim.get(1))).as("the job that could not start was given back")
                .isEqualTo("1");
        assertThat(fixture.text("SELECT error_message FROM dq_attempt WHERE outcome = 'RELEASED' AND job_id = ?",
                claim.get(1))).contains("could not start it").contains("unable to create native thread");
        assertThat(fixture.text("SELECT CAST(attempt AS VARCHAR) FROM dq_job WHERE id = ?", claim.get(1)))
                .as("its attempt was not charged").isEqualTo("1");
        assertThat(fixture.text("SELECT CAST(lease_losses AS VARCHAR) FROM dq_job WHERE id = ?", claim.get(1)))
                .as("never left to a lease expiry").isEqualTo("0");
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.dispatcher.runningJobs().isEmpty());

        // Every slot is still there: three jobs that wait on a gate all start together.
        gate = new CountDownLatch(1);
        entered.clear();
        List<JobId> next = List.of(fixture.submit(TYPE), fixture.submit(TYPE), fixture.submit(TYPE));
        fixture.dispatcher.wake();
        await().atMost(Duration.ofSeconds(30)).until(() -> entered.size() == WORKERS);
        assertThat(fixture.dispatcher.runningJobs()).containsExactlyInAnyOrderElementsOf(next);
        gate.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> next.stream().allMatch(id ->
                "COMPLETED".equals(fixture.state(id))));
    }
}
