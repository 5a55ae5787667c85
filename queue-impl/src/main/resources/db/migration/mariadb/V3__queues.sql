-- DukeQueue schema, version 3: per-queue settings shared by every node. A paused queue still accepts submissions;
-- no node claims its jobs until it is resumed. A queue without a row is not paused.
CREATE TABLE dq_queue (
    name       VARCHAR(64) NOT NULL,
    paused     BOOLEAN     DEFAULT FALSE NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    CONSTRAINT dq_queue_pk PRIMARY KEY (name)
);
