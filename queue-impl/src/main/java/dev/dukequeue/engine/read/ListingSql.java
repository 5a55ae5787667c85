package dev.dukequeue.engine.read;

/**
 * The read model's one native statement: the listing of every state on PostgreSQL ({@link EveryStateListing}). The
 * other listings are JPQL. Parameters are numbered ({@code ?n}); the filter's conditions are shared by both branches.
 */
final class ListingSql {

    /** Opens the first branch: the newest rows that are not RUNNING (the partial sequence index, read backwards). */
    static final String OTHERS = "SELECT * FROM ((SELECT * FROM dq_job WHERE state <> 'RUNNING'";
    /** Closes a branch and opens the second: the newest RUNNING rows (through the lease index, at most the workers). */
    static final String RUNNING = " UNION ALL (SELECT * FROM dq_job WHERE state = 'RUNNING'";
    /** Ends a branch, newest first, with its row limit to be numbered. */
    static final String BRANCH_END = " ORDER BY seq DESC LIMIT ?";
    /** The merge of both branches, newest first, with its row limit to be numbered. */
    static final String MERGE = ")) u ORDER BY u.seq DESC LIMIT ?";

    static final String TYPE = " AND type = ?";
    static final String QUEUE = " AND queue = ?";
    /** Each then takes the number of the exact-id parameter, then that of the LIKE pattern thrice. */
    static final String TEXT_ID = " AND (id = ?";
    static final String TEXT_KEY = " OR idempotency_key LIKE ?";
    static final String TEXT_TYPE = " ESCAPE '\\' OR type LIKE ?";
    static final String TEXT_ERROR = " ESCAPE '\\' OR last_error_message LIKE ?";
    static final String TEXT_END = " ESCAPE '\\')";
    static final String CREATED_FROM = " AND created_at >= ?";
    static final String CREATED_TO = " AND created_at < ?";
    static final String BEFORE_SEQ = " AND seq < ?";

    private ListingSql() {
    }
}
