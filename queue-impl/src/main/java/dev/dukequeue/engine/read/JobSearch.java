package dev.dukequeue.engine.read;

import dev.dukequeue.JobId;
import dev.dukequeue.JobState;
import dev.dukequeue.JobView;
import dev.dukequeue.engine.database.JpaUnit;
import dev.dukequeue.engine.job.AttemptEntity;
import dev.dukequeue.engine.job.JobEntity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import jakarta.transaction.Transactional;
import jakarta.transaction.Transactional.TxType;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads jobs through JPA for the API, the REST resources and the UI. Every read is a fresh snapshot (the shared cache
 * is off: several nodes write the same rows).
 */
@ApplicationScoped
@Transactional(TxType.SUPPORTS)
public class JobSearch {

    /** The largest page a listing returns. */
    public static final int MAX_LIMIT = 500;

    @Inject
    JpaUnit unit;

    @Inject
    dev.dukequeue.engine.store.JdbcJobStore store;

    @Inject
    dev.dukequeue.engine.config.EngineConfig config;

    /** Counts the submissions refused per queue (the read model reads it; it never calls the submission path). */
    @Inject
    dev.dukequeue.engine.observe.EngineMetrics metrics;

    /** For CDI. */
    public JobSearch() {
    }

    /** Outside CDI (the hand-built engine). */
    public JobSearch(JpaUnit unit, dev.dukequeue.engine.store.JdbcJobStore store,
            dev.dukequeue.engine.config.EngineConfig config, dev.dukequeue.engine.observe.EngineMetrics metrics) {
        this.unit = unit;
        this.store = store;
        this.config = config;
        this.metrics = metrics;
    }

    /** @return the job, or empty */
    public Optional<JobView> find(JobId id) {
        return unit.read(em -> Optional.ofNullable(em.find(JobEntity.class, id.toString())).map(JobEntity::toView));
    }

