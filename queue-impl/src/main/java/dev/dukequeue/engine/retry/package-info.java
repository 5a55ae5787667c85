/** When a failed job runs again: exponential backoff with jitter, stored as the job's next run-at. */
package dev.dukequeue.engine.retry;
