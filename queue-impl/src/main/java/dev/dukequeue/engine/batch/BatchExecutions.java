package dev.dukequeue.engine.batch;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;
import dev.dukequeue.engine.database.BatchRepository;
import org.eclipse.microprofile.config.ConfigProvider;

/**
 * What this node knows about the batch executions that DukeQueue jobs started, and the one repair the Jakarta Batch
 * API lacks: an execution left STARTED by a JVM that died can neither finish nor be restarted. Such an execution is
 * marked FAILED in the batch runtime's job repository (Payara's JBatch tables), after which
 * {@code JobOperator.restart} resumes it from its last committed chunk.
 *
 * <p>An execution counts as orphaned only if it is STARTING, STARTED or STOPPING and was not started by this JVM: the
 * DukeQueue job that owns it holds the lease, and its previous attempt (on this node before a restart, or on a node
 * that lost it) is gone.
 */
@ApplicationScoped
public class BatchExecutions {

    private static final Logger LOG = Logger.getLogger(BatchExecutions.class.getName());

    private final Set<Long> startedHere = ConcurrentHashMap.newKeySet();

    /** Remembers an execution this JVM started or restarted. */
    void startedHere(long execution) {
        startedHere.add(execution);
    }

    /** @return true if this JVM started the execution (it may still be running here) */
    boolean isStartedHere(long execution) {
        return startedHere.contains(execution);
    }

    void ended(long execution) {
        startedHere.remove(execution);
    }

    /**
     * Marks an orphaned execution FAILED in the job repository.
     *
     * @return true if a row changed
     * @throws IllegalStateException if the repository cannot be reached
     */
    boolean markOrphanFailed(long execution, String reason) {
        var config = ConfigProvider.getConfig(BatchExecutions.class.getClassLoader());
        String lookup = config.getOptionalValue("dukequeue.batch.repository", String.class)
                .orElse("jdbc/dukequeue-batch");
        String prefix = config.getOptionalValue("dukequeue.batch.table-prefix", String.class).orElse("jbatch");
        boolean changed = BatchRepository.markFailed(lookup, prefix, execution, reason);
        LOG.warning(() -> "batch execution " + execution + " was left running by a node that died; marked FAILED ("
                + reason + ") so that it can be restarted from its last checkpoint");
        return changed;
    }
}
