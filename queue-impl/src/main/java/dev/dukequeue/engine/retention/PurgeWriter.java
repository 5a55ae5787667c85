package dev.dukequeue.engine.retention;

import dev.dukequeue.engine.store.JdbcJobStore;
import dev.dukequeue.engine.store.PurgeCandidate;
import jakarta.batch.api.chunk.AbstractItemWriter;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * Deletes one chunk of finished jobs, one short transaction per chunk (the store's own: see
 * {@code JdbcJobStore.purge}). Each delete re-checks state and finish time, so a job re-driven since it was read is
 * kept. Counts what it deleted per state in {@link PurgeTally}.
 */
@Named("dukequeuePurgeWriter")
@Dependent
public class PurgeWriter extends AbstractItemWriter {

    @Inject
    JobContext batchContext;

    @Inject
    JdbcJobStore store;

    @Inject
    PurgeTally tally;

    @Override
    public void writeItems(List<Object> items) {
        Properties parameters = jakarta.batch.runtime.BatchRuntime.getJobOperator()
                .getParameters(batchContext.getExecutionId());
        Map<String, List<String>> byState = new LinkedHashMap<>();
        for (Object item : items) {
            PurgeCandidate c = (PurgeCandidate) item;
            byState.computeIfAbsent(c.state(), s -> new ArrayList<>()).add(c.id());
        }
        for (Map.Entry<String, List<String>> e : byState.entrySet()) {
            Instant cutoff = Instant.ofEpochMilli(Long.parseLong(parameters.getProperty("cutoff." + e.getKey())));
            int deleted = store.purge(e.getValue(), e.getKey(), cutoff);
            tally.add(batchContext.getExecutionId(), e.getKey(), deleted);
        }
    }
}
