-- Triggers that bump catalog_stamp on every change the public catalogue shows (SQLite).

CREATE TRIGGER catalog_stamp_local_governments_insert AFTER INSERT ON local_governments BEGIN UPDATE catalog_stamp SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_stamp_local_governments_update AFTER UPDATE ON local_governments BEGIN UPDATE catalog_stamp SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_stamp_local_governments_delete AFTER DELETE ON local_governments BEGIN UPDATE catalog_stamp SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_stamp_bodies_insert AFTER INSERT ON bodies BEGIN UPDATE catalog_stamp SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_stamp_bodies_update AFTER UPDATE ON bodies BEGIN UPDATE catalog_stamp SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_stamp_bodies_delete AFTER DELETE ON bodies BEGIN UPDATE catalog_stamp SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_stamp_register_entries_insert AFTER INSERT ON register_entries BEGIN UPDATE catalog_stamp SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_stamp_register_entries_update AFTER UPDATE ON register_entries BEGIN UPDATE catalog_stamp SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_stamp_register_entries_delete AFTER DELETE ON register_entries BEGIN UPDATE catalog_stamp SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_stamp_catalog_datasets_insert AFTER INSERT ON catalog_datasets BEGIN UPDATE catalog_stamp SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_stamp_catalog_datasets_update AFTER UPDATE ON catalog_datasets BEGIN UPDATE catalog_stamp SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_stamp_catalog_datasets_delete AFTER DELETE ON catalog_datasets BEGIN UPDATE catalog_stamp SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_stamp_usage_cases_insert AFTER INSERT ON usage_cases BEGIN UPDATE catalog_stamp SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_stamp_usage_cases_update AFTER UPDATE ON usage_cases BEGIN UPDATE catalog_stamp SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER catalog_stamp_usage_cases_delete AFTER DELETE ON usage_cases BEGIN UPDATE catalog_stamp SET n = n + 1 WHERE id = 1; END;
