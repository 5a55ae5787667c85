-- DukeQueue schema, version 1 (MariaDB 10.6+). Times are DATETIME(6) in UTC, written with UTC_TIMESTAMP(6) and
-- converted by the driver (connectionTimeZone=UTC, preserveInstants): no 2038 limit, no implicit ON UPDATE.
-- States and "finished exactly when terminal" / "leased exactly when running" are enforced here too.

CREATE SEQUENCE dq_job_seq;

CREATE TABLE dq_job (
    id                  VARCHAR(36)  NOT NULL,
    seq                 BIGINT       NOT NULL DEFAULT NEXT VALUE FOR dq_job_seq,
    type                VARCHAR(128) NOT NULL,
    queue               VARCHAR(64)  NOT NULL,
    state               VARCHAR(16)  NOT NULL,
    priority            SMALLINT     NOT NULL,
    attempt             INTEGER      NOT NULL DEFAULT 0,
    max_attempts        INTEGER      NOT NULL,
    run_count           INTEGER      NOT NULL DEFAULT 0,
    timeout_ms          BIGINT       NOT NULL,
    payload             MEDIUMTEXT   NOT NULL,
    result              MEDIUMTEXT,
    idempotency_key     VARCHAR(200),
    created_at          DATETIME(6)  NOT NULL,
    run_at              DATETIME(6)  NOT NULL,
    started_at          DATETIME(6)  NULL,
    finished_at         DATETIME(6)  NULL,
    updated_at          DATETIME(6)  NOT NULL,
    lease_owner         VARCHAR(200),
    lease_token         VARCHAR(36),
    lease_expires_at    DATETIME(6)  NULL,
    last_error_category VARCHAR(16),
    last_error_message  VARCHAR(2000),
    version             BIGINT       NOT NULL DEFAULT 0,
    CONSTRAINT dq_job_pk PRIMARY KEY (id),
    CONSTRAINT dq_job_state_ck CHECK (state IN ('PENDING', 'SCHEDULED', 'RUNNING', 'COMPLETED', 'FAILED', 'DEAD_LETTER', 'CANCELLED')),
    CONSTRAINT dq_job_finished_ck CHECK ((state IN ('COMPLETED', 'FAILED', 'DEAD_LETTER', 'CANCELLED')) = (finished_at IS NOT NULL)),
    CONSTRAINT dq_job_lease_ck CHECK ((state = 'RUNNING') = (lease_token IS NOT NULL AND lease_owner IS NOT NULL AND lease_expires_at IS NOT NULL)),
    CONSTRAINT dq_job_priority_ck CHECK (priority BETWEEN 0 AND 4),
    CONSTRAINT dq_job_attempt_ck CHECK (attempt >= 0 AND attempt <= max_attempts AND max_attempts >= 1),
    CONSTRAINT dq_job_error_ck CHECK (last_error_category IS NULL OR last_error_category IN ('TEMPORARY', 'PERMANENT', 'SYSTEM', 'TIMEOUT'))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

CREATE UNIQUE INDEX dq_job_seq_ux ON dq_job (seq);
-- MariaDB has no partial indexes: state leads instead. NULL keys never collide in a unique index.
CREATE INDEX dq_job_claim_ix ON dq_job (state, priority, seq);
CREATE INDEX dq_job_lease_ix ON dq_job (state, lease_expires_at);
CREATE INDEX dq_job_state_seq_ix ON dq_job (state, seq);
CREATE INDEX dq_job_queue_state_ix ON dq_job (queue, state);
CREATE UNIQUE INDEX dq_job_idempotency_ux ON dq_job (queue, idempotency_key);

CREATE TABLE dq_attempt (
    job_id          VARCHAR(36)  NOT NULL,
    run_no          INTEGER      NOT NULL,
    attempt         INTEGER      NOT NULL,
    node            VARCHAR(200) NOT NULL,
    started_at      DATETIME(6)  NOT NULL,
    finished_at     DATETIME(6)  NULL,
    outcome         VARCHAR(16),
    error_category  VARCHAR(16),
    error_message   VARCHAR(2000),
    stack_trace     MEDIUMTEXT,
    CONSTRAINT dq_attempt_pk PRIMARY KEY (job_id, run_no),
    CONSTRAINT dq_attempt_job_fk FOREIGN KEY (job_id) REFERENCES dq_job (id) ON DELETE CASCADE,
    CONSTRAINT dq_attempt_outcome_ck CHECK (outcome IS NULL OR outcome IN ('SUCCEEDED', 'FAILED', 'TIMED_OUT', 'LEASE_EXPIRED', 'RELEASED', 'CANCELLED')),
    CONSTRAINT dq_attempt_finished_ck CHECK ((outcome IS NULL) = (finished_at IS NULL))
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
