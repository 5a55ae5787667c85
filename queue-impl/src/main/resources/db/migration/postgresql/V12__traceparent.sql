-- DukeQueue schema, version 12: the submitter's W3C trace context (traceparent, 55 characters), so that each attempt's
-- span joins the trace of the request that submitted the job. Null for a job submitted outside any trace.
ALTER TABLE dq_job ADD COLUMN traceparent VARCHAR(55);
