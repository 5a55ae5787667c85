package dev.dukequeue.engine.read;

import dev.dukequeue.engine.job.InstantConverter;
import dev.dukequeue.engine.job.JobEntity;
import jakarta.persistence.EntityManager;
import jakarta.persistence.Query;
import java.util.ArrayList;
import java.util.List;

/**
 * The listing of every state on PostgreSQL, as one statement. RUNNING rows are not in the sequence index there (a
 * claim then adds one index entry less, schema version 10), so the newest RUNNING rows (at most the workers of all
 * nodes, read through the lease index) and the newest others (read in sequence-index order) are merged, and the merge
 * must be one statement: one snapshot, in which each job has exactly one state. Three reads in a row (the others,
 * the RUNNING ones, the others again) missed a job that went RUNNING, then back to SCHEDULED (a retry, a release),
 * then RUNNING again between them. The other databases keep RUNNING rows in the sequence index and list every state
 * with the plain query.
 */
final class EveryStateListing {

    private EveryStateListing() {
    }

    /** @return up to {@code limit + 1} rows, newest first (one more than a page: whether there is a next page) */
    @SuppressWarnings("unchecked")
    static List<JobEntity> rows(EntityManager em, JobFilter filter, Long after, int limit) {
        List<Object> params = new ArrayList<>();
        String where = where(filter, after, params);
        int n = params.size();
        StringBuilder sql = new StringBuilder(ListingSql.OTHERS).append(where).append(ListingSql.BRANCH_END).append(n + 1)
                .append(')').append(ListingSql.RUNNING).append(where).append(ListingSql.BRANCH_END).append(n + 1)
                .append(ListingSql.MERGE).append(n + 1);
        Query q = em.createNativeQuery(sql.toString(), JobEntity.class);
        for (int i = 0; i < n; i++) {
            q.setParameter(i + 1, params.get(i));
        }
        q.setParameter(n + 1, limit + 1);
        return q.getResultList();
    }

    /** The filter's conditions, each {@code AND ...}, with numbered parameters (shared by both branches). */
    private static String where(JobFilter filter, Long after, List<Object> params) {
        StringBuilder w = new StringBuilder();
        if (filter.type() != null) {
            params.add(filter.type());
            w.append(ListingSql.TYPE).append(params.size());
        }
        if (filter.queue() != null) {
            params.add(filter.queue());
            w.append(ListingSql.QUEUE).append(params.size());
        }
        if (filter.text() != null) {
            params.add(filter.text());
            int text = params.size();
            params.add(JobSearch.like(filter.text()));
            int like = params.size();
            w.append(ListingSql.TEXT_ID).append(text).append(ListingSql.TEXT_KEY).append(like)
                    .append(ListingSql.TEXT_TYPE).append(like).append(ListingSql.TEXT_ERROR).append(like)
                    .append(ListingSql.TEXT_END);
        }
        InstantConverter instants = new InstantConverter();
        if (filter.createdFrom() != null) {
            params.add(instants.convertToDatabaseColumn(filter.createdFrom()));
            w.append(ListingSql.CREATED_FROM).append(params.size());
        }
        if (filter.createdTo() != null) {
            params.add(instants.convertToDatabaseColumn(filter.createdTo()));
            w.append(ListingSql.CREATED_TO).append(params.size());
        }
        if (after != null) {
            params.add(after);
            w.append(ListingSql.BEFORE_SEQ).append(params.size());
        }
        return w.toString();
    }
}
