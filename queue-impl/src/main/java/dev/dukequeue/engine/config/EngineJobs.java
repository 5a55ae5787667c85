package dev.dukequeue.engine.config;

import java.util.Set;

/**
 * The job types the engine submits and runs itself: retention's purge and the index upkeep. An admin node
 * ({@code dukequeue.node.role=admin}) runs these and no others, so that a server whose only CDI engine is the admin
 * WAR (next to the resource adapter) still purges finished jobs.
 */
public final class EngineJobs {

    /** Retention's purge, a recurring job of the engine ({@code dukequeue.retention.cron}). */
    public static final String RETENTION = "dukequeue.retention";

    /** The index upkeep, a recurring job of the engine on PostgreSQL ({@code dukequeue.reindex.cron}). */
    public static final String REINDEX = "dukequeue.reindex";

    /** Every type of the engine's own. */
    public static final Set<String> ALL = Set.of(RETENTION, REINDEX);

    private EngineJobs() {
    }
}
