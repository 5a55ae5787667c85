package dev.dukequeue.engine.retention;

import dev.dukequeue.HandlesJob;
import dev.dukequeue.JobContext;
import dev.dukequeue.JobHandler;
import dev.dukequeue.PermanentJobException;
import dev.dukequeue.TemporaryJobException;
import dev.dukequeue.engine.config.EngineConfig;
import dev.dukequeue.engine.store.JdbcJobStore;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.logging.Logger;

/**
 * {@code dukequeue.retention}: runs the Jakarta Batch job {@code dukequeue-purge} and follows it as this job's
 * progress. The recurring job {@code dukequeue-retention} enqueues it on {@code dukequeue.retention.cron}; operators
 * can submit it too. Payload (optional): {@code {"queue": "<only this queue>", "olderThanMs": {"COMPLETED": n, ...}}};
 * with {@code olderThanMs} only the states it names are purged, with those ages, instead of the configured ones.
 * Cut-offs are taken from the database clock. The result says how many rows of each state were deleted, and how long
 * it took.
 *
 * <p>The batch execution id is this job's checkpoint: if the attempt is interrupted (a shutdown, a timeout) and the
 * execution ended STOPPED or FAILED, the next attempt restarts it from its last committed chunk. Otherwise (its node
 * died with it) a new execution starts: purging is idempotent.
 */
@ApplicationScoped
@HandlesJob(RetentionHandler.TYPE)
public class RetentionHandler implements JobHandler<JsonObject> {

    public static final String TYPE = dev.dukequeue.engine.config.EngineJobs.RETENTION;
    static final String BATCH_JOB = "dukequeue-purge";
    private static final Logger LOG = Logger.getLogger(RetentionHandler.class.getName());
    private static final Set<BatchStatus> ENDED = Set.of(BatchStatus.COMPLETED, BatchStatus.FAILED,
            BatchStatus.STOPPED, BatchStatus.ABANDONED);

    @Inject
    JdbcJobStore store;

    @Inject
    EngineConfig config;

    @Inject
    PurgeTally tally;

    @Inject
    dev.dukequeue.engine.observe.EngineMetrics metrics;

    @Override
    public Object handle(JsonObject payload, JobContext context) throws InterruptedException {
        Properties parameters = parameters(payload, store.databaseTime());
        JobOperator operator = BatchRuntime.getJobOperator();
        long begin = System.nanoTime();
        long execution = restartOrStart(operator, parameters, context);
        context.checkpoint(Json.createObjectBuilder().add("batchExecution", execution).build());
        BatchStatus status;
        while (true) {
            JobExecution e = operator.getJobExecution(execution);
            status = e.getBatchStatus();
            if (ENDED.contains(status)) {
                break;
            }
            long deleted = tally.of(execution).values().stream().mapToLong(Long::longValue).sum();
            context.progress(0, "batch execution " + execution + " " + status + ": " + deleted + " rows deleted so far");
            if (context.awaitStop(Duration.ofMillis(200))) {
                operator.stop(execution);
                throw new TemporaryJobException("retention stopped (" + context.stopReason().orElseThrow()
                        + ") during batch execution " + execution + "; the next attempt restarts it");
            }
        }
        Map<String, Long> deleted = tally.of(execution);
        tally.forget(execution);
        long total = deleted.values().stream().mapToLong(Long::longValue).sum();
        long millis = (System.nanoTime() - begin) / 1_000_000;
        if (status != BatchStatus.COMPLETED) {
            throw new TemporaryJobException("purge batch execution " + execution + " ended " + status + " after "
                    + total + " rows; the next attempt restarts it");
        }
        JsonObjectBuilder perState = Json.createObjectBuilder();
        deleted.forEach(perState::add);
        deleted.forEach(metrics::retentionDeleted);
        context.progress(100, total + " rows deleted in " + millis + " ms");
        LOG.info(() -> "retention: deleted " + total + " finished jobs " + deleted + " in " + millis
                + " ms (batch execution " + execution + ")");
        return Json.createObjectBuilder().add("deleted", perState).add("total", total).add("durationMs", millis)
                .add("batchExecution", execution).build();
    }

    private long restartOrStart(JobOperator operator, Properties parameters, JobContext context) {
        Long previous = context.lastCheckpoint(JsonObject.class)
                .filter(c -> c.get("batchExecution") instanceof JsonNumber)
                .map(c -> c.getJsonNumber("batchExecution").longValue()).orElse(null);
        if (previous != null) {
            try {
                BatchStatus was = operator.getJobExecution(previous).getBatchStatus();
                if (was == BatchStatus.STOPPED || was == BatchStatus.FAILED) {
                    long restarted = operator.restart(previous, parameters);
                    LOG.info(() -> "retention: restarted batch execution " + previous + " (" + was + ") as "
                            + restarted);
                    return restarted;
                }
            } catch (RuntimeException e) {
                LOG.info(() -> "retention: batch execution " + previous + " cannot be restarted (" + e
                        + "); starting a new one");
            }
        }
        return operator.start(BATCH_JOB, parameters);
    }

    /** The batch job's parameters: a cut-off per state to purge, the queue filter and the chunk size. */
    Properties parameters(JsonObject payload, Instant now) {
        Properties p = new Properties();
        JsonValue ages = payload == null ? null : payload.get("olderThanMs");
        if (ages != null && ages != JsonValue.NULL) {
            if (!(ages instanceof JsonObject perState)) {
                throw new PermanentJobException("olderThanMs must be an object such as {\"COMPLETED\": 86400000}");
            }
            for (Map.Entry<String, JsonValue> e : perState.entrySet()) {
                if (!PurgeReader.STATES.contains(e.getKey()) || !(e.getValue() instanceof JsonNumber ms)
                        || ms.longValue() < 0) {
                    throw new PermanentJobException("olderThanMs." + e.getKey() + " must name a finished state "
                            + PurgeReader.STATES + " with a non-negative number of milliseconds");
                }
                p.setProperty("cutoff." + e.getKey(), Long.toString(now.minusMillis(ms.longValue()).toEpochMilli()));
            }
        } else {
            config.retention().forEach((state, age) ->
                    p.setProperty("cutoff." + state, Long.toString(now.minus(age).toEpochMilli())));
        }
        if (payload != null && payload.get("queue") instanceof JsonString queue) {
            p.setProperty("queue", queue.getString());
        }
        p.setProperty("chunk", Integer.toString(config.retentionChunk()));
        return p;
    }
}
