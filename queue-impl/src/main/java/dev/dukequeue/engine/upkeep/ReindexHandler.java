package dev.dukequeue.engine.upkeep;

import dev.dukequeue.HandlesJob;
import dev.dukequeue.JobContext;
import dev.dukequeue.JobHandler;
import dev.dukequeue.PermanentJobException;
import dev.dukequeue.TemporaryJobException;
import dev.dukequeue.engine.config.EngineJobs;
import dev.dukequeue.engine.config.ReindexConfig;
import dev.dukequeue.engine.store.IndexPolicy;
import dev.dukequeue.engine.store.IndexReport;
import dev.dukequeue.engine.store.JdbcJobStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.logging.Logger;

/**
 * {@code dukequeue.reindex}: the index upkeep. The recurring job {@code dukequeue-reindex} enqueues it on
 * {@code dukequeue.reindex.cron} (PostgreSQL only); operators can submit it too, with {@code {"dryRun": true}} to see
 * each index's size and estimate without rebuilding anything. The store does the work
 * ({@link JdbcJobStore#rebuildBloatedIndexes}, whose class {@code store.Indexes} holds the rules); this handler turns
 * the configuration into a policy, logs what was done, and returns it as the job's result.
 *
 * <p>A transaction holding the xmin horizon skips the run with a warning naming it: it is what bloats the indexes in
 * the first place, and the operator is the one who can end it.
 */
@ApplicationScoped
@HandlesJob(ReindexHandler.TYPE)
public class ReindexHandler implements JobHandler<JsonObject> {

    public static final String TYPE = EngineJobs.REINDEX;
    private static final Logger LOG = Logger.getLogger(ReindexHandler.class.getName());

    @Inject
    JdbcJobStore store;

    @Inject
    ReindexConfig config;

    @Override
    public Object handle(JsonObject payload, JobContext context) {
        IndexPolicy policy = new IndexPolicy(config.bloat(), config.minBytes(), config.maxWait(), dryRun(payload));
        IndexReport report = store.rebuildBloatedIndexes(policy, context::stopRequested);
        if (report.skipped() != null && report.skipped().startsWith("a transaction")) {
            LOG.warning(() -> "index upkeep skipped: " + report.skipped() + ". While it stays open, no dead row or"
                    + " index entry can be removed; end it (pg_terminate_backend) if it was forgotten");
        } else if (report.skipped() != null) {
            LOG.info(() -> "index upkeep skipped: " + report.skipped());
        }
        report.leftovers().forEach(name -> LOG.warning(() -> "index upkeep: dropped " + name
                + ", left invalid by an interrupted rebuild"));
        report.rebuilt().forEach(r -> LOG.info(() -> "index upkeep: rebuilt " + r.name() + " from " + r.bytesBefore()
                + " to " + r.bytesAfter() + " bytes in " + r.millis() + " ms"));
        if (context.stopRequested()) {
            throw new TemporaryJobException("index upkeep stopped (" + context.stopReason().orElseThrow() + ") after "
                    + report.rebuilt().size() + " rebuild(s); the next attempt goes on");
        }
        context.progress(100, report.rebuilt().size() + " index(es) rebuilt"
                + (report.skipped() == null ? "" : ", skipped: " + report.skipped()));
        return result(report, policy);
    }

    /** @return the payload's {@code dryRun}; no other member is accepted */
    static boolean dryRun(JsonObject payload) {
        if (payload == null) {
            return false;
        }
        for (String key : payload.keySet()) {
            if (!key.equals("dryRun")) {
                throw new PermanentJobException("payload member '" + key + "' is unknown: the reindex job accepts"
                        + " only {\"dryRun\": true|false}");
            }
        }
        JsonValue v = payload.get("dryRun");
        if (v == null || v == JsonValue.NULL || v == JsonValue.FALSE) {
            return false;
        }
        if (v != JsonValue.TRUE) {
            throw new PermanentJobException("dryRun must be true or false, got " + v);
        }
        return true;
    }

    static JsonObject result(IndexReport report, IndexPolicy policy) {
        JsonArrayBuilder indexes = Json.createArrayBuilder();
        report.indexes().forEach(i -> indexes.add(Json.createObjectBuilder().add("index", i.name())
                .add("bytes", i.bytes()).add("estimatedBytes", i.estimatedBytes())
                .add("bloat", Math.round(i.bloat() * 100) / 100.0).add("bloated", policy.isBloated(i))));
        JsonArrayBuilder rebuilt = Json.createArrayBuilder();
        report.rebuilt().forEach(r -> rebuilt.add(Json.createObjectBuilder().add("index", r.name())
                .add("bytesBefore", r.bytesBefore()).add("bytesAfter", r.bytesAfter()).add("durationMs", r.millis())));
        var result = Json.createObjectBuilder().add("dryRun", policy.dryRun())
                .add("leftoversDropped", Json.createArrayBuilder(report.leftovers()))
                .add("rebuilt", rebuilt).add("indexes", indexes);
        if (report.skipped() != null) {
            result.add("skipped", report.skipped());
        }
        return result.build();
    }
}
