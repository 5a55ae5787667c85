package dev.dukequeue.engine.store;

/**
 * The limits a submission's dependencies are held to, from the configuration.
 *
 * @param defaultLifetimeMs how long a job with dependencies may wait PENDING when its request does not say
 * @param maxDepth          longest chain of dependencies below a job
 * @param maxDependents     most jobs that may wait on one job
 */
public record SubmitRules(long defaultLifetimeMs, int maxDepth, int maxDependents) {

    /** Generous limits, for callers without a configuration (tests). */
    public static final SubmitRules DEFAULTS = new SubmitRules(7L * 24 * 3600 * 1000, 100, 1000);
}
