-- Portal (catalogue) read models: published datasets (art. 117 created
-- anonymised information, statistics releases, open data), usage cases
-- (活用事例), and the catalogue stamp that tells servers to rebuild their
-- in-memory search index. Portable SQL; see the package comment.

CREATE TABLE catalog_datasets (
	id              TEXT PRIMARY KEY,
	name            TEXT NOT NULL UNIQUE,
	kind            TEXT NOT NULL,
	title           TEXT NOT NULL,
	title_en        TEXT NOT NULL DEFAULT '',
	notes           TEXT NOT NULL DEFAULT '',
	lg_code         TEXT NOT NULL REFERENCES local_governments (code),
	body_id         BIGINT NOT NULL REFERENCES bodies (id),
	file_id         BIGINT NOT NULL DEFAULT 0,
	subjects        BIGINT NOT NULL DEFAULT 0,
	items           TEXT NOT NULL DEFAULT '[]', -- JSON of []platform.DatasetItem
	methods_summary TEXT NOT NULL DEFAULT '',
	proposal_office TEXT NOT NULL DEFAULT '',
	proposal_from   {{TIME}},
	proposal_to     {{TIME}},
	contracts       INTEGER NOT NULL DEFAULT 0,
	tags            TEXT NOT NULL DEFAULT '[]',
	license_id      TEXT NOT NULL,
	resources       TEXT NOT NULL DEFAULT '[]', -- JSON of []platform.CatalogResource
	state           TEXT NOT NULL,
	version         INTEGER NOT NULL,
	created_at      {{TIME}} NOT NULL,
	modified_at     {{TIME}} NOT NULL,
	published_at    {{TIME}}
);
CREATE INDEX catalog_datasets_state ON catalog_datasets (state, modified_at, id);
CREATE INDEX catalog_datasets_body ON catalog_datasets (body_id);

CREATE TABLE usage_cases (
	id           {{ID}},
	title        TEXT NOT NULL,
	title_en     TEXT NOT NULL DEFAULT '',
	summary      TEXT NOT NULL,
	organisation TEXT NOT NULL DEFAULT '',
	url          TEXT NOT NULL DEFAULT '',
	lg_codes     TEXT NOT NULL DEFAULT '[]',
	dataset_ids  TEXT NOT NULL DEFAULT '[]',
	state        TEXT NOT NULL,
	submitted_by BIGINT NOT NULL,
	review_note  TEXT NOT NULL DEFAULT '',
	version      INTEGER NOT NULL,
	created_at   {{TIME}} NOT NULL,
	updated_at   {{TIME}} NOT NULL,
	published_at {{TIME}}
);
CREATE INDEX usage_cases_state ON usage_cases (state, published_at);

-- One row; bumped by triggers (0201) on every change the catalogue shows.
CREATE TABLE catalog_stamp (
	id INTEGER PRIMARY KEY,
	n  BIGINT NOT NULL
);
INSERT INTO catalog_stamp (id, n) VALUES (1, 0);
