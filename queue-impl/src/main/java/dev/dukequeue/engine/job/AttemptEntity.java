package dev.dukequeue.engine.job;

import dev.dukequeue.ErrorCategory;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Lob;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

/**
 * One execution of a job: which node ran it, when, and how it ended. Read from the view {@code dq_attempt_history}
 * (migration V9): an attempt that ended without success is a {@code dq_attempt} row, written in the transaction of the
 * fenced move out of RUNNING and never updated after; the attempt a job runs now, and its successful one, are read
 * from the job's own row (its lease, then {@code ran_on} and {@code finished_at}). Read only.
 */
@Entity
@Table(name = "dq_attempt_history")
@IdClass(AttemptEntity.Key.class)
@NamedQuery(name = AttemptEntity.BY_JOB,
        query = "SELECT a FROM AttemptEntity a WHERE a.jobId = :jobId ORDER BY a.runNo")
@NamedQuery(name = AttemptEntity.BY_JOB_AFTER,
        query = "SELECT a FROM AttemptEntity a WHERE a.jobId = :jobId AND a.runNo > :after ORDER BY a.runNo")
public class AttemptEntity {

    public static final String BY_JOB = "AttemptEntity.byJob";
    /** A job's executions after a run number, oldest first: one page of its history. */
    public static final String BY_JOB_AFTER = "AttemptEntity.byJobAfter";

    @Id
    @Column(name = "job_id", length = 36)
    private String jobId;

    @Id
    @Column(name = "run_no")
    private int runNo;

    @Column(name = "attempt")
    private int attempt;

    @Column(name = "node")
    private String node;

    @Convert(converter = InstantConverter.class)
    @Column(name = "started_at")
    private Instant startedAt;

    @Convert(converter = InstantConverter.class)
    @Column(name = "finished_at")
    private Instant finishedAt;

    @Enumerated(EnumType.STRING)
    @Column(name = "outcome")
    private AttemptOutcome outcome;

    @Enumerated(EnumType.STRING)
    @Column(name = "error_category")
    private ErrorCategory errorCategory;

    @Column(name = "error_message")
    private String errorMessage;

    @Lob
    @Column(name = "stack_trace")
    private String stackTrace;

    protected AttemptEntity() {
        // for JPA
    }

    public String jobId() {
        return jobId;
    }

    public int runNo() {
        return runNo;
    }

    public int attempt() {
        return attempt;
    }

    public String node() {
        return node;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant finishedAt() {
        return finishedAt;
    }

    public AttemptOutcome outcome() {
        return outcome;
    }

    public ErrorCategory errorCategory() {
        return errorCategory;
    }

    public String errorMessage() {
        return errorMessage;
    }

    public String stackTrace() {
        return stackTrace;
    }

    /** The composite key (job, run number). */
    public static class Key implements Serializable {
        private String jobId;
        private int runNo;

        public Key() {
        }

        public Key(String jobId, int runNo) {
            this.jobId = jobId;
            this.runNo = runNo;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.runNo == runNo && Objects.equals(k.jobId, jobId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(jobId, runNo);
        }
    }
}
