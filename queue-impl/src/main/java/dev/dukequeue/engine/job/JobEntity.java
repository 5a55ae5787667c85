package dev.dukequeue.engine.job;

import dev.dukequeue.ErrorCategory;
import dev.dukequeue.JobError;
import dev.dukequeue.JobId;
import dev.dukequeue.JobState;
import dev.dukequeue.JobView;
import jakarta.persistence.CollectionTable;
import jakarta.persistence.Column;
import jakarta.persistence.ElementCollection;
import jakarta.persistence.FetchType;
import jakarta.persistence.JoinColumn;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Lob;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.util.List;

/**
 * A job row, as JPA reads it. The engine's read model (find, search, statistics) goes through this entity; every
 * state change goes through the store's fenced statements instead, because they need the database's clock,
 * {@code FOR UPDATE SKIP LOCKED} and affected-row checks. The entity therefore has no setters: it cannot be used to
 * move a job around the state machine behind the store's back.
 */
@Entity
@Table(name = "dq_job")
@NamedQuery(name = JobEntity.COUNT_BY_QUEUE_AND_STATE,
        query = "SELECT j.queue, j.state, COUNT(j) FROM JobEntity j GROUP BY j.queue, j.state")
public class JobEntity {

    public static final String COUNT_BY_QUEUE_AND_STATE = "JobEntity.countByQueueAndState";

    @Id
    @Column(name = "id", length = 36)
    private String id;

    @Column(name = "seq", insertable = false, updatable = false)
    private long seq;

    @Column(name = "type", nullable = false)
    private String type;

    @Column(name = "queue", nullable = false)
    private String queue;

    @Enumerated(EnumType.STRING)
    @Column(name = "state", nullable = false)
    private JobState state;

    @Column(name = "priority")
    private int priority;

    @Column(name = "attempt")
    private int attempt;

    @Column(name = "max_attempts")
    private int maxAttempts;

    @Column(name = "run_count")
    private int runCount;

    @Column(name = "timeout_ms")
    private long timeoutMs;

    @Lob
    @Column(name = "payload")
    private String payload;

    @Lob
    @Column(name = "result")
    private String result;

    @Column(name = "idempotency_key")
    private String idempotencyKey;

    @Convert(converter = InstantConverter.class)
    @Column(name = "created_at")
    private Instant createdAt;

    @Convert(converter = InstantConverter.class)
    @Column(name = "run_at")
    private Instant runAt;

    @Convert(converter = InstantConverter.class)
    @Column(name = "started_at")
    private Instant startedAt;

    @Convert(converter = InstantConverter.class)
    @Column(name = "finished_at")
    private Instant finishedAt;

    @Convert(converter = InstantConverter.class)
    @Column(name = "updated_at")
    private Instant updatedAt;

    @Column(name = "lease_owner")
    private String leaseOwner;

    @Enumerated(EnumType.STRING)
    @Column(name = "last_error_category")
    private ErrorCategory lastErrorCategory;

    @Column(name = "last_error_message")
    private String lastErrorMessage;

    @Version
    @Column(name = "deps_pending")
    private int depsPending;

    @Convert(converter = InstantConverter.class)
    @Column(name = "expires_at")
    private Instant expiresAt;

    /** Read-only: the store writes dependency rows; the entity never changes. */
    @ElementCollection(fetch = FetchType.LAZY)
    @CollectionTable(name = "dq_dependency", joinColumns = @JoinColumn(name = "job_id"))
    @Column(name = "depends_on", insertable = false, updatable = false)
    private List<String> dependsOn;

    @Lob
    @Column(name = "checkpoint_data")
    private String checkpoint;

    @Convert(converter = InstantConverter.class)
    @Column(name = "checkpoint_at")
    private Instant checkpointAt;

    @Column(name = "progress_percent")
    private Integer progressPercent;

    @Column(name = "progress_message")
    private String progressMessage;

    @Column(name = "version")
    private long version;

    protected JobEntity() {
        // for JPA
    }

    public String id() {
        return id;
    }

    public long seq() {
        return seq;
    }

    public JobState state() {
        return state;
    }

    public int runCount() {
        return runCount;
    }

    /** @return the immutable API view of this row */
    public JobView toView() {
        JobError error = lastErrorCategory == null ? null : new JobError(lastErrorCategory, lastErrorMessage);
        return new JobView(JobId.parse(id), type, queue, state, priority, attempt, maxAttempts, createdAt, runAt,
                startedAt, finishedAt, payload, result, error, idempotencyKey, leaseOwner,
                dependsOn == null ? List.of() : dependsOn.stream().sorted().map(JobId::parse).toList(),
                state == JobState.PENDING ? depsPending : 0, expiresAt, checkpoint, checkpointAt, progressPercent,
                progressMessage);
    }
}
