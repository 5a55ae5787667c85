package dev.dukequeue.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dukequeue.ErrorCategory;
import dev.dukequeue.JobEnded;
import dev.dukequeue.JobId;
import dev.dukequeue.JobQueue;
import dev.dukequeue.JobRequest;
import dev.dukequeue.JobState;
import dev.dukequeue.JobView;
import dev.dukequeue.it.handlers.EndingsObserver;
import dev.dukequeue.it.handlers.EndingsObserver.Delivery;
import jakarta.annotation.Resource;
import jakarta.inject.Inject;
import jakarta.transaction.UserTransaction;
import java.time.Duration;
import java.util.List;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The CDI event {@link JobEnded}, in the server, on each database the behaviour suite runs on: told once per job end to
 * each kind of observer, after the outcome committed (the observer reads the ended state itself), with what ended it;
 * a cancel, committed in its own transaction, is told whatever the caller's transaction does; an observer that throws
 * changes nothing.
 */
@ExtendWith(ArquillianExtension.class)
public abstract class JobEndedBehaviour {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Inject
    JobQueue jobs;

    @Inject
    EndingsObserver observer;

    @Resource
    UserTransaction userTransaction;

    /** @return the three deliveries of the job's end (sync, after success, async), once they all came */
    private List<Delivery> told(JobId id) {
        await().atMost(PATIENCE).until(() -> observer.of(id).size() >= 3);
        List<Delivery> told = observer.of(id);
        assertThat(told).extracting(Delivery::how).containsExactlyInAnyOrder("sync", "afterSuccess", "async");
        return told;
    }

    private JobView awaitEnd(JobId id, JobState state) {
        await().atMost(PATIENCE).until(() -> jobs.find(id).orElseThrow().state() == state);
        return jobs.find(id).orElseThrow();
    }

    @Test
    void eachEndIsToldToEveryKindOfObserverAfterItCommittedWithWhatEndedIt() {
        JobId done = jobs.submit(JobRequest.builder("test.count").queue("ends-ok").build()).id();
        JobId failed = jobs.submit(JobRequest.builder("demo.fail").queue("ends-ok")
                .payloadJson("{\"times\":9,\"permanent\":true}").maxAttempts(5).build()).id();
        JobId dead = jobs.submit(JobRequest.builder("demo.fail").queue("ends-ok").payloadJson("{\"times\":9}")
                .maxAttempts(1).build()).id();
        JobId cancelled = jobs.submit(JobRequest.builder("test.count").queue("ends-ok").delay(Duration.ofHours(1))
                .build()).id();
        jobs.cancel(cancelled);

        for (JobId id : List.of(done, failed, dead, cancelled)) {
            for (Delivery d : told(id)) {
                assertThat(d.stateAtDelivery()).as("%s saw the committed end of %s", d.how(), id)
                        .isEqualTo(d.event().state());
                assertThat(d.inTransaction()).as(d.how()).isFalse();
                assertThat(d.event().queue()).isEqualTo("ends-ok");
                assertThat(d.event().node()).as("the node that wrote it").startsWith("it-");
            }
        }
        JobEnded completed = observer.of(done).get(0).event();
        assertThat(completed.state()).isEqualTo(JobState.COMPLETED);
        assertThat(completed.type()).isEqualTo("test.count");
        assertThat(completed.attempt()).isEqualTo(1);
        assertThat(completed.errorCategory()).isNull();
        JobEnded permanent = observer.of(failed).get(0).event();
        assertThat(permanent.state()).isEqualTo(JobState.FAILED);
        assertThat(permanent.errorCategory()).isEqualTo(ErrorCategory.PERMANENT);
        assertThat(permanent.errorMessage()).isNotBlank();
        JobEnded exhausted = observer.of(dead).get(0).event();
        assertThat(exhausted.state()).isEqualTo(JobState.DEAD_LETTER);
        assertThat(exhausted.type()).isEqualTo("demo.fail");
        assertThat(exhausted.errorCategory()).isEqualTo(ErrorCategory.TEMPORARY);
        JobEnded cancel = observer.of(cancelled).get(0).event();
        assertThat(cancel.state()).isEqualTo(JobState.CANCELLED);
        assertThat(cancel.attempt()).as("it never ran").isZero();
    }

    @Test
    void aCancelIsToldAfterItsOwnCommitWhateverTheCallersTransactionDoes() throws Exception {
        JobId id = jobs.submit(JobRequest.builder("test.count").queue("ends-tx").delay(Duration.ofHours(1)).build())
                .id();

        // JobQueue.cancel commits in a transaction of its own: the caller's rollback does not undo it, and the event
        // tells what the database holds.
        userTransaction.begin();
        try {
            jobs.cancel(id);
        } finally {
            userTransaction.rollback();
        }

        assertThat(jobs.find(id).orElseThrow().state()).isEqualTo(JobState.CANCELLED);
        assertThat(told(id)).hasSize(3).allSatisfy(d -> {
            assertThat(d.stateAtDelivery()).isEqualTo(JobState.CANCELLED);
            assertThat(d.inTransaction()).as("observers run outside any transaction").isFalse();
        });
    }

    @Test
    void anObserverThatThrowsChangesNothing() {
        JobId id = jobs.submit(JobRequest.builder("test.count").queue("ends-throwing").build()).id();

        assertThat(awaitEnd(id, JobState.COMPLETED).resultJson()).contains("runs");
        await().atMost(PATIENCE).until(() -> observer.of(id).stream().anyMatch(d -> d.how().equals("async")));
        assertThat(observer.of(id)).extracting(Delivery::how).contains("sync", "async");
        assertThat(jobs.find(id).orElseThrow().state()).as("the outcome stands").isEqualTo(JobState.COMPLETED);
        // The delivery thread lives on: the next end is told too.
        JobId next = jobs.submit(JobRequest.builder("test.count").queue("ends-ok").build()).id();
        told(next);
    }
}
