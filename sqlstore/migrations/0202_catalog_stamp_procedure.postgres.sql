-- Catalogue stamp triggers on the procedure tables shown by the portal (PostgreSQL).

CREATE TRIGGER catalog_stamp_calls AFTER INSERT OR UPDATE OR DELETE ON calls FOR EACH STATEMENT EXECUTE FUNCTION catalog_stamp_bump();
CREATE TRIGGER catalog_stamp_cases AFTER INSERT OR UPDATE OR DELETE ON cases FOR EACH STATEMENT EXECUTE FUNCTION catalog_stamp_bump();
CREATE TRIGGER catalog_stamp_commissions AFTER INSERT OR UPDATE OR DELETE ON commissions FOR EACH STATEMENT EXECUTE FUNCTION catalog_stamp_bump();
