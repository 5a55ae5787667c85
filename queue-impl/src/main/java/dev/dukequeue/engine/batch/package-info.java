/**
 * Jakarta Batch jobs run as DukeQueue jobs: a handler starts an application's batch job, follows its execution as the
 * queue job's progress, and, after its node died, restarts the execution from its last chunk checkpoint.
 */
package dev.dukequeue.engine.batch;
