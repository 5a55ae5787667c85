package dev.dukequeue.engine.dispatch;

import dev.dukequeue.JobId;
import dev.dukequeue.StopReason;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The executions this node holds and its worker slots, and the one signal that wakes whoever waits on them: the claim
 * loop (a submission committed, a slot freed) and the drain (an execution finished).
 *
 * <p>An execution is held from its claim until its outcome is written (or given up); its slot is freed earlier, as
 * soon as its handler returned and its outcome was handed to the completion writers. Each is freed exactly once.
 */
final class WorkerSlots {

    private final Map<JobId, Execution> running = new ConcurrentHashMap<>();
    private final AtomicLong abandonedThreads = new AtomicLong();
    private final Object signal = new Object();
    private boolean woken;
    private volatile int workers;
    private volatile Semaphore slots;

    /** Opens {@code workers} slots (at start). */
    void open(int workers) {
        this.workers = workers;
        this.slots = new Semaphore(workers);
    }

    /** @return free slots now */
    int free() {
        return slots.availablePermits();
    }

    /** Takes a slot counted free by {@link #free()}; only the claim loop acquires, so it is still there. */
    void acquire() {
        slots.acquireUninterruptibly();
    }

    /** @return worker slots in use (0 before the dispatcher starts) */
    int busy() {
        Semaphore s = slots;
        return s == null ? 0 : Math.max(0, workers - s.availablePermits());
    }

    void hold(Execution execution) {
        running.put(execution.jobId(), execution);
    }

    Execution get(JobId id) {
        return running.get(id);
    }

    /** @return the executions held (a live view) */
    Collection<Execution> executions() {
        return running.values();
    }

    /** @return the executions of the given job types (a live view) */
    Collection<Execution> executionsOf(Set<String> types) {
        return new java.util.AbstractCollection<>() {
            @Override
            public java.util.Iterator<Execution> iterator() {
                return running.values().stream().filter(e -> types.contains(e.type())).iterator();
            }

            @Override
            public int size() {
                return (int) running.values().stream().filter(e -> types.contains(e.type())).count();
            }
        };
    }

    int size() {
        return running.size();
    }

    Set<JobId> ids() {
        return running.keySet().stream().collect(Collectors.toUnmodifiableSet());
    }

    /** Settled by someone other than its worker: interrupt the handler; its thread counts as abandoned until it returns. */
    void abandon(Execution execution, StopReason reason) {
        abandonedThreads.incrementAndGet();
        execution.requestStop(reason, true);
    }

    /** An abandoned handler returned after all. */
    void abandonedReturned() {
        abandonedThreads.decrementAndGet();
    }

    long abandonedThreads() {
        return abandonedThreads.get();
    }

    /** The execution is over (outcome written, refused or given up): forget it, free its slot if not yet done. */
    void finish(Execution execution) {
        if (execution.timeout != null) {
            execution.timeout.cancel(false);
        }
        if (running.remove(execution.jobId(), execution)) {
            releaseSlot(execution);
        }
        wake();
    }

    /** Frees the execution's worker slot, once (at completion hand-off or at finish, whichever is first). */
    void releaseSlot(Execution execution) {
        if (execution.releaseSlot()) {
            slots.release();
            wake();
        }
    }

    /** Wakes the claim loop now (a submission committed, a slot freed). Cheap; safe from any thread. */
    void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /** The claim loop's wait: until woken, {@code millis} passed, or {@code keepWaiting} turns false. */
    void awaitWake(long millis, BooleanSupplier keepWaiting) throws InterruptedException {
        synchronized (signal) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (!woken && keepWaiting.getAsBoolean()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                TimeUnit.NANOSECONDS.timedWait(signal, left);
            }
            woken = false;
        }
    }

    /** The drain's wait: up to {@code nanos} for the next wake-up ({@link #finish} wakes it). */
    void awaitFinish(long nanos) throws InterruptedException {
        synchronized (signal) {
            TimeUnit.NANOSECONDS.timedWait(signal, nanos);
        }
    }
}
