package dev.dukequeue.engine.batch;

import dev.dukequeue.JobContext;
import dev.dukequeue.JobHandler;
import dev.dukequeue.PermanentJobException;
import dev.dukequeue.TemporaryJobException;
import jakarta.batch.operations.JobOperator;
import jakarta.batch.operations.NoSuchJobExecutionException;
import jakarta.batch.runtime.BatchRuntime;
import jakarta.batch.runtime.BatchStatus;
import jakarta.batch.runtime.JobExecution;
import jakarta.batch.runtime.Metric;
import jakarta.batch.runtime.StepExecution;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.logging.Logger;

/**
 * A DukeQueue job that runs a Jakarta Batch job. Extend it, name the job XML, and bind it to a type:
 *
 * <pre>{@code
 * @ApplicationScoped
 * @HandlesJob("reports.build")
 * public class BuildReports extends JakartaBatchHandler {
 *     protected String jobXmlName() { return "build-reports"; }   // META-INF/batch-jobs/build-reports.xml
 * }
 * }</pre>
 *
 * <p>The payload's top-level string and number fields become the batch job's parameters. The batch execution id is
 * the queue job's checkpoint, and the batch execution's progress is the queue job's progress. When the queue job's
 * attempt ends without an outcome (its node was killed, a timeout, a shutdown), the next attempt does not start over:
 * <ul>
 *   <li>if the execution COMPLETED, the attempt just records it;</li>
 *   <li>if it is STOPPED or FAILED, it is restarted ({@code JobOperator.restart}) from its last chunk checkpoint;</li>
 *   <li>if it is still STARTED but this JVM did not start it, its JVM died: it is marked FAILED in the job repository
 *       ({@link BatchExecutions}) and restarted;</li>
 *   <li>if the job repository no longer knows it, a new execution starts.</li>
 * </ul>
 * A FAILED execution fails the attempt (TEMPORARY): the queue's retries restart it with backoff.
 */
public abstract class JakartaBatchHandler implements JobHandler<JsonObject> {

    private static final Logger LOG = Logger.getLogger(JakartaBatchHandler.class.getName());
    private static final Set<BatchStatus> RUNNING = Set.of(BatchStatus.STARTING, BatchStatus.STARTED,
            BatchStatus.STOPPING);

    @Inject
    BatchExecutions executions;

    /** @return the batch job's XML name ({@code META-INF/batch-jobs/<name>.xml}) */
    protected abstract String jobXmlName();

    /** @return how often the execution is polled for its status and progress */
    protected Duration pollInterval() {
        return Duration.ofMillis(250);
    }

    @Override
    public Object handle(JsonObject payload, JobContext context) throws InterruptedException {
        JobOperator operator = BatchRuntime.getJobOperator();
        Properties parameters = parameters(payload);
        long execution = resumeOrStart(operator, parameters, context);
        context.checkpoint(Json.createObjectBuilder().add("batchExecution", execution).build());
        while (true) {
            JobExecution e = operator.getJobExecution(execution);
            BatchStatus status = e.getBatchStatus();
            if (status == BatchStatus.COMPLETED) {
                executions.ended(execution);
                context.progress(100, "batch execution " + execution + " COMPLETED");
                return result(operator, e);
            }
            if (!RUNNING.contains(status)) {
                executions.ended(execution);
                throw new TemporaryJobException("batch execution " + execution + " of " + jobXmlName() + " ended "
                        + status + " (" + e.getExitStatus() + "); the next attempt restarts it from its last checkpoint");
            }
            long[] counts = counts(operator, execution);
            context.progress(0, "batch execution " + execution + " " + status + ": " + counts[0] + " read, "
                    + counts[1] + " written");
            if (context.awaitStop(pollInterval())) {
                try {
                    operator.stop(execution);
                } catch (RuntimeException ex) {
                    LOG.fine(() -> "stopping batch execution " + execution + ": " + ex);
                }
                throw new TemporaryJobException("asked to stop (" + context.stopReason().orElseThrow()
                        + "): batch execution " + execution + " stopped; the next attempt restarts it");
            }
        }
    }

