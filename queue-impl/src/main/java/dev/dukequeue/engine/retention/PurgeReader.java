package dev.dukequeue.engine.retention;

import dev.dukequeue.engine.store.JdbcJobStore;
import dev.dukequeue.engine.store.PurgeCandidate;
import jakarta.batch.api.chunk.AbstractItemReader;
import jakarta.batch.runtime.context.JobContext;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Properties;

/**
 * Reads the finished jobs to purge, state by state, oldest first, a page at a time (keyset on finish time and id, so a
 * row that could not be deleted is never read again). Its checkpoint is its position, so a restarted execution goes
 * on where the last committed chunk ended.
 */
@Named("dukequeuePurgeReader")
@Dependent
public class PurgeReader extends AbstractItemReader {

    static final List<String> STATES = List.of("COMPLETED", "FAILED", "DEAD_LETTER", "CANCELLED");

    @Inject
    JobContext batchContext;

    @Inject
    JdbcJobStore store;

    private Properties parameters;
    private Position position;
    private final Deque<PurgeCandidate> page = new ArrayDeque<>();

    /** Where the reader is: the state it reads and the last row it handed out. */
    record Position(int state, Instant lastFinishedAt, String lastId) implements Serializable {
    }

    @Override
    public void open(Serializable checkpoint) {
        parameters = jakarta.batch.runtime.BatchRuntime.getJobOperator().getParameters(batchContext.getExecutionId());
        parameters = parameters == null ? new Properties() : parameters;
        position = checkpoint instanceof Position p ? p : new Position(0, null, null);
    }

    @Override
    public Object readItem() {
        while (page.isEmpty()) {
            if (position.state() >= STATES.size()) {
                return null;
            }
            String state = STATES.get(position.state());
            String cutoff = parameters.getProperty("cutoff." + state);
            if (cutoff != null) {
                int size = Integer.parseInt(parameters.getProperty("chunk", "1000"));
                page.addAll(store.selectPurgeCandidates(state, Instant.ofEpochMilli(Long.parseLong(cutoff)),
                        parameters.getProperty("queue"), position.lastFinishedAt(), position.lastId(), size));
            }
            if (page.isEmpty()) {
                position = new Position(position.state() + 1, null, null);
            }
        }
        PurgeCandidate next = page.poll();
        position = new Position(position.state(), next.finishedAt(), next.id());
        return next;
    }

    @Override
    public Serializable checkpointInfo() {
        // The page is re-read from the position after a restart; candidates already deleted are simply gone.
        page.clear();
        return position;
    }
}
