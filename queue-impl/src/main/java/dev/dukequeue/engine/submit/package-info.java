/**
 * Submission, the one path jobs come in by: the {@link dev.dukequeue.JobQueue} implementation (joined to the caller's
 * JTA transaction), the checks before any write ({@code SubmissionRules}), backpressure ({@code Backpressure}), and
 * both for recurring jobs ({@code RecurringSubmissions}).
 */
package dev.dukequeue.engine.submit;
