/**
 * The job model: the one table of allowed state transitions ({@link dev.dukequeue.engine.job.JobTransitions}),
 * the events that drive them, the lease that fences every move out of RUNNING, and the JPA entities of the read
 * model.
 */
package dev.dukequeue.engine.job;
