package dev.dukequeue.demo;

import dev.dukequeue.JobId;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;

/**
 * A record of every execution of {@code demo.work}, kept outside the queue's tables so that a crash test can check
 * the queue's own record against it: one line when an execution starts (before its work) and one when it ends (after
 * its work, before the handler returns or throws), each written and forced to disk before the handler goes on. A line
 * that is in the file therefore happened; a killed process leaves a start line without its end.
 *
 * <p>Lines, space-separated (job ids, node names and outcomes hold no spaces; times are nanoseconds since the epoch
 * on this machine's wall clock):
 * <pre>
 * start &lt;time&gt; &lt;job id&gt; &lt;node&gt; &lt;pid&gt; &lt;attempt&gt;
 * end &lt;time&gt; &lt;job id&gt; &lt;node&gt; &lt;pid&gt; &lt;attempt&gt; &lt;start time&gt; &lt;ok|error&gt;
 * </pre>
 * Thread-safe: the file is opened in append mode and each line is written whole before another, so lines of
 * concurrent executions never interleave; the flushes to disk run concurrently.
 *
 * <p>A stream and {@code FileDescriptor.sync()} (fsync, as {@code FileChannel.force} does) rather than a
 * {@code FileChannel}: a channel is closed for good, for every thread, when a thread that uses it is interrupted, and
 * an interrupt is exactly what a shutdown's drain sends to a running handler.
 */
final class ExecutionJournal implements AutoCloseable {

    private final Path file;
    private final FileOutputStream out;
    private final String node;
    private final long pid;
    private final Clock clock;

    private ExecutionJournal(Path file, FileOutputStream out, String node, Clock clock) {
        this.file = file;
        this.out = out;
        this.node = node;
        this.pid = ProcessHandle.current().pid();
        this.clock = clock;
    }

    /** Opens (or creates) the journal {@code file} of node {@code node}, appending to what it holds. */
    static ExecutionJournal open(Path file, String node, Clock clock) {
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            return new ExecutionJournal(file, new FileOutputStream(file.toFile(), true), node, clock);
        } catch (IOException e) {
            throw new UncheckedIOException("demo.work cannot open its journal " + file, e);
        }
    }

    /** @return nanoseconds since the epoch, the start time the end line repeats (and the execution's id with the pid) */
    long started(JobId job, int attempt) {
        long now = nanos();
        append("start " + now + " " + job + " " + node + " " + pid + " " + attempt + "\n");
        return now;
    }

    void ended(JobId job, int attempt, long started, boolean ok) {
        append("end " + nanos() + " " + job + " " + node + " " + pid + " " + attempt + " " + started + " "
                + (ok ? "ok" : "error") + "\n");
    }

    /** @return the execution's id in the job's result: node, process and start time */
    String executionId(long started) {
        return node + "/" + pid + "/" + started;
    }

    private long nanos() {
        Instant now = clock.instant();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private void append(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        try {
            synchronized (this) { // a partial write's rest must follow it, before another line
                out.write(bytes);
            }
            // Only a line on disk counts: the handler goes on (to its work, or to return) after this.
            out.getFD().sync();
        } catch (IOException e) {
            throw new UncheckedIOException("demo.work cannot write its journal " + file, e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
