package dev.dukequeue.it.handlers;

import dev.dukequeue.JobReceipt;
import dev.dukequeue.JobRequest;
import dev.dukequeue.engine.store.JdbcJobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/** Does store work in a CDI transaction that then rolls back, the way engine code on container threads does. */
@ApplicationScoped
public class TransactionalProbe {

    @Inject
    JdbcJobStore store;

    /** Inserts a job, then fails: the insert must vanish with the transaction. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public void insertThenFail(AtomicReference<JobReceipt> receipt) {
        receipt.set(store.insert(List.of(JobRequest.builder("test.tx").build())).get(0));
        throw new IllegalStateException("roll back");
    }
}
