package dev.dukequeue.engine.submit;

import dev.dukequeue.InvalidJobRequestException;
import dev.dukequeue.JobId;
import dev.dukequeue.JobNotFoundException;
import dev.dukequeue.JobQueue;
import dev.dukequeue.JobReceipt;
import dev.dukequeue.JobRequest;
import dev.dukequeue.JobState;
import dev.dukequeue.JobView;
import dev.dukequeue.engine.read.JobSearch;
import dev.dukequeue.engine.dispatch.Dispatcher;
import dev.dukequeue.engine.job.JobEvent;
import dev.dukequeue.engine.database.DatabaseGuard;
import dev.dukequeue.engine.store.JdbcJobStore;
import dev.dukequeue.engine.database.StoreException;
import dev.dukequeue.engine.database.TransactionBoundary;
import dev.dukequeue.engine.store.Submission;
import dev.dukequeue.engine.store.Transition;
import dev.dukequeue.engine.job.JobTransitions;
import dev.dukequeue.IllegalJobStateException;
import dev.dukequeue.QueueFullException;
import dev.dukequeue.QueueUnavailableException;
import dev.dukequeue.RedriveFilter;
import dev.dukequeue.RedriveResult;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The {@link JobQueue} applications inject. Submissions join the caller's JTA transaction (or run in their own) and
 * wake this node's dispatcher once that transaction commits; rejections for bad input happen before any write and
 * leave the caller's transaction intact.
 *
 * <p>Two hosts. Under CDI the {@code @Transactional} interceptor gives {@link #submitAll} its transaction and the
 * registry is the server's. Built by hand (a resource adapter's engine) a {@link TransactionBoundary} does: the
 * submission joins the caller's JTA transaction when one is active, else runs in a local transaction of its own; the
 * wake-up is registered after the commit when there is a registry and a transaction, else sent once the local
 * transaction committed. Reads ({@link #find}, and the views {@link #cancel} and {@link #retry} return) need the JPA
 * read model ({@link JobSearch}); without it they throw {@link UnsupportedOperationException}.
 */
@ApplicationScoped
public class DefaultJobQueue implements JobQueue {

    private static final Logger LOG = Logger.getLogger(DefaultJobQueue.class.getName());

    @Inject
    JdbcJobStore store;

    @Inject
    JobSearch search;

    @Inject
    DatabaseGuard database;

    @Inject
    Backpressure backpressure;

    @Inject
    SubmissionRules rules;

    @Inject
    Dispatcher dispatcher;

    @Inject
    dev.dukequeue.engine.observe.EngineMetrics metrics;

    @Resource
    TransactionSynchronizationRegistry transactions;

    /** Tells the application that jobs ended (CDI); a hand-built engine tells nobody. */
    @Inject
    dev.dukequeue.engine.observe.JobEndings endings = dev.dukequeue.engine.observe.JobEndings.none();

    /** This node, named in the events of the cancels it writes (null in a hand-built engine). */
    @Inject
    dev.dukequeue.engine.node.NodeIdentity node;

    /** Nothing under CDI (the interceptor demarcates); the hand-built host's local or joined transactions. */
    private TransactionBoundary boundary = TransactionBoundary.CONTAINER;

    /** For CDI. */
    public DefaultJobQueue() {
    }

    /**
     * Outside CDI (the hand-built engine).
     *
     * @param search       the read model, or null without a JPA provider (reads then throw)
     * @param transactions the server's registry, or null if the host has none (wake-ups are then sent at once)
     * @param boundary     the submission's transaction: joined or local ({@code HostTransactions})
     */
    public DefaultJobQueue(JdbcJobStore store, JobSearch search, DatabaseGuard database, Backpressure backpressure,
            SubmissionRules rules, Dispatcher dispatcher, dev.dukequeue.engine.observe.EngineMetrics metrics,
            TransactionSynchronizationRegistry transactions, TransactionBoundary boundary) {
        this.store = store;
        this.search = search;
        this.database = database;
        this.backpressure = backpressure;
        this.rules = rules;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.transactions = transactions;
        this.boundary = boundary;
    }

    @Override
    @Transactional(value = TxType.REQUIRED, dontRollbackOn = {InvalidJobRequestException.class, QueueFullException.class})
    public JobReceipt submit(JobRequest request) {
        if (request == null) {
            throw new InvalidJobRequestException("request", "is required");
        }
        return submitAll(List.of(request)).get(0);
    }

    @Override
    @Transactional(value = TxType.REQUIRED, dontRollbackOn = {InvalidJobRequestException.class, QueueFullException.class})
    public List<JobReceipt> submitAll(List<JobRequest> requests) {
        List<Integer> order = rules.check(requests); // every rule that needs no database, before any write
        database.ensureAvailable(); // fail fast with 503 while the database circuit is open
        Map<String, Long> created = new java.util.TreeMap<>();
        List<JobReceipt> receipts;
        try {
            receipts = boundary.run(TransactionBoundary.Attribute.REQUIRED, () -> write(requests, order, created));
        } catch (StoreException e) {
            // Only in the hand-built host: the submission's own local transaction could not commit.
            database.failed("submission", e);
            throw new QueueUnavailableException("the job store could not take the submission: " + e.getMessage()
                    + "; nothing was written", DatabaseGuard.RETRY_AFTER, e);
        }
        if (!created.isEmpty()) {
            wakeAfterCommit(created, requests.stream().mapToInt(JobRequest::priority).min().orElse(0));
        }
        return receipts;
    }

    /** The submission's writes, in its transaction; fills {@code created} with the new jobs per queue. */
    private List<JobReceipt> write(List<JobRequest> requests, List<Integer> order, Map<String, Long> created) {
        List<JobReceipt> receipts;
        Submission submission;
        try {
            backpressure.check(requests);
            submission = store.submit(requests, order, rules.storeRules(),
                    dev.dukequeue.engine.observe.Tracing.currentTraceparent());
        } catch (StoreException e) {
            // The caller's transaction is marked for rollback: nothing of this submission stays.
            database.failed("submission", e);
            throw new QueueUnavailableException("the job store could not take the submission: " + e.getMessage()
                    + "; nothing was written", DatabaseGuard.RETRY_AFTER, e);
        }
        if (submission.rejected()) {
            if (submission.wrote() && inJta()) {
                // Part of the batch was written: none of it may stay. (In a local transaction, the throw below rolls
                // it back.)
                transactions.setRollbackOnly();
            }
            throw new InvalidJobRequestException(submission.field(), submission.rule());
        }
        receipts = submission.receipts();
        for (int i = 0; i < receipts.size(); i++) {
            if (receipts.get(i).created()) {
                created.merge(requests.get(i).queue(), 1L, Long::sum);
            }
        }
        return receipts;
    }

    /** @return true if the calling thread's JTA transaction is active (always, under CDI's {@code @Transactional}) */
    private boolean inJta() {
        return transactions != null && transactions.getTransactionKey() != null;
    }

    @Override
    public void pause(String queue) {
        requireQueueName(queue);
        database.call("pause of queue " + queue, () -> {
            store.setPaused(queue, true);
            return null;
        });
    }

    @Override
    public void resume(String queue) {
        requireQueueName(queue);
        database.call("resume of queue " + queue, () -> {
            store.setPaused(queue, false);
            return null;
        });
        dispatcher.wake();
    }

    private static void requireQueueName(String queue) {
        dev.dukequeue.QueueName.require("queue", queue);
    }

    private static void require(JobId id, String action, JobEvent event, Transition t) {
        if (!t.found()) {
            throw new JobNotFoundException(id);
        }
        if (t.refusal() != null) {
            throw new IllegalJobStateException(id, t.before(), action, t.refusal());
        }
        if (!t.applied()) {
            throw new IllegalJobStateException(id, t.before(), action, JobTransitions.sources(event));
        }
    }

    /** @param priority the most urgent priority submitted (the claim loop's floor: see Dispatcher#announce(int)) */
    private void wakeAfterCommit(Map<String, Long> createdPerQueue, int priority) {
        if (!inJta()) {
            // The hand-built host's local transaction has committed already (or the host has no registry).
            createdPerQueue.forEach(metrics::submitted);
            dispatcher.announce(priority);
            return;
        }
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
                // nothing to do
            }

            @Override
            public void afterCompletion(int status) {
                if (status == Status.STATUS_COMMITTED) {
                    createdPerQueue.forEach(metrics::submitted);
                    dispatcher.announce(priority);
                }
            }
        });
    }

    @Override
    public RedriveResult redrive(RedriveFilter filter) {
        if (filter == null) {
            throw new InvalidJobRequestException("filter", "is required");
        }
        List<JobId> matched = database.call("selecting jobs to re-drive", () -> store.selectForRedrive(
                filter.state().name(), filter.queue(), filter.type(), filter.finishedFrom(), filter.finishedTo(),
                filter.limit()));
        // Oldest first: a dependency is re-driven before the jobs that wait on it, which then wait again.
        List<JobId> redriven = new ArrayList<>();
        Map<JobId, String> skipped = new LinkedHashMap<>();
        for (JobId id : matched) {
            Transition t = database.call("re-drive of " + id, () -> store.apply(id, JobEvent.REDRIVE));
            if (t.applied()) {
                redriven.add(id);
            } else {
                skipped.put(id, t.refusal() != null ? t.refusal()
                        : "it is " + (t.found() ? t.before() : "gone") + " now");
            }
        }
        if (!redriven.isEmpty()) {
            dispatcher.wake();
        }
        LOG.info(() -> "bulk re-drive " + filter + ": " + matched.size() + " matched, " + redriven.size()
                + " re-driven, " + skipped.size() + " skipped");
        return new RedriveResult(matched.size(), redriven, skipped);
    }

    @Override
    public void setMaxRunning(String queue, Integer maxRunning) {
        requireQueueName(queue);
        if (maxRunning != null && maxRunning < 1) {
            throw new InvalidJobRequestException("maxRunning", "must be at least 1, or null for no limit");
        }
        database.call("limit of queue " + queue, () -> {
            store.setMaxRunning(queue, maxRunning);
            return null;
        });
        LOG.info(() -> "queue '" + queue + "': " + (maxRunning == null ? "no limit on running jobs"
                : "at most " + maxRunning + " running jobs across the cluster"));
        dispatcher.wake();
    }

    private JobSearch search() {
        if (search == null) {
            throw new UnsupportedOperationException("reading jobs needs the JPA read model (EclipseLink on the class"
                    + " path); this engine was built without it");
        }
        return search;
    }

    @Override
    public Optional<JobView> find(JobId id) {
        return search().find(id);
    }

    @Override
    public JobView cancel(JobId id) {
        require(id, "cancel", JobEvent.CANCEL, database.call("cancel of " + id, () -> store.apply(id, JobEvent.CANCEL)));
        // If it ran here, stop the handler now; on another node the next heartbeat finds the lease gone.
        dispatcher.cancelled(id);
        JobView view = search().find(id).orElseThrow(() -> new JobNotFoundException(id));
        metrics.cancelled(view.queue());
        // Committed in its own transaction (whatever the caller's does): told now.
        endings.ended(id, view.type(), view.queue(), JobState.CANCELLED, view.attempt(),
                node == null ? null : node.owner(), null, null);
        return view;
    }

    @Override
    public JobView retry(JobId id) {
        require(id, "retry", JobEvent.REDRIVE, database.call("retry of " + id, () -> store.apply(id, JobEvent.REDRIVE)));
        dispatcher.wake();
        return search().find(id).orElseThrow(() -> new JobNotFoundException(id));
    }
}
