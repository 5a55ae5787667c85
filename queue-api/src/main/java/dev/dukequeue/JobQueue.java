package dev.dukequeue;

import java.util.List;
import java.util.Optional;

/**
 * The queue, as an application sees it. Inject it with {@code @Inject JobQueue queue}. Thread-safe.
 *
 * <p><b>Transactions.</b> {@link #submit} and {@link #submitAll} join the caller's JTA transaction when there is
 * one: the job exists only if that transaction commits, and workers are woken after the commit. Without a
 * transaction each call runs in its own. {@link #find} reads in the caller's transaction when there is one (so it
 * sees the caller's own submissions); {@link #cancel} and {@link #retry} always commit in a transaction of their own.
 *
 * <p><b>Errors.</b> Invalid requests are rejected before anything is written, with an
 * {@link InvalidJobRequestException} naming the field; these rejections do not mark the caller's transaction for
 * rollback. (One rare case is found only while writing: a batch key that resolves, through its idempotency key, to an
 * existing job that can never complete or that makes a chain too deep. Then the batch is refused the same way, and
 * the caller's transaction is marked for rollback so that none of the batch stays.) Infrastructure failures surface as
 * {@link JobQueueException}.
 */
public interface JobQueue {

    /**
     * Submits one job.
     *
     * @param request the validated request
     * @return the job's id and state; {@code created} is false when the idempotency key matched an existing job
     * @throws QueueFullException if the queue holds as many waiting jobs as it may (nothing is stored)
     * @throws JobQueueException  if the job could not be stored
     */
    JobReceipt submit(JobRequest request);

    /**
     * Submits several jobs atomically: all of them are stored, or none. Jobs of the batch may depend on each other
     * through their {@link JobRequest#key() keys} ({@link JobRequest#dependsOnKeys()}); such a graph is checked before
     * anything is written. A job with a dependency that has not completed is stored PENDING and becomes SCHEDULED when
     * the last one completes; if one ends FAILED or DEAD_LETTER it goes to DEAD_LETTER ("dependency not satisfiable"),
     * if one is cancelled it is cancelled.
     *
     * @param requests the requests, in submission order (which is also FIFO order within a priority, after each job's
     *                 dependencies in the batch)
     * @return one receipt per request, in the same order
     * @throws InvalidJobRequestException if the list is empty or too long, a key repeats, a dependency names no job
     *                                    or one that can never complete, the graph has a cycle (named in the message)
     *                                    or breaks a dependency limit (nothing is stored)
     */
    List<JobReceipt> submitAll(List<JobRequest> requests);

    /**
     * Reads one job.
     *
     * @param id the job's id
     * @return the job, or empty if there is none with this id
     */
    Optional<JobView> find(JobId id);

    /**
     * Cancels a job that has not finished. A SCHEDULED or PENDING job is cancelled at once; a RUNNING job is
     * cancelled in the database at once and its handler is asked to stop, and whatever it returns afterwards is
     * discarded. Jobs that wait on it (dependencies) are cancelled too.
     *
     * @param id the job's id
     * @return the job after the cancel
     * @throws JobNotFoundException      if there is no such job
     * @throws IllegalJobStateException  if the job already finished
     */
    JobView cancel(JobId id);

    /**
     * Re-drives a FAILED or DEAD_LETTER job: it becomes SCHEDULED, due now, with a fresh budget of attempts.
     * Its attempt history is kept.
     *
     * @param id the job's id
     * @return the job after the re-drive
     * @throws JobNotFoundException      if there is no such job
     * @throws IllegalJobStateException  if the job is not FAILED or DEAD_LETTER
     */
    JobView retry(JobId id);

    /**
     * Pauses a queue on every node: it keeps accepting submissions, but no node claims its jobs until it is resumed.
     * Jobs already running finish normally. Durable: survives restarts. Pausing a paused queue changes nothing.
     *
     * @param queue the queue's name (the queue need not have jobs yet)
     */
    void pause(String queue);

    /**
     * Resumes a paused queue on every node. Resuming a queue that is not paused changes nothing.
     *
     * @param queue the queue's name
     */
    void resume(String queue);

    /**
     * Re-drives the FAILED or DEAD_LETTER jobs a filter matches, oldest first, as {@link #retry} would one by one (so a
     * job re-driven together with the dependency it waits for waits again instead of being refused). Each job is its
     * own transition; a job that cannot be re-driven is skipped with its reason and the others go on.
     *
     * @param filter which jobs
     * @return what was re-driven and what was skipped
     */
    RedriveResult redrive(RedriveFilter filter);

    /**
     * Limits how many jobs of a queue run at once across all nodes. Durable and shared by every node; a lower limit
     * lets running jobs finish and claims nothing more until the queue is under it.
     *
     * @param queue      the queue's name
     * @param maxRunning at least 1; null removes the limit
     */
    void setMaxRunning(String queue, Integer maxRunning);
}
