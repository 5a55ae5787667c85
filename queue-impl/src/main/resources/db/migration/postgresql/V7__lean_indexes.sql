-- DukeQueue schema, version 7 (PostgreSQL): fewer index entries per state change.
-- A job's state changes are not HOT updates (indexed columns change), so every update adds an entry to every index
-- whose predicate the new row matches. These two indexes only serve rows in some states, so they only hold those:
-- retention reads finished rows; the per-queue counts (depth, backpressure) read active ones; listings by state keep
-- their index for every state but COMPLETED (the bulk of the table, which a newest-first scan of dq_job_seq_ux finds
-- at once). A completion now touches three indexes instead of six, a claim five instead of seven.
DROP INDEX dq_job_finished_ix;
CREATE INDEX dq_job_finished_ix ON dq_job (state, finished_at) WHERE finished_at IS NOT NULL;
DROP INDEX dq_job_queue_state_ix;
CREATE INDEX dq_job_active_ix ON dq_job (queue, state) WHERE state IN ('PENDING', 'SCHEDULED', 'RUNNING');
DROP INDEX dq_job_state_seq_ix;
CREATE INDEX dq_job_state_seq_ix ON dq_job (state, seq) WHERE state <> 'COMPLETED';
