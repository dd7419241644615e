-- Statistics releases (統計情報の公表): the period a release covers, and the
-- files uploaded for releases (e.g. the CSV of `tokumei tabulate`), served
-- by the portal once their release is published. Portable SQL.

ALTER TABLE catalog_datasets ADD COLUMN period_from {{TIME}};
ALTER TABLE catalog_datasets ADD COLUMN period_to {{TIME}};

CREATE TABLE statistics_files (
	id         TEXT PRIMARY KEY,
	dataset_id TEXT NOT NULL REFERENCES catalog_datasets (id),
	name       TEXT NOT NULL,
	media_type TEXT NOT NULL DEFAULT '',
	content    {{BLOB}} NOT NULL,
	created_at {{TIME}} NOT NULL
);
CREATE INDEX statistics_files_dataset ON statistics_files (dataset_id);
