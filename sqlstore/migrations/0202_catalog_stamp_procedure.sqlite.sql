-- Catalogue stamp triggers on the procedure tables shown by the portal (SQLite).

CREATE TRIGGER catalog_stamp_calls_insert AFTER INSERT ON calls BEGIN UPDATE catalog_stamp SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_stamp_calls_update AFTER UPDATE ON calls BEGIN UPDATE catalog_stamp SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_stamp_calls_delete AFTER DELETE ON calls BEGIN UPDATE catalog_stamp SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_stamp_cases_insert AFTER INSERT ON cases BEGIN UPDATE catalog_stamp SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_stamp_cases_update AFTER UPDATE ON cases BEGIN UPDATE catalog_stamp SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_stamp_cases_delete AFTER DELETE ON cases BEGIN UPDATE catalog_stamp SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_stamp_commissions_insert AFTER INSERT ON commissions BEGIN UPDATE catalog_stamp SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_stamp_commissions_update AFTER UPDATE ON commissions BEGIN UPDATE catalog_stamp SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_stamp_commissions_delete AFTER DELETE ON commissions BEGIN UPDATE catalog_stamp SET n = n + 1 WHERE id = 1; END;
