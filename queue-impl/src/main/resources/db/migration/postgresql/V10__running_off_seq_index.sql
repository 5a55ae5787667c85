-- DukeQueue schema, version 10 (PostgreSQL): a claim adds entries to two indexes instead of three.
-- A claim's update is never heap-only (it changes indexed columns), so it adds an entry to every index whose predicate
-- the RUNNING row matches: the primary key, dq_job_lease_ix, and until now the sequence index. RUNNING rows are few
-- (at most the workers of all nodes) and dq_job_lease_ix holds every one of them, so the sequence index leaves them
-- out: a listing of every state (JobSearch) reads the newest other rows through it and the RUNNING ones through
-- dq_job_lease_ix, and merges them. seq stays unique: it comes from dq_job_seq.
DROP INDEX dq_job_seq_ux;
CREATE INDEX dq_job_seq_ix ON dq_job (seq) WHERE state <> 'RUNNING';
