package dev.dukequeue.it.handlers;

import dev.dukequeue.JobEnded;
import dev.dukequeue.JobId;
import dev.dukequeue.JobQueue;
import dev.dukequeue.JobState;
import dev.dukequeue.JobView;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Observes {@link JobEnded} three ways (synchronous, after a transaction's success, asynchronous) for jobs of the
 * queues named {@code ends-*}, and records with each delivery what the database said of the job at that moment (read
 * by the observer through the queue's own read model in a fresh transaction: it must be the ended state, or the event
 * came before the commit). The synchronous observer throws for the queue {@code ends-throwing}, after recording.
 */
@ApplicationScoped
public class EndingsObserver {

    /** One delivery: how it came, the event, the job's state read at delivery, whether a transaction was active. */
    public record Delivery(String how, JobEnded event, JobState stateAtDelivery, boolean inTransaction) {
    }

    private final List<Delivery> deliveries = new CopyOnWriteArrayList<>();

    @Inject
    JobQueue queue;

    @Resource
    TransactionSynchronizationRegistry transactions;

    void sync(@Observes JobEnded e) {
        if (record("sync", e) && e.queue().equals("ends-throwing")) {
            throw new IllegalStateException("an observer that fails, for job " + e.id());
        }
    }

    void afterSuccess(@Observes(during = TransactionPhase.AFTER_SUCCESS) JobEnded e) {
        record("afterSuccess", e);
    }

    void async(@ObservesAsync JobEnded e) {
        record("async", e);
    }

    private boolean record(String how, JobEnded e) {
        if (e.queue() == null || !e.queue().startsWith("ends-")) {
            return false;
        }
        JobState now = queue.find(e.id()).map(JobView::state).orElse(null);
        deliveries.add(new Delivery(how, e, now, transactions.getTransactionStatus() == Status.STATUS_ACTIVE));
        return true;
    }

    /** @return the deliveries for the job, in arrival order */
    public List<Delivery> of(JobId id) {
        return deliveries.stream().filter(d -> d.event().id().equals(id)).toList();
    }
}
