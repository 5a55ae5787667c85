package dev.dukequeue.it.connector.appb;

import dev.dukequeue.JobContext;
import dev.dukequeue.JobListener;
import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import jakarta.json.Json;
import jakarta.json.JsonReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import javax.sql.DataSource;

/**
 * Runs {@code conn.record-paced}: pauses for half the payload's {@code "ms"}, records its effect, pauses for the other
 * half and returns, all inside the delivery's transaction, so that a node killed at any moment cuts deliveries in
 * every phase (before the insert, after it, after the return while the completion commits).
 *
 * <p>If the server JVM has the system property {@value #JOURNAL}, every delivery appends {@code start <job> <attempt>}
 * on entry and {@code end <job> <attempt>} just before it returns to that file, outside any transaction: what really
 * reached the bean, whatever committed. A process kill does not lose a line the bean wrote (the kernel has it); a
 * torn last line is possible and is not a line.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "dukequeue"),
        @ActivationConfigProperty(propertyName = "jobTypes", propertyValue = PacedRecordingBean.TYPE),
        @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "16")})
public class PacedRecordingBean implements JobListener {

    public static final String TYPE = "conn.record-paced";
    /** The system property naming the bean's journal file. */
    public static final String JOURNAL = "dukequeue.it.connector.journal";

    @Resource(lookup = "jdbc/dukequeue")
    DataSource database;

    @Override
    public Object onJob(JobContext job) throws Exception {
        journal("start", job);
        long ms;
        try (JsonReader reader = Json.createReader(new StringReader(job.payloadJson()))) {
            ms = reader.readObject().getInt("ms", 0);
        }
        Thread.sleep(ms / 2); // the handler's own work, not a test's wait
        Effects.record(database, job, "paced");
        Thread.sleep(ms - ms / 2);
        journal("end", job);
        return null;
    }

    private static void journal(String event, JobContext job) throws IOException {
        String file = System.getProperty(JOURNAL);
        if (file != null) {
            // One write of one short line to a file opened for appending: lines of concurrent deliveries do not mix.
            Files.writeString(Path.of(file), event + " " + job.jobId() + " " + job.attempt() + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }
}
