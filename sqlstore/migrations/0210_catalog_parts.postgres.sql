-- (PostgreSQL) Catalogue stamp by part, so that a server rebuilding its in-memory
-- catalogue re-uses the parts that did not change (a dataset published
-- does not reload 10^5 register entries). Parts: files (local governments,
-- bodies, registers), datasets, usage (usage cases), procedure (calls,
-- cases, commissions). The 0201/0202 overall stamp stays as it was.

CREATE TABLE catalog_parts (
	part TEXT PRIMARY KEY,
	n    BIGINT NOT NULL
);
INSERT INTO catalog_parts (part, n) VALUES ('files', 0), ('datasets', 0), ('usage', 0), ('procedure', 0);

CREATE FUNCTION catalog_part_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE catalog_parts SET n = n + 1 WHERE part = TG_ARGV[0];
	RETURN NULL;
END
$$;

CREATE TRIGGER catalog_part_local_governments AFTER INSERT OR UPDATE OR DELETE ON local_governments FOR EACH STATEMENT EXECUTE FUNCTION catalog_part_bump('files');
CREATE TRIGGER catalog_part_bodies AFTER INSERT OR UPDATE OR DELETE ON bodies FOR EACH STATEMENT EXECUTE FUNCTION catalog_part_bump('files');
CREATE TRIGGER catalog_part_register_entries AFTER INSERT OR UPDATE OR DELETE ON register_entries FOR EACH STATEMENT EXECUTE FUNCTION catalog_part_bump('files');
CREATE TRIGGER catalog_part_catalog_datasets AFTER INSERT OR UPDATE OR DELETE ON catalog_datasets FOR EACH STATEMENT EXECUTE FUNCTION catalog_part_bump('datasets');
CREATE TRIGGER catalog_part_usage_cases AFTER INSERT OR UPDATE OR DELETE ON usage_cases FOR EACH STATEMENT EXECUTE FUNCTION catalog_part_bump('usage');
CREATE TRIGGER catalog_part_calls AFTER INSERT OR UPDATE OR DELETE ON calls FOR EACH STATEMENT EXECUTE FUNCTION catalog_part_bump('procedure');
CREATE TRIGGER catalog_part_cases AFTER INSERT OR UPDATE OR DELETE ON cases FOR EACH STATEMENT EXECUTE FUNCTION catalog_part_bump('procedure');
CREATE TRIGGER catalog_part_commissions AFTER INSERT OR UPDATE OR DELETE ON commissions FOR EACH STATEMENT EXECUTE FUNCTION catalog_part_bump('procedure');
