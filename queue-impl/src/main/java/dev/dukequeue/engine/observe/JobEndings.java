package dev.dukequeue.engine.observe;

import dev.dukequeue.ErrorCategory;
import dev.dukequeue.JobEnded;
import dev.dukequeue.JobId;
import dev.dukequeue.JobState;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.spi.BeanManager;
import jakarta.inject.Inject;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells the application that jobs ended: the CDI event {@link JobEnded}, after the outcome committed. The one place the
 * engine's outcome paths call ({@code OutcomeRecorder}, the completion batches through it, the rescuer, start-up
 * recovery, a cancel) once their write committed: each of them writes in a transaction of its own (a cancel too,
 * whatever transaction its caller is in: {@code JobQueue.cancel}'s contract), so the event is never told for an
 * outcome that is not in the database.
 *
 * <p>Delivery never slows the queue nor changes an outcome: events wait in a buffer of {@value #MAX_PENDING} and one
 * engine thread fires them, synchronous observers first ({@code @Observes}, also those declared
 * {@code during = AFTER_SUCCESS}: no transaction is active on that thread, so they are called at once), then
 * asynchronous ones ({@code @ObservesAsync}); an observer's exception is logged with the job's id and nothing else
 * happens. A full buffer drops the event (counted, logged at most once a minute). With no observer of
 * {@code JobEnded} in the application (checked once), nothing is built or queued at all.
 */
@ApplicationScoped
public class JobEndings {

    private static final Logger LOG = Logger.getLogger(JobEndings.class.getName());

    /** Events waiting for the delivery thread; past this, new ones are dropped. */
    static final int MAX_PENDING = 10_000;

    private static final JobEnded SAMPLE = new JobEnded(JobId.random(), "", "",
            JobState.COMPLETED, 0, "", null, null);

    @Inject
    Event<JobEnded> event;

    @Inject
    BeanManager beans;

    @Resource
    ManagedThreadFactory threadFactory;

    private volatile Boolean observed;
    private final Queue<JobEnded> pending = new ConcurrentLinkedQueue<>();
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicBoolean delivering = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong delivered = new AtomicLong();
    private volatile long lastDropWarning;
    private ExecutorService deliverer;

    /** For CDI. */
    public JobEndings() {
    }

    /** For tests: observed, through this event, on threads of this factory. */
    JobEndings(Event<JobEnded> event, java.util.concurrent.ThreadFactory threads) {
        this.event = event;
        this.observed = true;
        this.deliverer = Executors.newSingleThreadExecutor(threads);
    }

    /** @return what a hand-built engine (no CDI: the resource adapter, tests) uses: nobody to tell, nothing done */
    public static JobEndings none() {
        JobEndings none = new JobEndings();
        none.observed = false;
        return none;
    }

    /** A job's outcome was written and committed; see the class comment. Cheap when nothing observes the event. */
    public void ended(JobId id, String type, String queue, JobState state, int attempt, String node,
            ErrorCategory category, String message) {
        if (!state.isTerminal() || !observed()) {
            return;
        }
        enqueue(new JobEnded(id, type, queue, state, attempt, node, category, message));
    }

    /** @return events fired, and events dropped because the buffer was full (since start) */
    public long[] counts() {
        return new long[] {delivered.get(), dropped.get()};
    }

    private boolean observed() {
        Boolean o = observed;
        if (o == null) {
            o = beans != null && event != null && !beans.resolveObserverMethods(SAMPLE).isEmpty();
            observed = o;
            if (o) {
                LOG.info("the application observes JobEnded: each job's end is told after its outcome committed");
            }
        }
        return o;
    }

    private void enqueue(JobEnded ended) {
        if (size.incrementAndGet() > MAX_PENDING) {
            size.decrementAndGet();
            long n = dropped.incrementAndGet();
            long now = System.nanoTime();
            if (now - lastDropWarning > 60_000_000_000L) {
                lastDropWarning = now;
                LOG.warning(() -> "JobEnded observers are slower than jobs end: " + n + " event(s) dropped so far"
                        + " (buffer of " + MAX_PENDING + "); the outcomes themselves are committed");
            }
            return;
        }
        pending.add(ended);
        if (delivering.compareAndSet(false, true)) {
            try {
                deliverer().execute(this::deliver);
            } catch (RejectedExecutionException stopping) {
                delivering.set(false);
            }
        }
    }

    private synchronized ExecutorService deliverer() {
        if (deliverer == null) {
            deliverer = threadFactory != null ? Executors.newSingleThreadExecutor(threadFactory)
                    : Executors.newSingleThreadExecutor();
        }
        return deliverer;
    }

    private void deliver() {
        while (true) {
            JobEnded ended;
            while ((ended = pending.poll()) != null) {
                size.decrementAndGet();
                fire(ended);
            }
            delivering.set(false);
            // An event added after the poll found the queue empty, before the flag was cleared, needs a deliverer.
            if (pending.isEmpty() || !delivering.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private void fire(JobEnded ended) {
        try {
            event.fire(ended);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "an observer of JobEnded failed for job " + ended.id() + " (" + ended.state()
                    + "); the job's outcome stands", e);
        }
        try {
            event.fireAsync(ended).exceptionally(e -> {
                LOG.log(Level.WARNING, "an asynchronous observer of JobEnded failed for job " + ended.id() + " ("
                        + ended.state() + "); the job's outcome stands", e);
                return null;
            });
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "JobEnded for job " + ended.id() + " could not be fired asynchronously", e);
        }
        delivered.incrementAndGet();
    }

    @PreDestroy
    synchronized void stop() {
        if (deliverer != null) {
            deliverer.shutdown();
        }
    }
}
