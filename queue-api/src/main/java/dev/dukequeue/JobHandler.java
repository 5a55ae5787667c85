package dev.dukequeue;

/**
 * Runs jobs of one type. Implement it in a CDI bean (any scope; {@code @ApplicationScoped} is usual) annotated with
 * {@link HandlesJob}.
 *
 * <p><b>Payload.</b> The job's JSON payload is converted to {@code P} before the call: {@code String} receives the
 * raw JSON text, {@code jakarta.json.JsonValue} (or a subtype) the parsed JSON, and any other type is mapped with
 * JSON-B. A job submitted without a payload carries JSON {@code null}: handlers receive Java {@code null} (and
 * {@code JsonValue.NULL} when {@code P} is {@code JsonValue}). A payload that cannot be converted fails the job with
 * {@link ErrorCategory#PERMANENT}.
 *
 * <p><b>Outcome.</b> Returning ends the attempt successfully; the returned value (may be null) is stored as the
 * job's result, as JSON (a {@code JsonValue} as-is, anything else through JSON-B), in the same transaction that
 * marks the job COMPLETED. Throwing {@link PermanentJobException} fails the job at once. Throwing anything else,
 * {@link Error}s included, fails the attempt and the job is retried with backoff while attempts remain.
 *
 * <p><b>Threads and transactions.</b> {@code handle} runs on a container-managed worker thread with no transaction;
 * start one (for example through a {@code @Transactional} bean) for your own writes. Several jobs may run
 * concurrently on the same handler instance, so an {@code @ApplicationScoped} handler must be thread-safe.
 *
 * <p><b>At-least-once.</b> A job can run again after a crash, a timeout or a lost lease, so make handlers
 * idempotent. The queue guarantees that only one execution's outcome is ever recorded.
 *
 * @param <P> the payload type
 */
@FunctionalInterface
public interface JobHandler<P> {

    /**
     * Runs one attempt of a job.
     *
     * @param payload the job's payload, converted to {@code P}
     * @param context the job's identity, attempt number and stop signal
     * @return the result to store, or null
     * @throws Exception to fail the attempt (see the class comment for how it is classified)
     */
    Object handle(P payload, JobContext context) throws Exception;
}
