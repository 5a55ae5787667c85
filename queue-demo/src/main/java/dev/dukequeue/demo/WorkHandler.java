package dev.dukequeue.demo;

import dev.dukequeue.HandlesJob;
import dev.dukequeue.JobContext;
import dev.dukequeue.JobHandler;
import dev.dukequeue.PermanentJobException;
import dev.dukequeue.engine.config.DemoHandler;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * {@code demo.work} {"ms": n, "ignoreInterrupt": false}: works n milliseconds (0..3,600,000), then returns
 * {"worked": n, "execution": "&lt;node&gt;/&lt;pid&gt;/&lt;start time&gt;"}. Without {@code ignoreInterrupt} an
 * interrupt ends the work at once (InterruptedException); with it the handler works its n ms whatever happens, like
 * a handler that ignores the interrupt but, unlike {@code demo.hang}, ends: neither a shutdown's drain nor a timeout
 * stops it early.
 *
 * <p>When {@code dukequeue.demo.journal} (environment {@code DUKEQUEUE_DEMO_JOURNAL}) names a file, every execution
 * is recorded in it (see {@link ExecutionJournal}). The path comes from the node's configuration, never from a
 * payload. The crash tests give each node process a journal of its own.
 */
@ApplicationScoped
@DemoHandler
@HandlesJob("demo.work")
public class WorkHandler implements JobHandler<JsonObject> {

    /** The longest work a payload may ask for. */
    static final long MAX_MS = 3_600_000;

    private ExecutionJournal journal;

    public WorkHandler() {
    }

    /** For unit tests: records into {@code journal} (null: records nothing). */
    WorkHandler(ExecutionJournal journal) {
        this.journal = journal;
    }

    @PostConstruct
    void openJournal() {
        Config config = ConfigProvider.getConfig(WorkHandler.class.getClassLoader());
        config.getOptionalValue("dukequeue.demo.journal", String.class).filter(p -> !p.isBlank()).ifPresent(path ->
                journal = ExecutionJournal.open(Path.of(path), config.getOptionalValue("dukequeue.node.name",
                        String.class).orElseGet(WorkHandler::hostName), Clock.systemUTC()));
    }

    @PreDestroy
    void closeJournal() {
        if (journal != null) {
            journal.close();
        }
    }

    @Override
    public Object handle(JsonObject payload, JobContext context) throws InterruptedException {
        if (payload == null || !(payload.get("ms") instanceof JsonNumber ms) || !ms.isIntegral()
                || ms.longValue() < 0 || ms.longValue() > MAX_MS) {
            throw new PermanentJobException("demo.work needs a payload {\"ms\": <integer 0.." + MAX_MS + ">}");
        }
        JsonValue ignore = payload.getOrDefault("ignoreInterrupt", JsonValue.FALSE);
        if (ignore != JsonValue.TRUE && ignore != JsonValue.FALSE) {
            throw new PermanentJobException("demo.work: ignoreInterrupt must be true or false");
        }
        long started = journal == null ? 0 : journal.started(context.jobId(), context.attempt());
        boolean ok = false;
        try {
            work(ms.longValue(), ignore == JsonValue.TRUE);
            ok = true;
        } finally {
            if (journal != null) {
                journal.ended(context.jobId(), context.attempt(), started, ok);
            }
        }
        return Json.createObjectBuilder().add("worked", ms.longValue())
                .add("execution", journal == null ? "" : journal.executionId(started)).build();
    }

    private static void work(long ms, boolean ignoreInterrupt) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        for (long left = deadline - System.nanoTime(); left > 0; left = deadline - System.nanoTime()) {
            if (ignoreInterrupt) {
                LockSupport.parkNanos(left);
                Thread.interrupted(); // deliberately swallowed: this handler cannot be stopped
            } else {
                TimeUnit.NANOSECONDS.sleep(left);
            }
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "node";
        }
    }
}
