package dev.dukequeue.engine.config;

/**
 * The checks of {@link EngineConfig}'s values, run once they are read (CDI or {@link EngineConfig#from}): a value that
 * breaks its rule stops the engine with a message naming the key, the rule and the value.
 */
final class ConfigChecks {

    private ConfigChecks() {
    }

    /**
     * @throws IllegalArgumentException naming the key and the rule of the first value that breaks it
     */
    static void check(EngineConfig c) {
        positive("dukequeue.dependencies.lifetime", c.dependencyLifetime.toMillis());
        positive("dukequeue.stats.interval.ms", c.statsIntervalMs);
        positive("dukequeue.stats.retention", c.statsRetention.toMillis());
        positive("dukequeue.nodes.forget-after", c.nodesForgetAfter.toMillis());
        positive("dukequeue.recurring.interval.ms", c.recurringIntervalMs);
        if (!c.logFormat.equals("text") && !c.logFormat.equals("json")) {
            throw new IllegalArgumentException("dukequeue.log.format must be text or json, got " + c.logFormat);
        }
        positive("dukequeue.retention.chunk", c.retentionChunk);
        positive("dukequeue.dependencies.max-per-job", c.maxDependencies);
        positive("dukequeue.dependencies.max-dependents", c.maxDependents);
        positive("dukequeue.dependencies.max-depth", c.maxDependencyDepth);
        if (!c.role.equals("worker") && !c.role.equals("admin")) {
            throw new IllegalArgumentException("dukequeue.node.role must be worker or admin, got '" + c.role + "'");
        }
        positive("dukequeue.workers", c.workers);
        positive("dukequeue.claim.batch", c.claimBatch);
        positive("dukequeue.completion.writers", c.completionWriters);
        positive("dukequeue.poll.interval.ms", c.pollIntervalMs);
        positive("dukequeue.lease.duration.ms", c.leaseDurationMs);
        positive("dukequeue.heartbeat.interval.ms", c.heartbeatIntervalMs);
        positive("dukequeue.rescuer.interval.ms", c.rescuerIntervalMs);
        positive("dukequeue.retry.backoff.base.ms", c.backoffBaseMs);
        positive("dukequeue.payload.max.bytes", c.payloadMaxBytes);
        positive("dukequeue.submit.batch.max", c.submitBatchMax);
        positive("dukequeue.poison.lease-losses", c.poisonLeaseLosses);
        positive("dukequeue.queue.max-waiting", c.maxWaiting);
        if (c.warnRatio <= 0 || c.warnRatio > 1) {
            throw new IllegalArgumentException("dukequeue.queue.warn-ratio must be in (0, 1], got " + c.warnRatio);
        }
        positive("dukequeue.startup.retry.max.ms", c.startupRetryMaxMs);
        if (c.drainMs < 0) {
            throw new IllegalArgumentException("dukequeue.shutdown.drain.ms must be zero or positive, got " + c.drainMs);
        }
        within("dukequeue.shutdown.interrupt-grace.ms", c.interruptGraceMs, 0, EngineConfig.MAX_INTERRUPT_GRACE_MS);
        within("dukequeue.release.max", c.releaseMax, 0, EngineConfig.MAX_RELEASES);
        if (c.heartbeatIntervalMs * 2 > c.leaseDurationMs) {
            throw new IllegalArgumentException("dukequeue.heartbeat.interval.ms (" + c.heartbeatIntervalMs
                    + ") must be at most half of dukequeue.lease.duration.ms (" + c.leaseDurationMs
                    + ") so that one missed heartbeat does not lose the lease");
        }
        if (c.backoffMaxMs < c.backoffBaseMs) {
            throw new IllegalArgumentException("dukequeue.retry.backoff.max.ms must be >= dukequeue.retry.backoff.base.ms");
        }
    }

    /**
     * Parses {@code name=n,name=n}: queue names as in job requests, each number at least 1.
     *
     * @throws IllegalArgumentException naming the key and the bad entry
     */
    static java.util.Map<String, Integer> queueNumbers(String key, String text) {
        java.util.Map<String, Integer> values = new java.util.TreeMap<>();
        for (String entry : text.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.trim().split("=", 2);
            String queue = parts[0].trim();
            if (parts.length != 2 || !dev.dukequeue.QueueName.isValid(queue)) {
                throw new IllegalArgumentException(key + " must be a list of queue=number, such as reports=2,mail=4;"
                        + " got '" + entry.trim() + "'");
            }
            try {
                int n = Integer.parseInt(parts[1].trim());
                if (n < 1) {
                    throw new NumberFormatException();
                }
                values.put(queue, n);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + ": the number for queue '" + queue
                        + "' must be a whole number of at least 1, got '" + parts[1].trim() + "'");
            }
        }
        return java.util.Collections.unmodifiableMap(values);
    }

    private static void within(String key, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(key + " must be between " + min + " and " + max + ", got " + value);
        }
    }

    private static void positive(String key, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
    }
}
