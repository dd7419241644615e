-- Triggers that bump catalog_stamp on every change the public catalogue shows
-- (PostgreSQL: one bump per statement).

CREATE FUNCTION catalog_stamp_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE catalog_stamp SET n = n + 1 WHERE id = 1;
	RETURN NULL;
END
$$;

CREATE TRIGGER catalog_stamp_local_governments AFTER INSERT OR UPDATE OR DELETE ON local_governments FOR EACH STATEMENT EXECUTE FUNCTION catalog_stamp_bump();
CREATE TRIGGER catalog_stamp_bodies AFTER INSERT OR UPDATE OR DELETE ON bodies FOR EACH STATEMENT EXECUTE FUNCTION catalog_stamp_bump();
CREATE TRIGGER catalog_stamp_register_entries AFTER INSERT OR UPDATE OR DELETE ON register_entries FOR EACH STATEMENT EXECUTE FUNCTION catalog_stamp_bump();
CREATE TRIGGER catalog_stamp_catalog_datasets AFTER INSERT OR UPDATE OR DELETE ON catalog_datasets FOR EACH STATEMENT EXECUTE FUNCTION catalog_stamp_bump();
CREATE TRIGGER catalog_stamp_usage_cases AFTER INSERT OR UPDATE OR DELETE ON usage_cases FOR EACH STATEMENT EXECUTE FUNCTION catalog_stamp_bump();
