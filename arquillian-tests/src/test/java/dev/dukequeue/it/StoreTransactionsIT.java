package dev.dukequeue.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dukequeue.JobReceipt;
import dev.dukequeue.JobRequest;
import dev.dukequeue.engine.read.JobSearch;
import dev.dukequeue.engine.store.JdbcJobStore;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import jakarta.transaction.UserTransaction;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The store's statements belong to the JTA transaction on every kind of container thread: request threads and the
 * ManagedThreadFactory threads the dispatcher runs on. (On the latter, Payara begins a CDI @Transactional transaction
 * but does not enlist JDBC connections in it: each statement committed on its own until the store became an EJB.)
 */
@ExtendWith(ArquillianExtension.class)
class StoreTransactionsIT {

    @Deployment
    static WebArchive deployment() {
        java.util.Map<String, String> config = Deployments.fastEngine("it-tx");
        config.put("dukequeue.data.dir", Deployments.freshDataDir("tx"));
        return Deployments.dukequeue(config);
    }

    @Inject
    JdbcJobStore store;

    @Inject
    JobSearch search;

    @Inject
    dev.dukequeue.it.handlers.TransactionalProbe probe;

    @Resource
    UserTransaction transaction;

    @Resource
    ManagedThreadFactory threads;

    private boolean survivesRollback(Runnable inTransaction) throws Exception {
        transaction.begin();
        try {
            inTransaction.run();
        } finally {
            transaction.rollback();
        }
        return false;
    }

    @Test
    void storeWorkOnAManagedThreadRollsBackWithItsTransaction() throws Exception {
        CompletableFuture<JobReceipt> submitted = new CompletableFuture<>();
        Thread t = threads.newThread(() -> {
            try {
                survivesRollback(() -> submitted.complete(store.insert(List.of(JobRequest.builder("test.tx").build())).get(0)));
            } catch (Exception e) {
                submitted.completeExceptionally(e);
            }
        });
        t.start();
        JobReceipt receipt = submitted.get(30, TimeUnit.SECONDS);
        t.join(30_000);

        assertThat(search.find(receipt.id())).as("a rolled-back insert on a managed thread").isEmpty();
    }

    /** Runs {@link TransactionalProbe#insertThenFail} on a thread from {@code newThread} and returns what it inserted. */
    private JobReceipt insertThenFailOn(java.util.function.Function<Runnable, Thread> newThread) throws Exception {
        java.util.concurrent.atomic.AtomicReference<JobReceipt> receipt = new java.util.concurrent.atomic.AtomicReference<>();
        CompletableFuture<Void> done = new CompletableFuture<>();
        newThread.apply(() -> {
            try {
                probe.insertThenFail(receipt);
            } catch (IllegalStateException expected) {
                done.complete(null);
            } catch (RuntimeException e) {
                done.completeExceptionally(e);
            }
        }).start();
        done.get(30, TimeUnit.SECONDS);
        assertThat(receipt.get()).isNotNull();
        return receipt.get();
    }

    @Test
    void storeWorkInACdiTransactionOnANestedManagedThreadRollsBackWithIt() throws Exception {
        // A managed thread started by another managed thread, a CDI-begun transaction.
        CompletableFuture<JobReceipt> inner = new CompletableFuture<>();
        threads.newThread(() -> {
            try {
                inner.complete(insertThenFailOn(threads::newThread));
            } catch (Exception e) {
                inner.completeExceptionally(e);
            }
        }).start();

        assertThat(search.find(inner.get(60, TimeUnit.SECONDS).id())).as("an insert rolled back on a nested managed thread")
                .isEmpty();
    }

    @Inject
    dev.dukequeue.it.handlers.BeanManagedThreads beanManagedThreads;

    @Test
    void storeWorkInACdiTransactionOnAThreadMadeByABeanManagedEjbRollsBackWithIt() throws Exception {
        // Exactly the engine's former lineage: EngineBootstrap (then bean-managed) made the dispatcher's threads.
        JobReceipt receipt = insertThenFailOn(beanManagedThreads::newThread);

        assertThat(search.find(receipt.id())).as("an insert rolled back on a thread of a BMT bean").isEmpty();
    }

    @Test
    void storeWorkOnARequestThreadRollsBackWithItsTransaction() throws Exception {
        JobReceipt[] receipt = new JobReceipt[1];
        survivesRollback(() -> receipt[0] = store.insert(List.of(JobRequest.builder("test.tx").build())).get(0));

        assertThat(search.find(receipt[0].id())).isEmpty();
    }
}
