-- DukeQueue schema, version 4: dependencies, cluster-wide concurrency limits and recurring jobs.

-- A job with dependencies waits PENDING until deps_pending (its dependencies not yet COMPLETED) drops to 0; each
-- completion decrements its dependents under their row locks, so concurrent completions never lose a decrement.
-- dep_depth is the length of the longest chain below the job (limits depth at submission without recursion);
-- lifetime_ms / expires_at bound how long it may wait PENDING before it is dead-lettered.
ALTER TABLE dq_job ADD COLUMN deps_pending INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE dq_job ADD COLUMN dep_depth INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE dq_job ADD COLUMN lifetime_ms BIGINT;
ALTER TABLE dq_job ADD COLUMN expires_at TIMESTAMPTZ;
ALTER TABLE dq_job ADD CONSTRAINT dq_job_deps_ck CHECK (deps_pending >= 0 AND (state <> 'PENDING' OR deps_pending > 0));

CREATE TABLE dq_dependency (
    job_id     VARCHAR(36) NOT NULL,
    depends_on VARCHAR(36) NOT NULL,
    CONSTRAINT dq_dependency_pk PRIMARY KEY (job_id, depends_on),
    CONSTRAINT dq_dependency_job_fk FOREIGN KEY (job_id) REFERENCES dq_job (id) ON DELETE CASCADE,
    CONSTRAINT dq_dependency_on_fk FOREIGN KEY (depends_on) REFERENCES dq_job (id) ON DELETE CASCADE
);
CREATE INDEX dq_dependency_on_ix ON dq_dependency (depends_on);
CREATE INDEX dq_job_pending_ix ON dq_job (expires_at) WHERE state = 'PENDING';

-- At most max_running jobs of the queue RUNNING across all nodes (NULL: no limit).
ALTER TABLE dq_queue ADD COLUMN max_running INTEGER;
ALTER TABLE dq_queue ADD CONSTRAINT dq_queue_max_running_ck CHECK (max_running IS NULL OR max_running >= 1);

-- Recurring jobs: the definitions live in code or configuration; this table holds when each fires next, shared by
-- every node. A node fires a due schedule under its row lock and enqueues the job with the idempotency key
-- "recurring:<name>:<instant>", so an instant is enqueued once however many nodes run.
CREATE TABLE dq_schedule (
    name        VARCHAR(64)  NOT NULL,
    signature   VARCHAR(300) NOT NULL,
    next_run_at TIMESTAMPTZ  NOT NULL,
    last_run_at TIMESTAMPTZ,
    last_job_id VARCHAR(36),
    updated_at  TIMESTAMPTZ  NOT NULL,
    CONSTRAINT dq_schedule_pk PRIMARY KEY (name)
);
