/** Submission: the {@link dev.dukequeue.JobQueue} implementation, joined to the caller's JTA transaction. */
package dev.dukequeue.engine.submit;
