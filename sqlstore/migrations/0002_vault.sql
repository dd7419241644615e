-- Encrypted files (package vault): metadata with the wrapped per-file key,
-- and ciphertext segments. Stored in the database so that several servers
-- on one PostgreSQL database share them and a backup holds everything.
CREATE TABLE vault_objects (
	id          TEXT PRIMARY KEY,
	name        TEXT NOT NULL,
	wrapped_key {{BLOB}},
	sha256      TEXT NOT NULL DEFAULT '',
	size        BIGINT NOT NULL DEFAULT 0,
	segments    BIGINT NOT NULL DEFAULT 0,
	complete    BOOLEAN NOT NULL DEFAULT FALSE,
	created_at  {{TIME}} NOT NULL,
	deleted_at  {{TIME}}
);

CREATE TABLE vault_segments (
	object_id TEXT NOT NULL REFERENCES vault_objects (id),
	n         BIGINT NOT NULL,
	data      {{BLOB}} NOT NULL,
	PRIMARY KEY (object_id, n)
);
