-- DukeQueue schema, version 11: how often a node gave the job back at its shutdown (a drain that outlasted the
-- handler). A free release gives the attempt back; once a job has been released dukequeue.release.max times, the next
-- release charges the attempt instead (retry with backoff, or DEAD_LETTER when none is left), so a job that always
-- outlives the drain, or a node in a restart loop, cannot bounce it for ever. Counted by the store's fenced release;
-- never reset by a success (COMPLETED is final, the figure stays for the operator); a re-drive resets it.
ALTER TABLE dq_job ADD COLUMN release_count INTEGER DEFAULT 0 NOT NULL;
