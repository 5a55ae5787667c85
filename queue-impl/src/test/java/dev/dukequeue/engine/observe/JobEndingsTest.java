package dev.dukequeue.engine.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.dukequeue.JobEnded;
import dev.dukequeue.JobId;
import dev.dukequeue.JobState;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.NotificationOptions;
import jakarta.enterprise.util.TypeLiteral;
import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The delivery of {@link JobEnded} outside a container (the CDI part, observers after the commit, is
 * {@code JobEndedBehaviour} in the server): in order, on one thread, a failing observer stopping nothing, a full buffer
 * dropping and counting instead of waiting, non-terminal states and an unobserved engine doing nothing.
 */
class JobEndingsTest {

    /** Records what is fired; the synchronous path throws for the job {@link #failing}, or waits on {@link #gate}. */
    static final class RecordingEvent implements Event<JobEnded> {
        final List<String> sync = new CopyOnWriteArrayList<>();
        final List<String> async = new CopyOnWriteArrayList<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        volatile JobId failing;
        volatile CountDownLatch entered;
        volatile CountDownLatch gate;

        @Override
        public void fire(JobEnded e) {
            threads.add(Thread.currentThread().getName());
            CountDownLatch g = gate;
            if (g != null) {
                entered.countDown();
                try {
                    g.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
            sync.add(e.id().toString());
            if (e.id().equals(failing)) {
                throw new IllegalStateException("observer failure");
            }
        }

        @Override
        public <U extends JobEnded> CompletionStage<U> fireAsync(U e) {
            async.add(e.id().toString());
            return CompletableFuture.completedFuture(e);
        }

        @Override
        public <U extends JobEnded> CompletionStage<U> fireAsync(U e, NotificationOptions options) {
            return fireAsync(e);
        }

        @Override
        public Event<JobEnded> select(Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends JobEnded> Event<U> select(Class<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <U extends JobEnded> Event<U> select(TypeLiteral<U> subtype, Annotation... qualifiers) {
            throw new UnsupportedOperationException();
        }
    }

    private final RecordingEvent event = new RecordingEvent();
    private final JobEndings endings = new JobEndings(event, r -> new Thread(r, "endings-test"));

    private JobId end(JobState state) {
        JobId id = JobId.random();
        endings.ended(id, "t", "q", state, 1, "node#1", null, null);
        return id;
    }

    @Test
    void endsAreToldInOrderOnTheDeliveryThreadAndAFailingObserverStopsNothing() {
        JobId first = end(JobState.COMPLETED);
        event.failing = JobId.random();
        JobId failing = event.failing;
        endings.ended(failing, "t", "q", JobState.FAILED, 1, "node#1", dev.dukequeue.ErrorCategory.PERMANENT, "x");
        JobId last = end(JobState.CANCELLED);

        await().atMost(Duration.ofSeconds(10)).until(() -> event.async.size() == 3);
        assertThat(event.sync).containsExactly(first.toString(), failing.toString(), last.toString());
        assertThat(event.async).as("the asynchronous observers of the failing one too")
                .containsExactly(first.toString(), failing.toString(), last.toString());
        assertThat(event.threads).containsOnly("endings-test");
        assertThat(endings.counts()).containsExactly(3, 0);
    }

    @Test
    void aJobThatIsNotEndedTellsNothing() {
        end(JobState.SCHEDULED);
        end(JobState.RUNNING);
        JobId done = end(JobState.COMPLETED);

        await().atMost(Duration.ofSeconds(10)).until(() -> event.async.size() == 1);
        assertThat(event.sync).containsExactly(done.toString());
    }

    @Test
    void aFullBufferDropsAndCountsInsteadOfWaiting() throws Exception {
        event.entered = new CountDownLatch(1);
        event.gate = new CountDownLatch(1);
        end(JobState.COMPLETED); // taken by the delivery thread, which then waits at the gate
        assertThat(event.entered.await(10, TimeUnit.SECONDS)).isTrue();

        long start = System.nanoTime();
        for (int i = 0; i < JobEndings.MAX_PENDING + 5; i++) {
            end(JobState.COMPLETED);
        }
        long tookMs = (System.nanoTime() - start) / 1_000_000;

        assertThat(endings.counts()[1]).as("dropped").isEqualTo(5);
        CountDownLatch gate = event.gate;
        event.gate = null;
        gate.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> endings.counts()[0] == 1 + JobEndings.MAX_PENDING);
        assertThat(event.sync).hasSize(1 + JobEndings.MAX_PENDING);
        System.out.println("10,005 ends offered to a blocked observer in " + tookMs + " ms");
    }

    @Test
    void anEngineWithoutObserversBuildsNothing() {
        JobEndings none = JobEndings.none();
        none.ended(JobId.random(), "t", "q", JobState.COMPLETED, 1, "n", null, null);
        assertThat(none.counts()).containsExactly(0, 0);
    }
}
