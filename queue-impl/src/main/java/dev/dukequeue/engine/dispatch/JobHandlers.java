package dev.dukequeue.engine.dispatch;

import dev.dukequeue.JobContext;
import dev.dukequeue.engine.job.Lease;
import java.util.Set;

/**
 * The handlers a node runs, as the dispatcher sees them: which job types it claims and how one attempt runs. In the
 * application's host the CDI beans ({@link HandlerRegistry}); in a resource adapter's hand-built engine the message
 * endpoints activated on it, which come and go while the node runs.
 *
 * <p>Implementations are called from the dispatcher's threads and must be thread-safe.
 */
public interface JobHandlers {

    /**
     * The job types this node claims. Read before every claim, so it may change at run time: a type added is claimed
     * from the next claim on ({@code StandaloneEngine.wake()} makes that now); a type removed is no longer claimed, and
     * a job of it claimed just before is given back without charging its attempt instead of being run.
     *
     * @return the types, never null
     */
    Set<String> types();

    /**
     * The types whose handler takes jobs from one queue only (a message-driven bean's {@code queue} activation
     * property): a job of such a type is claimed only from that queue. Read before every claim, with {@link #types()}.
     *
     * @return per restricted type, its one queue; by default none (every type from every queue)
     */
    default java.util.Map<String, String> onlyQueues() {
        return java.util.Map.of();
    }

    /**
     * Whether this node still runs jobs of a type it claimed: asked between the claim and the start of each job. A type
     * may be left out of {@link #types()} for a while without being gone (a handler at its concurrency limit is not
     * claimed for, but the jobs already claimed for it still run); only a type for which this answers false makes
     * the dispatcher give its job back.
     *
     * @return by default, whether {@link #types()} has it
     */
    default boolean runs(String type) {
        return types().contains(type);
    }

    /**
     * Runs one attempt on the calling worker thread.
     *
     * @param context the attempt's context (payload, stop requests, checkpoints, progress)
     * @param lease   the attempt's lease: what a handler that writes the job's outcome itself passes to
     *                {@code JdbcJobStore.completeInCallerTransaction} (then it returns {@link Settled})
     * @return the handler's result, turned into the job's result by {@link #resultJson}; or {@link Settled} if the
     *         handler already settled the job's outcome itself (the dispatcher then writes nothing)
     * @throws Exception what the handler threw: a failed attempt, retried or not by the job's outcome policy
     */
    Object invoke(JobContext context, Lease lease) throws Exception;

    /**
     * @return the handler's result as JSON text, or null for none
     * @throws RuntimeException if it cannot be mapped (the attempt then fails permanently)
     */
    String resultJson(Object result);
}
