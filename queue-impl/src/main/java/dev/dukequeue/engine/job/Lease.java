package dev.dukequeue.engine.job;

import dev.dukequeue.JobId;
import java.util.Objects;

/**
 * One node's right to run one attempt of a job: the fence every move out of RUNNING checks. The token is new at
 * every claim, so a node that lost the lease (a rescuer, a cancel or another node got there first) can never change
 * the job again.
 *
 * @param jobId the job
 * @param owner the node incarnation holding it
 * @param token the claim's token: new at every claim (shared by the jobs claimed in one statement; the fence
 *              matches id and token together)
 * @param runNo the attempt row this claim opened (counts every claim of the job, never reset)
 */
public record Lease(JobId jobId, String owner, String token, int runNo) {

    public Lease {
        Objects.requireNonNull(jobId, "jobId");
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(token, "token");
    }
}
