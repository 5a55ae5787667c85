package dev.dukequeue;

/**
 * The message listener interface of DukeQueue's resource adapter ({@code dukequeue.rar}): a message-driven bean that
 * implements it, in any application deployed on the server, runs the jobs of the types it names. The adapter's
 * activation properties choose them:
 *
 * <pre>{@code
 * @MessageDriven(activationConfig = {
 *     @ActivationConfigProperty(propertyName = "resourceAdapter", propertyValue = "dukequeue"),
 *     @ActivationConfigProperty(propertyName = "jobTypes", propertyValue = "invoice.send"),
 *     @ActivationConfigProperty(propertyName = "maxConcurrency", propertyValue = "4")})
 * public class InvoiceSender implements JobListener {
 *     public Object onJob(JobContext job) throws Exception { ... }
 * }
 * }</pre>
 *
 * <p><b>Outcome.</b> As for a {@link JobHandler}: returning ends the attempt successfully and the returned value (may
 * be null) is stored as the job's result, as JSON; throwing {@link PermanentJobException} fails the job at once;
 * throwing anything else fails the attempt and the job is retried with backoff while attempts remain.
 *
 * <p><b>Transactions: exactly-once database effects.</b> With a container-managed transaction (the default,
 * {@code REQUIRED}), the adapter writes the job's outcome in the bean's own transaction: the rows the bean writes and
 * the job's COMPLETED commit together or not at all, and a rollback leaves the job to be retried. With a bean-managed
 * transaction or {@code NOT_SUPPORTED}, delivery is at-least-once, as for a {@code JobHandler}: make the bean
 * idempotent.
 *
 * <p><b>Threads.</b> {@code onJob} runs on a thread of the adapter's {@code WorkManager}; the container gives each
 * delivery its own bean instance from the pool, so a bean need not be thread-safe.
 */
public interface JobListener {

    /**
     * Runs one attempt of a job.
     *
     * @param job the job's identity, payload ({@link JobContext#payloadJson()}), attempt number and stop signal
     * @return the result to store as JSON, or null
     * @throws Exception to fail the attempt
     */
    Object onJob(JobContext job) throws Exception;
}
