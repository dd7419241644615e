-- Procedure: calls, proposals, per-body cases and their timeline, download
-- grants, disqualifications, fee tables, deadlines, joint commissions.
-- Each aggregate is stored as a JSON document (doc) with the columns that
-- lists filter on; state names are those of DESIGN.md.

CREATE TABLE calls (
	id         {{ID}},
	body_id    BIGINT NOT NULL REFERENCES bodies (id),
	published  BOOLEAN NOT NULL DEFAULT FALSE,
	opens_at   {{TIME}} NOT NULL,
	closes_at  {{TIME}} NOT NULL,
	doc        TEXT NOT NULL,
	created_at {{TIME}} NOT NULL
);
CREATE INDEX calls_body ON calls (body_id, opens_at);

CREATE TABLE proposals (
	id          {{ID}},
	business_id BIGINT NOT NULL REFERENCES businesses (id),
	state       TEXT NOT NULL,
	version     BIGINT NOT NULL,
	doc         TEXT NOT NULL,
	created_at  {{TIME}} NOT NULL,
	updated_at  {{TIME}} NOT NULL
);
CREATE INDEX proposals_business ON proposals (business_id, id);

CREATE TABLE cases (
	id          {{ID}},
	proposal_id BIGINT NOT NULL REFERENCES proposals (id),
	body_id     BIGINT NOT NULL REFERENCES bodies (id),
	business_id BIGINT NOT NULL REFERENCES businesses (id),
	state       TEXT NOT NULL,
	dataset_id  TEXT NOT NULL DEFAULT '',
	due_at      {{TIME}},
	use_to      {{TIME}},
	version     BIGINT NOT NULL,
	doc         TEXT NOT NULL,
	created_at  {{TIME}} NOT NULL,
	updated_at  {{TIME}} NOT NULL
);
CREATE INDEX cases_body ON cases (body_id, state);
CREATE INDEX cases_business ON cases (business_id, state);
CREATE INDEX cases_proposal ON cases (proposal_id);
CREATE INDEX cases_due ON cases (due_at);

CREATE TABLE case_events (
	id          {{ID}},
	proposal_id BIGINT NOT NULL REFERENCES proposals (id),
	case_id     BIGINT NOT NULL DEFAULT 0,
	at          {{TIME}} NOT NULL,
	actor_id    BIGINT NOT NULL,
	actor_login TEXT NOT NULL,
	role        TEXT NOT NULL,
	body_id     BIGINT NOT NULL DEFAULT 0,
	action      TEXT NOT NULL,
	from_state  TEXT NOT NULL DEFAULT '',
	to_state    TEXT NOT NULL DEFAULT '',
	note        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_events_proposal ON case_events (proposal_id, id);

CREATE TABLE case_downloads (
	case_id    BIGINT NOT NULL REFERENCES cases (id),
	user_id    BIGINT NOT NULL REFERENCES users (id),
	expires_at {{TIME}} NOT NULL,
	used_at    {{TIME}},
	created_at {{TIME}} NOT NULL,
	PRIMARY KEY (case_id, user_id)
);

CREATE TABLE disqualifications (
	id          {{ID}},
	business_id BIGINT NOT NULL REFERENCES businesses (id),
	case_id     BIGINT NOT NULL,
	from_at     {{TIME}} NOT NULL,
	until_at    {{TIME}} NOT NULL,
	reason      TEXT NOT NULL
);
CREATE INDEX disqualifications_business ON disqualifications (business_id);

CREATE TABLE fee_tables (
	id             {{ID}},
	body_id        BIGINT NOT NULL REFERENCES bodies (id),
	effective_from {{TIME}} NOT NULL,
	doc            TEXT NOT NULL
);
CREATE INDEX fee_tables_body ON fee_tables (body_id, effective_from);

CREATE TABLE body_deadlines (
	body_id BIGINT PRIMARY KEY REFERENCES bodies (id),
	doc     TEXT NOT NULL
);

CREATE TABLE commissions (
	id         {{ID}},
	published  BOOLEAN NOT NULL DEFAULT FALSE,
	doc        TEXT NOT NULL,
	created_at {{TIME}} NOT NULL
);
