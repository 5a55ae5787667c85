-- DukeQueue schema, version 6: the nodes of the cluster and their activity over time, for operators.
-- Every node upserts its own dq_node row on each rescuer tick (its heartbeat) and, once per
-- dukequeue.stats.interval.ms, writes one dq_stat row per queue: what it saw happen since its last row (submitted,
-- completed, failed attempts, dead-lettered) and the cluster-wide depth snapshot it holds (waiting, running).
-- Rows are only ever written by their own node, so there is nothing to contend on. Old rows are deleted by the nodes
-- (dukequeue.stats.retention).
CREATE TABLE dq_node (
    owner        VARCHAR(200) NOT NULL,
    name         VARCHAR(100) NOT NULL,
    phase        VARCHAR(24)  NOT NULL,
    workers      INTEGER      NOT NULL,
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL,
    CONSTRAINT dq_node_pk PRIMARY KEY (owner)
);

CREATE TABLE dq_stat (
    node          VARCHAR(200) NOT NULL,
    sampled_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    queue         VARCHAR(64)  NOT NULL,
    submitted     BIGINT       NOT NULL,
    completed     BIGINT       NOT NULL,
    failed        BIGINT       NOT NULL,
    dead_lettered BIGINT       NOT NULL,
    waiting       BIGINT       NOT NULL,
    running       BIGINT       NOT NULL,
    CONSTRAINT dq_stat_pk PRIMARY KEY (node, sampled_at, queue)
);
CREATE INDEX dq_stat_time_ix ON dq_stat (sampled_at);
