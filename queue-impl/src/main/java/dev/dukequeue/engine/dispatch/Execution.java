package dev.dukequeue.engine.dispatch;

import dev.dukequeue.InvalidJobRequestException;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import dev.dukequeue.JobContext;
import dev.dukequeue.JobId;
import dev.dukequeue.StopReason;
import dev.dukequeue.engine.job.ClaimedJob;
import dev.dukequeue.engine.job.Lease;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One attempt of one job on this node, and the {@link JobContext} its handler sees.
 *
 * <p>Exactly one party settles an execution ({@link #settle()}): the worker when the handler returns, the timeout
 * when it fires first, the heartbeat when the lease turns out to be lost, a local cancel, or shutdown. Only the
 * settling party records an outcome and frees the worker slot, so a slot is freed exactly once even when a handler
 * never returns.
 */
final class Execution implements JobContext {

    final ClaimedJob job;
    private final ProgressSink sink;
    private volatile String checkpoint;
    private final AtomicBoolean settled = new AtomicBoolean();
    private final AtomicBoolean slotReleased = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile StopReason stopReason;
    private Thread thread;
    private volatile boolean handlerReturned;
    private volatile boolean leaseLost;
    volatile Future<?> timeout;

    private final long startedNanos = System.nanoTime();

    Execution(ClaimedJob job, ProgressSink sink) {
        this.job = job;
        this.sink = sink;
        this.checkpoint = job.checkpointJson();
    }

    /** @return how long this attempt has run, on the monotonic clock */
    java.time.Duration elapsed() {
        return java.time.Duration.ofNanos(System.nanoTime() - startedNanos);
    }

    Lease lease() {
        return job.lease();
    }

    /** @return true for the one caller that gets to record this attempt's outcome */
    boolean settle() {
        return settled.compareAndSet(false, true);
    }

    /** @return true for the one caller that gets to free this execution's worker slot */
    boolean releaseSlot() {
        return slotReleased.compareAndSet(false, true);
    }

    boolean isSettled() {
        return settled.get();
    }

    /** The heartbeat found the lease gone: no outcome of this attempt can be written any more. */
    void markLeaseLost() {
        leaseLost = true;
    }

    boolean leaseLost() {
        return leaseLost;
    }

    synchronized void bindThread(Thread t) {
        this.thread = t;
    }

    /** The handler returned: from now on an interrupt would hit whatever the thread runs next, so none is sent. */
    synchronized void unbindThread() {
        this.thread = null;
        this.handlerReturned = true;
    }

    /** @return true while a handler thread that was asked to stop has not returned */
    boolean abandoned() {
        return !handlerReturned;
    }

    /**
     * Asks the handler to stop; the first reason wins.
     *
     * @param interrupt also interrupt the handler's thread (if it is still in the handler)
     */
    void requestStop(StopReason reason, boolean interrupt) {
        synchronized (this) {
            if (stopReason == null) {
                stopReason = reason;
            }
            if (interrupt && thread != null) {
                thread.interrupt();
            }
        }
        stopped.countDown();
    }

    @Override
    public JobId jobId() {
        return job.lease().jobId();
    }

    @Override
    public String type() {
        return job.type();
    }

    @Override
    public String queue() {
        return job.queue();
    }

    @Override
    public int attempt() {
        return job.attempt();
    }

    @Override
    public int maxAttempts() {
        return job.maxAttempts();
    }

    @Override
    public String payloadJson() {
        return job.payloadJson();
    }

    @Override
    public boolean stopRequested() {
        return stopReason != null;
    }

    @Override
    public Optional<StopReason> stopReason() {
        return Optional.ofNullable(stopReason);
    }

    @Override
    public boolean awaitStop(Duration duration) throws InterruptedException {
        return stopped.await(duration.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public boolean checkpointJson(String json) {
        if (json == null) {
            throw new InvalidJobRequestException("checkpoint", "is required");
        }
        try (JsonReader reader = HandlerRegistry.JSON.createReader(new StringReader(json))) {
            reader.readValue();
        } catch (JsonException e) {
            throw new InvalidJobRequestException("checkpoint", "must be valid JSON: " + e.getMessage());
        }
        int bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > sink.maxBytes()) {
            throw new InvalidJobRequestException("checkpoint", "must be at most " + sink.maxBytes()
                    + " bytes (UTF-8), got " + bytes);
        }
        if (leaseLost || isSettled()) {
            return false;
        }
        if (!sink.checkpoint(lease(), json)) {
            markLeaseLost();
            requestStop(StopReason.LEASE_LOST, false);
            return false;
        }
        checkpoint = json;
        return true;
    }

    @Override
    public boolean checkpoint(Object state) {
        return checkpointJson(sink.toJson(state));
    }

    @Override
    public Optional<String> lastCheckpointJson() {
        return Optional.ofNullable(checkpoint);
    }

    @Override
    public <T> Optional<T> lastCheckpoint(Class<T> type) {
        String json = checkpoint;
        return json == null ? Optional.empty() : Optional.ofNullable(sink.fromJson(json, type));
    }

    @Override
    public boolean progress(int percent, String message) {
        if (percent < 0 || percent > 100) {
            throw new InvalidJobRequestException("percent", "must be between 0 and 100");
        }
        if (message != null && message.length() > 500) {
            throw new InvalidJobRequestException("message", "must be at most 500 characters");
        }
        if (leaseLost || isSettled()) {
            return false;
        }
        if (!sink.progress(lease(), percent, message)) {
            markLeaseLost();
            requestStop(StopReason.LEASE_LOST, false);
            return false;
        }
        return true;
    }

    @Override
    public String toString() {
        return "job " + jobId() + " (" + type() + ", attempt " + attempt() + "/" + maxAttempts() + ")";
    }
}
