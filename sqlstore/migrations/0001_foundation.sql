-- Foundation: local governments, bodies, businesses, users, sessions,
-- file registers, audit chain. Portable SQL; see the package comment.

CREATE TABLE local_governments (
	code             TEXT PRIMARY KEY,
	name             TEXT NOT NULL,
	kana             TEXT NOT NULL DEFAULT '',
	pref_code        TEXT NOT NULL,
	pref             TEXT NOT NULL,
	kind             TEXT NOT NULL,
	scheme_mandatory BOOLEAN NOT NULL DEFAULT FALSE,
	scheme_adopted   BOOLEAN NOT NULL DEFAULT FALSE,
	ordinance_status TEXT NOT NULL DEFAULT 'none',
	ordinance_date   {{TIME}},
	open_data_status TEXT NOT NULL DEFAULT 'none',
	open_data_date   {{TIME}}
);
CREATE INDEX local_governments_pref ON local_governments (pref_code, code);

CREATE TABLE bodies (
	id         {{ID}},
	lg_code    TEXT NOT NULL REFERENCES local_governments (code),
	kind       TEXT NOT NULL,
	name       TEXT NOT NULL,
	unit       TEXT NOT NULL DEFAULT '',
	address    TEXT NOT NULL DEFAULT '',
	email      TEXT NOT NULL DEFAULT '',
	created_at {{TIME}} NOT NULL,
	UNIQUE (lg_code, name)
);

CREATE TABLE businesses (
	id         {{ID}},
	name       TEXT NOT NULL,
	address    TEXT NOT NULL DEFAULT '',
	corporate  TEXT NOT NULL DEFAULT '',
	created_at {{TIME}} NOT NULL
);

CREATE TABLE users (
	id            {{ID}},
	login         TEXT NOT NULL UNIQUE,
	name          TEXT NOT NULL DEFAULT '',
	email         TEXT NOT NULL DEFAULT '',
	role          TEXT NOT NULL,
	body_id       BIGINT REFERENCES bodies (id),
	business_id   BIGINT REFERENCES businesses (id),
	password_hash TEXT NOT NULL DEFAULT '',
	totp_secret   TEXT NOT NULL DEFAULT '',
	disabled      BOOLEAN NOT NULL DEFAULT FALSE,
	created_at    {{TIME}} NOT NULL
);

CREATE TABLE login_failures (
	id    {{ID}},
	login TEXT NOT NULL,
	at    {{TIME}} NOT NULL
);
CREATE INDEX login_failures_login ON login_failures (login, at);

CREATE TABLE sessions (
	token_hash  TEXT PRIMARY KEY,
	user_id     BIGINT NOT NULL REFERENCES users (id),
	csrf        TEXT NOT NULL,
	totp_passed BOOLEAN NOT NULL DEFAULT FALSE,
	created_at  {{TIME}} NOT NULL,
	expires_at  {{TIME}} NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- 個人情報ファイル簿: one row per file, the current version.
CREATE TABLE register_entries (
	id                 {{ID}},
	body_id            BIGINT NOT NULL REFERENCES bodies (id),
	file_name          TEXT NOT NULL,
	unit               TEXT NOT NULL DEFAULT '',
	purpose            TEXT NOT NULL,
	items              TEXT NOT NULL, -- JSON array of platform.RecordItem
	subject_scope      TEXT NOT NULL DEFAULT '',
	subjects           BIGINT NOT NULL DEFAULT 0,
	collection_method  TEXT NOT NULL DEFAULT '',
	special_care       BOOLEAN NOT NULL DEFAULT FALSE,
	regular_recipients TEXT NOT NULL DEFAULT '',
	disclosure_office  TEXT NOT NULL DEFAULT '',
	special_procedures TEXT NOT NULL DEFAULT '',
	kind               TEXT NOT NULL,
	proposal_invited   BOOLEAN NOT NULL DEFAULT FALSE,
	proposal_office    TEXT NOT NULL DEFAULT '',
	anon_summary       TEXT NOT NULL DEFAULT '',
	anon_office        TEXT NOT NULL DEFAULT '',
	anon_proposal_from {{TIME}},
	anon_proposal_to   {{TIME}},
	remarks            TEXT NOT NULL DEFAULT '',
	published          BOOLEAN NOT NULL DEFAULT FALSE,
	version            INTEGER NOT NULL,
	updated_at         {{TIME}} NOT NULL,
	UNIQUE (body_id, file_name)
);

-- Every version of every entry (change history).
CREATE TABLE register_history (
	entry_id BIGINT NOT NULL REFERENCES register_entries (id),
	version  INTEGER NOT NULL,
	at       {{TIME}} NOT NULL,
	actor_id BIGINT NOT NULL,
	entry    TEXT NOT NULL, -- JSON of the entry after the change
	reason   TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (entry_id, version)
);

-- The audit chain. seq is assigned by the store under a lock.
CREATE TABLE audit_records (
	seq         BIGINT PRIMARY KEY,
	at          {{TIME}} NOT NULL,
	actor_id    BIGINT NOT NULL,
	actor_login TEXT NOT NULL,
	body_id     BIGINT NOT NULL,
	action      TEXT NOT NULL,
	target_kind TEXT NOT NULL,
	target_id   TEXT NOT NULL,
	detail      TEXT NOT NULL,
	prev_hash   TEXT NOT NULL,
	hash        TEXT NOT NULL
);

-- The head of the chain (one row): lets verify detect removal of the last
-- records, and is the row writers lock on PostgreSQL.
CREATE TABLE audit_head (
	id   INTEGER PRIMARY KEY,
	seq  BIGINT NOT NULL,
	hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '');
