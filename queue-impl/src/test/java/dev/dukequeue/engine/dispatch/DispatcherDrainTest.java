package dev.dukequeue.engine.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dukequeue.JobContext;
import dev.dukequeue.JobId;
import dev.dukequeue.engine.config.TestEngineConfig;
import dev.dukequeue.engine.job.Lease;
import dev.dukequeue.engine.store.JdbcJobStore;
import dev.dukequeue.engine.store.ReleaseOutcome;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntToLongFunction;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The dispatcher's drain on a real (H2) database, with handlers that outlive it: a job whose handler has not ended is
 * never released (another node would run it while this handler still does); one whose handler ends on the interrupt
 * is released through its worker's own path.
 */
class DispatcherDrainTest {

    private static final String STUBBORN = "test.stubborn";
    private static final String COOPERATIVE = "test.cooperative";

    private final List<JobId> releaseCalls = new CopyOnWriteArrayList<>();
    private final CountDownLatch stubbornEntered = new CountDownLatch(1);
    private final CountDownLatch cooperativeEntered = new CountDownLatch(1);
    private final CountDownLatch letStubbornGo = new CountDownLatch(1);
    private final AtomicInteger interruptsIgnored = new AtomicInteger();
    private DispatcherFixture fixture;
    private Dispatcher dispatcher;

    @BeforeEach
    void dispatcherOnAFreshDatabase() throws SQLException {
        fixture = new DispatcherFixture(Map.of("dukequeue.poll.interval.ms", "20",
                "dukequeue.shutdown.interrupt-grace.ms", "5000", "dukequeue.workers", "4"), h2 -> new JdbcJobStore(h2) {
                    @Override
                    public ReleaseOutcome release(Lease lease, String reason, int maxReleases,
                            IntToLongFunction backoffMs) {
                        releaseCalls.add(lease.jobId());
                        return super.release(lease, reason, maxReleases, backoffMs);
                    }
                }, Map.of(STUBBORN, this::stubborn, COOPERATIVE, this::cooperative));
        dispatcher = fixture.dispatcher;
    }

    @AfterEach
    void stop() {
        letStubbornGo.countDown();
        fixture.close();
    }

    @Test
    void aJobWhoseHandlerIgnoresTheInterruptStaysUnderLeaseAndOneWhoseHandlerEndsIsReleased() {
        JobId stubborn = submit(STUBBORN);
        JobId cooperative = submit(COOPERATIVE);
        dispatcher.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> stubbornEntered.getCount() == 0
                && cooperativeEntered.getCount() == 0);
        String stubbornLease = text("SELECT lease_token FROM dq_job WHERE id = ?", stubborn);
        dispatcher.stopClaiming();

        Dispatcher.DrainReport report = dispatcher.drain(Duration.ofMillis(100));

        assertThat(releaseCalls).as("only the job whose handler ended is released").containsExactly(cooperative);
        assertThat(interruptsIgnored).as("the stubborn handler was interrupted, and went on").hasPositiveValue();
        assertThat(text("SELECT state FROM dq_job WHERE id = ?", stubborn)).isEqualTo("RUNNING");
        assertThat(text("SELECT lease_token FROM dq_job WHERE id = ?", stubborn)).isEqualTo(stubbornLease);
        assertThat(text("SELECT state FROM dq_job WHERE id = ?", cooperative)).isEqualTo("SCHEDULED");
        assertThat(text("SELECT CAST(attempt AS VARCHAR) FROM dq_job WHERE id = ?", cooperative)).isEqualTo("0");
        assertThat(report.inFlight()).isEqualTo(2);
        assertThat(report.released()).isEqualTo(1);
        assertThat(report.leftUnderLease()).isEqualTo(1);
        assertThat(report.completed()).isZero();
        assertThat(dispatcher.runningJobs()).as("its lease is no longer renewed").isEmpty();

        letStubbornGo.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> dispatcher.abandonedThreads() == 0);

        assertThat(text("SELECT state FROM dq_job WHERE id = ?", stubborn))
                .as("the late return of the handler changes nothing: the job waits for its lease to expire")
                .isEqualTo("RUNNING");
        assertThat(text("SELECT lease_token FROM dq_job WHERE id = ?", stubborn)).isEqualTo(stubbornLease);
        assertThat(releaseCalls).containsExactly(cooperative);
    }

    @Test
    void pastTheReleaseLimitTheDrainChargesTheAttempt() {
        dispatcher.config = TestEngineConfig.with(Map.of("dukequeue.poll.interval.ms", "20",
                "dukequeue.shutdown.interrupt-grace.ms", "5000", "dukequeue.release.max", "0"));
        JobId cooperative = submit(COOPERATIVE);
        dispatcher.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> cooperativeEntered.getCount() == 0);
        dispatcher.stopClaiming();

        Dispatcher.DrainReport report = dispatcher.drain(Duration.ZERO);

        assertThat(releaseCalls).containsExactly(cooperative);
        assertThat(report.released()).as("not given back for free").isZero();
        assertThat(report.completed()).isEqualTo(1);
        assertThat(text("SELECT state FROM dq_job WHERE id = ?", cooperative)).isEqualTo("SCHEDULED");
        assertThat(text("SELECT CAST(attempt AS VARCHAR) FROM dq_job WHERE id = ?", cooperative)).isEqualTo("1");
        assertThat(text("SELECT last_error_message FROM dq_job WHERE id = ?", cooperative))
                .contains("released 1 times without finishing (limit dukequeue.release.max=0)");
    }

    @Test
    void withNoDrainTimeAHandlerThatEndsOnTheInterruptIsReleasedAndNothingIsLeftUnderLease() {
        JobId cooperative = submit(COOPERATIVE);
        dispatcher.start();
        await().atMost(Duration.ofSeconds(30)).until(() -> cooperativeEntered.getCount() == 0);
        dispatcher.stopClaiming();

        Dispatcher.DrainReport report = dispatcher.drain(Duration.ZERO);

        assertThat(releaseCalls).containsExactly(cooperative);
        assertThat(report.released()).isEqualTo(1);
        assertThat(report.leftUnderLease()).isZero();
        assertThat(text("SELECT state FROM dq_job WHERE id = ?", cooperative)).isEqualTo("SCHEDULED");
    }

    private JobId submit(String type) {
        return fixture.submit(type);
    }

    private String text(String sql, JobId id) {
        return fixture.text(sql, id);
    }

    /** Ignores interrupts until the test lets it go. */
    private Object stubborn(JobContext context) {
        stubbornEntered.countDown();
        while (true) {
            try {
                letStubbornGo.await();
                return "late";
            } catch (InterruptedException e) {
                interruptsIgnored.incrementAndGet();
            }
        }
    }

    /** Ends on the interrupt only (it does not watch stopRequested()). */
    private Object cooperative(JobContext context) throws InterruptedException {
        cooperativeEntered.countDown();
        new CountDownLatch(1).await();
        return "never";
    }
}
