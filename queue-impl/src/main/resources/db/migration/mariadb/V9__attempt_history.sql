-- DukeQueue schema, version 9: a job's successful attempt is recorded on the job row alone.
-- Until version 8 every claim inserted a dq_attempt row and every completion closed it: two more writes per job (a row
-- and an index entry, then the row again) than the job row itself needs. From version 9 on, dq_attempt holds the
-- attempts that ended without success (failed, timed out, released, lease expired, cancelled), each inserted when
-- it ends, in the same transaction as the job's fenced move out of RUNNING. The attempt a job runs now is its row's
-- lease (lease_owner, started_at, run_count); its successful attempt is its row once COMPLETED: ran_on keeps the node
-- that ran it (copied from lease_owner by the completion).
-- dq_attempt_history is every attempt of every job, as the API shows it: the rows of dq_attempt, and the running or
-- successful attempt of each job taken from its row unless dq_attempt already has a row for that run (rows written
-- before version 9, or by a node still on version 8 during an upgrade).
ALTER TABLE dq_job ADD COLUMN ran_on VARCHAR(200);
CREATE VIEW dq_attempt_history AS
SELECT job_id, run_no, attempt, node, started_at, finished_at, outcome, error_category, error_message, stack_trace
FROM dq_attempt
UNION ALL
SELECT j.id, j.run_count, j.attempt, CASE WHEN j.state = 'RUNNING' THEN j.lease_owner ELSE j.ran_on END, j.started_at,
       CASE WHEN j.state = 'COMPLETED' THEN j.finished_at END, CASE WHEN j.state = 'COMPLETED' THEN 'SUCCEEDED' END,
       NULL, NULL, NULL
FROM dq_job j
WHERE j.state IN ('RUNNING', 'COMPLETED') AND j.run_count > 0
  AND NOT EXISTS (SELECT 1 FROM dq_attempt a WHERE a.job_id = j.id AND a.run_no = j.run_count);
