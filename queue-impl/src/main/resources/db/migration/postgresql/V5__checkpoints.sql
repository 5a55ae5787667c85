-- DukeQueue schema, version 5: checkpoints and progress of long jobs, and an index for retention.
-- A handler's checkpoint (JSON) is written through the lease fence while it runs and handed to the next attempt, so
-- a job that loses its node resumes from it. Progress is a percentage and a message for operators.
ALTER TABLE dq_job ADD COLUMN checkpoint_data TEXT;
ALTER TABLE dq_job ADD COLUMN checkpoint_at TIMESTAMPTZ;
ALTER TABLE dq_job ADD COLUMN progress_percent SMALLINT;
ALTER TABLE dq_job ADD COLUMN progress_message VARCHAR(500);
ALTER TABLE dq_job ADD CONSTRAINT dq_job_progress_ck CHECK (progress_percent IS NULL OR progress_percent BETWEEN 0 AND 100);

-- Retention deletes the oldest finished jobs of one state at a time.
CREATE INDEX dq_job_finished_ix ON dq_job (state, finished_at);
