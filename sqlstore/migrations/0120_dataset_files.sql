-- Files of anonymised information a body created without a proposal
-- (domain.md §2.5): one per catalogue dataset; the content is in the vault.
CREATE TABLE dataset_files (
	dataset_id  TEXT PRIMARY KEY,
	body_id     BIGINT NOT NULL REFERENCES bodies (id),
	vault_id    TEXT NOT NULL,
	doc         TEXT NOT NULL,
	uploaded_at {{TIME}} NOT NULL
);
CREATE INDEX dataset_files_body ON dataset_files (body_id);