    /**
     * Lists jobs newest first, by keyset pagination on the submission sequence (stable while jobs are added).
     *
     * @param filter which jobs
     * @param limit  page size, 1..{@value #MAX_LIMIT}
     * @param cursor the previous page's {@link JobPage#nextCursor()}, or null for the first page
     * @throws IllegalArgumentException if the cursor is not one this method returned, or the limit is out of range
     */
    public JobPage list(JobFilter filter, int limit, String cursor) {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT);
        }
        Long after = null;
        if (cursor != null && !cursor.isBlank()) {
            try {
                after = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("cursor is not valid: use the nextCursor of a previous page");
            }
        }
        StringBuilder jpql = new StringBuilder("SELECT j FROM JobEntity j WHERE 1 = 1");
        if (filter.state() != null) {
            jpql.append(" AND j.state = :state");
        }
        if (filter.type() != null) {
            jpql.append(" AND j.type = :type");
        }
        if (filter.queue() != null) {
            jpql.append(" AND j.queue = :queue");
        }
        if (filter.text() != null) {
            jpql.append(" AND (j.id = :text OR j.idempotencyKey LIKE :like ESCAPE '\\' OR j.type LIKE :like ESCAPE '\\'"
                    + " OR j.lastErrorMessage LIKE :like ESCAPE '\\')");
        }
        if (filter.createdFrom() != null) {
            jpql.append(" AND j.createdAt >= :from");
        }
        if (filter.createdTo() != null) {
            jpql.append(" AND j.createdAt < :to");
        }
        if (after != null) {
            jpql.append(" AND j.seq < :after");
        }
        Long afterSeq = after;
        if (filter.state() == null && runningOffSequenceIndex()) {
            return unit.read(em -> page(EveryStateListing.rows(em, filter, afterSeq, limit), limit));
        }
        jpql.append(" ORDER BY j.seq DESC");
        return unit.read(em -> page(em, jpql.toString(), filter, afterSeq, limit));
    }

    /** The dialect, read once (null until then). */
    private volatile dev.dukequeue.engine.database.SqlDialect dialect;

    /** @return true on PostgreSQL, whose sequence index leaves the RUNNING rows out (see {@link EveryStateListing}) */
    private boolean runningOffSequenceIndex() {
        dev.dukequeue.engine.database.SqlDialect d = dialect;
        if (d == null) {
            d = store.dialect();
            dialect = d;
        }
        return d == dev.dukequeue.engine.database.SqlDialect.POSTGRESQL;
    }

    /** @return the LIKE pattern that finds {@code text} anywhere, its wildcards escaped (escape character: backslash) */
    static String like(String text) {
        return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    }

    private static JobPage page(EntityManager em, String jpql, JobFilter filter, Long after, int limit) {
        return page(rows(em, jpql, filter, after, limit), limit);
    }

    private static JobPage page(List<JobEntity> rows, int limit) {
        boolean more = rows.size() > limit;
        List<JobEntity> page = more ? rows.subList(0, limit) : rows;
        String next = more ? Long.toString(page.get(page.size() - 1).seq()) : null;
        return new JobPage(page.stream().map(JobEntity::toView).toList(), next);
    }

    /** @return up to {@code limit + 1} rows of the query (one more than a page: whether there is a next page) */
    private static List<JobEntity> rows(EntityManager em, String jpql, JobFilter filter, Long after, int limit) {
        TypedQuery<JobEntity> q = em.createQuery(jpql, JobEntity.class);
        if (filter.state() != null) {
            q.setParameter("state", filter.state());
        }
        if (filter.type() != null) {
            q.setParameter("type", filter.type());
        }
        if (filter.queue() != null) {
            q.setParameter("queue", filter.queue());
        }
        if (filter.text() != null) {
            q.setParameter("text", filter.text());
            q.setParameter("like", like(filter.text()));
        }
        if (filter.createdFrom() != null) {
            q.setParameter("from", filter.createdFrom());
        }
        if (filter.createdTo() != null) {
            q.setParameter("to", filter.createdTo());
        }
        if (after != null) {
            q.setParameter("after", after);
        }
        return q.setMaxResults(limit + 1).getResultList();
    }

    /** @return job counts per queue, then per state (every state present, zeros included) */
    public Map<String, Map<JobState, Long>> countsByQueueAndState() {
        Map<String, Map<JobState, Long>> counts = new TreeMap<>();
        List<Object[]> rows = unit.read(em -> em.createNamedQuery(JobEntity.COUNT_BY_QUEUE_AND_STATE, Object[].class)
                .getResultList());
        for (Object[] row : rows) {
            Map<JobState, Long> perState = counts.computeIfAbsent((String) row[0], q -> zeros());
            perState.put((JobState) row[1], ((Number) row[2]).longValue());
        }
        return counts;
    }

    /** @return every queue that has jobs or settings: whether it is paused, its limit and its job counts per state */
    public List<QueueView> queues() {
        Map<String, Map<JobState, Long>> counts = countsByQueueAndState();
        java.util.Set<String> paused = store.pausedQueues();
        Map<String, Integer> limits = store.queueLimits();
        java.util.SortedSet<String> names = new java.util.TreeSet<>(counts.keySet());
        names.addAll(paused);
        names.addAll(limits.keySet());
        List<QueueView> views = new ArrayList<>();
        for (String name : names) {
            long maxWaiting = config.maxWaiting(name);
            views.add(new QueueView(name, paused.contains(name), counts.getOrDefault(name, zeros()), limits.get(name),
                    maxWaiting, (long) Math.ceil(maxWaiting * config.warnRatio()),
                    metrics.rejectedCount(name)));
        }
        return views;
    }

    private static Map<JobState, Long> zeros() {
        Map<JobState, Long> m = new EnumMap<>(JobState.class);
        for (JobState s : JobState.values()) {
            m.put(s, 0L);
        }
        return m;
    }

    /**
     * @return every execution of the job, oldest first (empty if it never ran or does not exist); unbounded, for
     *         callers inside the application (the REST API reads {@link #attempts(JobId, String, int) pages})
     */
    public List<AttemptView> attempts(JobId id) {
        List<AttemptEntity> rows = unit.read(em -> em.createNamedQuery(AttemptEntity.BY_JOB, AttemptEntity.class)
                .setParameter("jobId", id.toString()).getResultList());
        return rows.stream().map(JobSearch::view).toList();
    }

    /** The largest page of a job's executions. */
    public static final int MAX_ATTEMPTS_LIMIT = 200;

    /**
     * One page of a job's executions, oldest first (by run number), keyset-paginated.
     *
     * @param id     the job
     * @param cursor the previous page's {@link AttemptPage#nextCursor()}, or null for the first page
     * @param limit  page size, 1..{@value #MAX_ATTEMPTS_LIMIT}
     * @throws IllegalArgumentException if the cursor is not one this method returned, or the limit is out of range
     */
    public AttemptPage attempts(JobId id, String cursor, int limit) {
        if (limit < 1 || limit > MAX_ATTEMPTS_LIMIT) {
            throw new IllegalArgumentException("limit must be between 1 and " + MAX_ATTEMPTS_LIMIT);
        }
        int after = 0;
        if (cursor != null && !cursor.isBlank()) {
            try {
                after = Integer.parseInt(cursor);
            } catch (NumberFormatException e) {
                after = -1;
            }
            if (after < 0) {
                throw new IllegalArgumentException("cursor is not valid: use the nextCursor of a previous page");
            }
        }
        int afterRun = after;
        List<AttemptEntity> rows = unit.read(em -> em.createNamedQuery(AttemptEntity.BY_JOB_AFTER, AttemptEntity.class)
                .setParameter("jobId", id.toString()).setParameter("after", afterRun).setMaxResults(limit + 1)
                .getResultList());
        boolean more = rows.size() > limit;
        List<AttemptView> page = rows.stream().limit(limit).map(JobSearch::view).toList();
        return new AttemptPage(page, more ? Integer.toString(page.get(page.size() - 1).runNo()) : null);
    }

    private static AttemptView view(AttemptEntity a) {
        return new AttemptView(a.runNo(), a.attempt(), a.node(), a.startedAt(), a.finishedAt(),
                a.outcome() == null ? null : a.outcome().name(),
                a.errorCategory() == null ? null : a.errorCategory().name(), a.errorMessage(), a.stackTrace());
    }
}
