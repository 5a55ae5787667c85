package dev.dukequeue.it.connector.appb;

import dev.dukequeue.JobContext;
import dev.dukequeue.JobListener;
import jakarta.annotation.Resource;
import jakarta.ejb.ActivationConfigProperty;
import jakarta.ejb.MessageDriven;
import java.time.Duration;
import java.time.Instant;
import javax.sql.DataSource;

/**
 * Runs {@code conn.stop-aware}, work that only ends when the engine asks it to stop: the first run of a job waits on
 * {@link JobContext#awaitStop}, then saves a checkpoint naming the stop reason and throws (so its transaction rolls
 * back and nothing of it stays but the checkpoint, which is written outside it). A later run finds the checkpoint,
 * records its effect and returns. So a job that was stopped once (its application undeployed) completes when the
 * bean is back, and its effect row says which attempt number that run had.
 *
 * <p>A run never asked to stop gives up after {@link #GIVE_UP} and fails, so a broken drain shows as a failed attempt,
 * not as a thread held for ever.
 */
@MessageDriven(activationConfig = {
        @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "dukequeue"),
        @ActivationConfigProperty(propertyName = "jobTypes", propertyValue = StopAwareBean.TYPE),
        @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "4")})
public class StopAwareBean implements JobListener {

    public static final String TYPE = "conn.stop-aware";
    static final Duration GIVE_UP = Duration.ofMinutes(3);

    @Resource(lookup = "jdbc/dukequeue")
    DataSource database;

    @Override
    public Object onJob(JobContext job) throws Exception {
        if (job.lastCheckpointJson().isPresent()) {
            Effects.record(database, job, "stop-aware");
            return null;
        }
        Instant giveUp = Instant.now().plus(GIVE_UP);
        while (!job.awaitStop(Duration.ofMillis(500))) {
            if (Instant.now().isAfter(giveUp)) {
                throw new IllegalStateException("conn.stop-aware: never asked to stop within " + GIVE_UP);
            }
        }
        String reason = job.stopReason().map(Enum::name).orElse("none");
        job.checkpointJson("{\"stoppedBy\":\"" + reason + "\"}");
        throw new IllegalStateException("conn.stop-aware: asked to stop (" + reason + ") before finishing");
    }
}
