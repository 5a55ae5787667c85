/**
 * Retention: a Jakarta Batch job that deletes finished jobs in chunks once they are older than their state's
 * retention, run on a schedule through a recurring job.
 */
package dev.dukequeue.engine.retention;
