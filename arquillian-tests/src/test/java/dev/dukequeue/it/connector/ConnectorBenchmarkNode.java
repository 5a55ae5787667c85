package dev.dukequeue.it.connector;

import dev.dukequeue.it.connector.bench.NoOpBean;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The benchmark's resource-adapter node ({@code DukeQueueBenchmark}, docs/benchmarks.md): Payara Micro with
 * {@code dukequeue.rar} and {@code bench.war}, whose no-op message-driven bean runs {@value NoOpBean#TYPE} with
 * {@code maxConcurrency} = the node's workers, on the benchmark's PostgreSQL. Deliveries hold a pooled connection for
 * their transaction, so the pool has room for all of them and for the engine's own work besides.
 */
public final class ConnectorBenchmarkNode implements AutoCloseable {

    private final ConnectorServer server;
    private final int workers;

    private ConnectorBenchmarkNode(ConnectorServer server, int workers) {
        this.server = server;
        this.workers = workers;
    }

    /** Starts the node in {@code dir} (not yet ready: see {@link #awaitReady}) with the engine's default timings. */
    public static ConnectorBenchmarkNode start(Path dir, String jdbcUrl, String nodeName, int workers) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("dukequeue.node.name", nodeName);
        settings.put("dukequeue.workers", Integer.toString(workers));
        Path war = ConnectorApps.exportBenchmark(dir, workers);
        return new ConnectorBenchmarkNode(ConnectorServer.start(dir, jdbcUrl, maxPoolSize(workers), "/bench/ready",
                settings, List.of(war)), workers);
    }

    /** @return the pool's size for {@code workers} deliveries at once: one connection each, as many again */
    public static int maxPoolSize(int workers) {
        return 2 * workers;
    }

    /**
     * Waits until the engine hands out connections, then checks that the bean was activated with the node's workers
     * as its {@code maxConcurrency} (the descriptor's override took).
     */
    public void awaitReady(Duration atMost) {
        server.awaitReady(atMost);
        String activated = "runs job types [" + NoOpBean.TYPE + "] (at most " + workers + " at once)";
        try {
            if (!Files.readString(server.log()).contains(activated)) {
                throw new IllegalStateException("the no-op bean was not activated with maxConcurrency " + workers
                        + " (no '" + activated + "' in " + server.log() + ")");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void pause(String queue) {
        call("/bench/pause?queue=" + queue);
    }

    public void resume(String queue) {
        call("/bench/resume?queue=" + queue);
    }

    /** Submits {@code count} no-op jobs to {@code queue} in one transaction. */
    public void submit(String queue, int count) {
        call("/bench/submit?queue=" + queue + "&count=" + count);
    }

    private void call(String pathAndQuery) {
        HttpResponse<String> r = server.get(pathAndQuery);
        if (r.statusCode() != 200) {
            throw new IllegalStateException(pathAndQuery + " answered " + r.statusCode() + " " + r.body());
        }
    }

    public Path log() {
        return server.log();
    }

    /** Kills the process and deletes what Payara unpacked; the log stays. */
    @Override
    public void close() {
        server.close();
    }
}
