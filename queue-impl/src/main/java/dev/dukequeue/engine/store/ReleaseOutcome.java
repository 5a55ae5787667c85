package dev.dukequeue.engine.store;

/** What a release at shutdown did ({@link JdbcJobStore#release}). */
public enum ReleaseOutcome {
    /** RUNNING -> SCHEDULED, due now, the attempt given back; the job's release count went up by one. */
    RELEASED,
    /** The job had used its free releases: the attempt was charged, RUNNING -> SCHEDULED after a backoff. */
    CHARGED_RETRY,
    /** The job had used its free releases and this was its last attempt: RUNNING -> DEAD_LETTER. */
    CHARGED_DEAD_LETTER,
    /** The lease was lost first (rescued, cancelled, taken over): nothing changed. */
    LEASE_LOST;

    /** @return true if the job left RUNNING */
    public boolean written() {
        return this != LEASE_LOST;
    }
}
