/**
 * Recurring jobs: the cron expression parser and the timer that enqueues each due instant exactly once across the
 * cluster, catching up on instants missed while every node was down; held to the submission rules and backpressure
 * through {@code RecurringAdmission}, which the submission path implements.
 */
package dev.dukequeue.engine.schedule;
