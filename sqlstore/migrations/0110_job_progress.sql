-- Progress of a case's processing job (phase and percentage), written by the
-- job now and then and shown on the case page. Kept out of the case document
-- so that progress writes never conflict with the case's versioned updates.
CREATE TABLE case_job_progress (
	case_id    BIGINT PRIMARY KEY REFERENCES cases (id),
	phase      TEXT NOT NULL,
	percent    INTEGER NOT NULL,
	updated_at {{TIME}} NOT NULL
);
