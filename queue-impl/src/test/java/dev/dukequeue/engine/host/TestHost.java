package dev.dukequeue.engine.host;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * An {@link EngineHost} of plain threads, as a resource adapter's WorkManager and timer would give them, with no JTA
 * transaction ever active. Close it after the engine's shutdown.
 */
final class TestHost implements EngineHost, AutoCloseable {

    private final ThreadFactory threads = r -> {
        Thread t = new Thread(r);
        t.setDaemon(true);
        return t;
    };
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(threads);

    @Override
    public ThreadFactory threads() {
        return threads;
    }

    @Override
    public AutoCloseable every(Duration period, Runnable task) {
        ScheduledFuture<?> f = timer.scheduleAtFixedRate(task, period.toMillis(), period.toMillis(),
                TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public boolean transactionActive() {
        return false;
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
