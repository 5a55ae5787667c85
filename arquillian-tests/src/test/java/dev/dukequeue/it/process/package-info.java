/**
 * Failure tests on real server processes: the runnable {@code dukequeue.jar} started as a child JVM against a
 * restartable embedded PostgreSQL, killed with SIGKILL, stopped with SIGTERM, crashed by a poison pill, and cut off
 * from its database. Plain JUnit: the test drives processes, not a deployment.
 */
package dev.dukequeue.it.process;
