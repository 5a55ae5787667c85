package dev.dukequeue;

import java.time.ZoneId;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A job enqueued on a cron schedule. Declare one as a CDI bean ({@code @Produces RecurringJob}) or in the
 * configuration ({@code dukequeue.recurring=<name>,...} with {@code dukequeue.recurring.<name>.cron}, {@code .type},
 * ...); every node that knows it takes part, and each instant is enqueued exactly once across the cluster, including
 * the instants that passed while every node was down.
 *
 * <p>The job of each instant is {@link #job()} with its run-at set to that instant and the idempotency key
 * {@code recurring:<name>:<instant>}. The cron expression is checked when the engine starts (a bad one stops it
 * with a message naming the schedule); see {@code docs/flow-control.md} for its syntax.
 *
 * @param name the schedule's name, unique in the cluster: 1..64 characters of letters, digits and {@code . _ -}
 * @param cron a cron expression: 5 fields (minute hour day-of-month month day-of-week), 6 with seconds first, or a
 *             macro such as {@code @daily}
 * @param zone the time zone its wall-clock times are in; null for UTC
 * @param job  the job to enqueue; it may not carry an idempotency key, a run-at, a delay or dependencies
 * @param catchUp true (the default) to enqueue every instant missed while no node ran; false to enqueue only the
 *             latest missed one (for maintenance work where one run stands for all)
 */
public record RecurringJob(String name, String cron, ZoneId zone, JobRequest job, boolean catchUp) {

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public RecurringJob {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new InvalidJobRequestException("name", "must be 1..64 characters of letters, digits and . _ -");
        }
        if (cron == null || cron.isBlank()) {
            throw new InvalidJobRequestException("cron", "is required");
        }
        zone = zone == null ? ZoneId.of("UTC") : zone;
        Objects.requireNonNull(job, "job");
        if (job.idempotencyKey() != null) {
            throw new InvalidJobRequestException("job.idempotencyKey", "is set by the scheduler for each instant");
        }
        if (job.runAt() != null || job.delay() != null) {
            throw new InvalidJobRequestException("job.runAt", "is set by the scheduler: each job is due at its instant");
        }
        if (job.hasDependencies()) {
            throw new InvalidJobRequestException("job.dependsOn", "is not supported for recurring jobs");
        }
    }

    /**
     * @param name the schedule's name
     * @param cron its cron expression, in UTC
     * @param job  the job to enqueue at each instant
     * @return the schedule
     */
    public static RecurringJob of(String name, String cron, JobRequest job) {
        return new RecurringJob(name, cron, null, job, true);
    }

    /** @return the same schedule in another time zone */
    public RecurringJob inZone(ZoneId zone) {
        return new RecurringJob(name, cron, zone, job, catchUp);
    }

    /** @return the same schedule, enqueuing only the latest of the instants missed while no node ran */
    public RecurringJob withoutCatchUp() {
        return new RecurringJob(name, cron, zone, job, false);
    }
}
