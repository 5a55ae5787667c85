/**
 * Recurring jobs: the cron expression parser and the timer that enqueues each due instant exactly once across the
 * cluster, catching up on instants missed while every node was down.
 */
package dev.dukequeue.engine.schedule;
