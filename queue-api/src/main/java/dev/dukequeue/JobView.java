package dev.dukequeue;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot of one job, as read in one transaction. Immutable; it does not follow later changes.
 *
 * @param id             the job's id
 * @param type           its type
 * @param queue          its queue
 * @param state          its state when read
 * @param priority       0 (highest) .. 4 (lowest)
 * @param attempt        attempts used since submission or the last re-drive
 * @param maxAttempts    attempts allowed
 * @param createdAt      when it was submitted (database clock)
 * @param runAt          when it is or was due (database clock)
 * @param startedAt      when its latest attempt started, or null
 * @param finishedAt     when it reached a terminal state, or null
 * @param payloadJson    its payload as JSON text
 * @param resultJson     its result as JSON text, or null
 * @param lastError      the error of its latest failed attempt, or null
 * @param idempotencyKey its idempotency key, or null
 * @param leaseOwner     the node running it while RUNNING, or null
 * @param dependsOn      the jobs it waits for (or waited for), empty if none
 * @param pendingDependencies how many of them had not completed when it was read (while PENDING)
 * @param expiresAt      for a job with dependencies: when it is dead-lettered if it is still PENDING, or null
 * @param checkpointJson the last checkpoint its handler saved, or null
 * @param checkpointAt   when it was saved (database clock), or null
 * @param progressPercent the last progress its handler reported (0..100), or null
 * @param progressMessage the message with it, or null
 */
public record JobView(
        JobId id,
        String type,
        String queue,
        JobState state,
        int priority,
        int attempt,
        int maxAttempts,
        Instant createdAt,
        Instant runAt,
        Instant startedAt,
        Instant finishedAt,
        String payloadJson,
        String resultJson,
        JobError lastError,
        String idempotencyKey,
        String leaseOwner,
        List<JobId> dependsOn,
        int pendingDependencies,
        Instant expiresAt,
        String checkpointJson,
        Instant checkpointAt,
        Integer progressPercent,
        String progressMessage) {

    public JobView {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        dependsOn = dependsOn == null ? List.of() : List.copyOf(dependsOn);
    }
}
