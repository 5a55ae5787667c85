/**
 * DukeQueue's public API: what an application compiles against to submit background jobs and to handle them.
 *
 * <p>Applications {@code @Inject} a {@link dev.dukequeue.JobQueue} and submit {@link dev.dukequeue.JobRequest}s;
 * a submission joins the caller's JTA transaction, so a rollback leaves no job behind. Work is done by CDI beans
 * that implement {@link dev.dukequeue.JobHandler} and carry {@link dev.dukequeue.HandlesJob} with the job type
 * they run. Every job moves through the states of {@link dev.dukequeue.JobState}; failures are classified by
 * {@link dev.dukequeue.ErrorCategory}.
 *
 * <p>Nothing in this package names JPA, EJB or an implementation type: the engine behind it can change freely.
 */
package dev.dukequeue;
