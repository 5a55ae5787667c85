package dev.dukequeue;

import java.io.Serializable;

/**
 * The connection factory of DukeQueue's resource adapter ({@code dukequeue.rar}): how an application deployed next to
 * the adapter submits jobs. Look it up or inject it by the JNDI name of its connector resource, for example:
 *
 * <pre>{@code
 * @Resource(lookup = "jca/dukequeue")
 * JobQueueConnectionFactory jobs;
 *
 * try (JobQueueConnection queue = jobs.getConnection()) {
 *     queue.submit(JobRequest.builder("invoice.send").payloadJson("{\"invoice\":42}").build());
 * }
 * }</pre>
 *
 * <p>A submission joins the caller's JTA transaction: commit and the job exists, rollback and it never did. Without a
 * transaction each submission commits on its own. Thread-safe; connections are pooled by the server.
 */
public interface JobQueueConnectionFactory extends Serializable {

    /**
     * Hands out a connection to the queue.
     *
     * @return an open connection; close it when done (try-with-resources)
     * @throws QueueUnavailableException at once, naming the cause, when the adapter's engine is not ready (still
     *                                   starting, database unreachable, failed): never a hang
     */
    JobQueueConnection getConnection();
}