    private long resumeOrStart(JobOperator operator, Properties parameters, JobContext context) {
        Long previous = context.lastCheckpoint(JsonObject.class)
                .filter(c -> c.get("batchExecution") instanceof JsonNumber)
                .map(c -> c.getJsonNumber("batchExecution").longValue()).orElse(null);
        if (previous != null) {
            BatchStatus was;
            try {
                was = operator.getJobExecution(previous).getBatchStatus();
            } catch (NoSuchJobExecutionException e) {
                was = null;
            }
            if (was == BatchStatus.COMPLETED || (was != null && RUNNING.contains(was) && executions.isStartedHere(previous))) {
                return previous; // it finished, or it still runs here: follow it
            }
            if (was != null && RUNNING.contains(was)) {
                executions.markOrphanFailed(previous, "its node died during attempt " + (context.attempt() - 1)
                        + " of job " + context.jobId());
                was = BatchStatus.FAILED;
            }
            if (was == BatchStatus.FAILED || was == BatchStatus.STOPPED) {
                long restarted = operator.restart(previous, parameters);
                executions.startedHere(restarted);
                Long from = previous;
                LOG.info(() -> "job " + context.jobId() + ": batch execution " + from + " of " + jobXmlName()
                        + " restarted from its last checkpoint as execution " + restarted);
                return restarted;
            }
            LOG.info(() -> "job " + context.jobId() + ": batch execution " + previous + " is unknown to the job"
                    + " repository; starting " + jobXmlName() + " anew");
        }
        long started = operator.start(jobXmlName(), parameters);
        executions.startedHere(started);
        return started;
    }

    private static Properties parameters(JsonObject payload) {
        Properties p = new Properties();
        if (payload == null) {
            return p;
        }
        for (Map.Entry<String, JsonValue> e : payload.entrySet()) {
            if (e.getValue() instanceof JsonString s) {
                p.setProperty(e.getKey(), s.getString());
            } else if (e.getValue() instanceof JsonNumber n) {
                p.setProperty(e.getKey(), n.toString());
            } else if (e.getValue().getValueType() == JsonValue.ValueType.TRUE
                    || e.getValue().getValueType() == JsonValue.ValueType.FALSE) {
                p.setProperty(e.getKey(), e.getValue().toString());
            } else {
                throw new PermanentJobException("payload field '" + e.getKey() + "' must be a string, number or"
                        + " boolean: it becomes a batch job parameter");
            }
        }
        return p;
    }

    /** @return {read, written} summed over the execution's steps */
    private static long[] counts(JobOperator operator, long execution) {
        long[] counts = new long[2];
        try {
            for (StepExecution step : operator.getStepExecutions(execution)) {
                for (Metric m : step.getMetrics()) {
                    if (m.getType() == Metric.MetricType.READ_COUNT) {
                        counts[0] += m.getValue();
                    } else if (m.getType() == Metric.MetricType.WRITE_COUNT) {
                        counts[1] += m.getValue();
                    }
                }
            }
        } catch (RuntimeException e) {
            // progress is best effort
        }
        return counts;
    }

    private static JsonObject result(JobOperator operator, JobExecution e) {
        JsonArrayBuilder steps = Json.createArrayBuilder();
        for (StepExecution step : operator.getStepExecutions(e.getExecutionId())) {
            var b = Json.createObjectBuilder().add("name", step.getStepName()).add("status", step.getBatchStatus().name());
            for (Metric m : step.getMetrics()) {
                b.add(m.getType().name(), m.getValue());
            }
            steps.add(b);
        }
        return Json.createObjectBuilder().add("batchExecution", e.getExecutionId())
                .add("exitStatus", String.valueOf(e.getExitStatus())).add("steps", steps).build();
    }
}
