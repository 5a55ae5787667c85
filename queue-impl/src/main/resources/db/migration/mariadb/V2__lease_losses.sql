-- DukeQueue schema, version 2: how often a job lost its worker without an outcome (its node died or stalled while
-- running it). Counted by the rescuer and by start-up recovery; a job that reaches dukequeue.poison.lease-losses is a
-- poison pill and goes to DEAD_LETTER instead of crashing node after node. A re-drive resets it.
ALTER TABLE dq_job ADD COLUMN lease_losses INTEGER DEFAULT 0 NOT NULL;
