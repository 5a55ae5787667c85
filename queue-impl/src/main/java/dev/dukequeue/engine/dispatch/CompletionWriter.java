package dev.dukequeue.engine.dispatch;

import dev.dukequeue.engine.database.DatabaseGuard;
import dev.dukequeue.engine.store.JdbcJobStore;
import dev.dukequeue.engine.database.LocalTransactions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Logger;

/**
 * Outcomes of handlers that returned, waiting to be written: the completion writers take all that wait and write them
 * in one local transaction (group commit), each still fenced by its own lease. Bounded: when the database falls
 * behind, workers wait here (backpressure) instead of claiming more. A batch that fails is retried outcome by outcome
 * by the {@link OutcomeRecorder}, every second while each lease lasts.
 */
final class CompletionWriter {

    private static final Logger LOG = Logger.getLogger(CompletionWriter.class.getName());
    /** The most completions one transaction writes. */
    static final int MAX_COMPLETION_BATCH = 256;

    private record PendingCompletion(Execution execution, String json) {
    }

    private final DatabaseGuard database;
    private final LocalTransactions local;
    private final JdbcJobStore direct;
    private final OutcomeRecorder recorder;
    private final WorkerSlots slots;
    private final BooleanSupplier started;
    private final BlockingQueue<PendingCompletion> completions;
    private final List<Thread> writers = new ArrayList<>();

    /**
     * @param local    the pool's connections outside JTA, for the batches' local transactions
     * @param direct   the store on those connections
     * @param capacity how many outcomes may wait
     * @param started  false once the dispatcher closes: idle writers then leave
     */
    CompletionWriter(DatabaseGuard database, LocalTransactions local, JdbcJobStore direct, OutcomeRecorder recorder,
            WorkerSlots slots, int capacity, BooleanSupplier started) {
        this.database = database;
        this.local = local;
        this.direct = direct;
        this.recorder = recorder;
        this.slots = slots;
        this.started = started;
        this.completions = new LinkedBlockingQueue<>(capacity);
    }

    void start(java.util.concurrent.ThreadFactory threadFactory, int count) {
        for (int i = 0; i < count; i++) {
            Thread writer = threadFactory.newThread(this::write);
            writer.setName("dukequeue-completions-" + i);
            writers.add(writer);
            writer.start();
        }
    }

    /** Hands a completion to the writers; waits while they are full. */
    void put(Execution execution, String json) throws InterruptedException {
        completions.put(new PendingCompletion(execution, json));
    }

    /** Waits for the writers to leave (they do once nothing waits and the dispatcher closed), then interrupts them. */
    void close() {
        for (Thread writer : writers) {
            try {
                writer.join(5_000); // they leave once nothing is waiting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            writer.interrupt();
        }
    }

    /** A completion writer: takes every outcome waiting (up to a batch) and writes them with one commit. */
    private void write() {
        List<PendingCompletion> batch = new ArrayList<>(MAX_COMPLETION_BATCH);
        while (true) {
            PendingCompletion first;
            try {
                first = completions.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            if (first == null) {
                if (!started.getAsBoolean()) {
                    return;
                }
                continue;
            }
            batch.clear();
            batch.add(first);
            completions.drainTo(batch, MAX_COMPLETION_BATCH - 1);
            List<JdbcJobStore.Completion> writes = new ArrayList<>(batch.size());
            batch.forEach(p -> writes.add(new JdbcJobStore.Completion(p.execution().lease(), p.json())));
            boolean[] written;
            try {
                written = database.call("completion of " + writes.size() + " job(s)",
                        () -> local.inTransaction(() -> direct.completeAll(writes)));
            } catch (RuntimeException e) {
                // Each outcome is retried on its own, every second, while its lease lasts (the slot is already free).
                LOG.warning(() -> writes.size() + " completion(s) not written yet (" + e.getMessage() + "); retrying"
                        + " each every " + OutcomeRecorder.OUTCOME_RETRY_MS + " ms while its lease lasts");
                for (PendingCompletion p : batch) {
                    recorder.completionLater(p.execution(), p.json());
                }
                continue;
            }
            for (int i = 0; i < batch.size(); i++) {
                Execution execution = batch.get(i).execution();
                if (written[i]) {
                    recorder.completed(execution);
                } else {
                    OutcomeRecorder.completionRefused(execution);
                }
                slots.finish(execution);
            }
        }
    }
}
