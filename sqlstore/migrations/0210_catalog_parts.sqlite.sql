-- (SQLite) Catalogue stamp by part, so that a server rebuilding its in-memory
-- catalogue re-uses the parts that did not change (a dataset published
-- does not reload 10^5 register entries). Parts: files (local governments,
-- bodies, registers), datasets, usage (usage cases), procedure (calls,
-- cases, commissions). The 0201/0202 overall stamp stays as it was.

CREATE TABLE catalog_parts (
	part TEXT PRIMARY KEY,
	n    BIGINT NOT NULL
);
INSERT INTO catalog_parts (part, n) VALUES ('files', 0), ('datasets', 0), ('usage', 0), ('procedure', 0);

CREATE TRIGGER catalog_part_local_governments_insert AFTER INSERT ON local_governments BEGIN UPDATE catalog_parts SET n = n + 1 WHERE part = 'files'; END;
CREATE TRIGGER catalog_part_local_governments_update AFTER UPDATE ON local_governments BEGIN UPDATE catalog_parts SET n = n + 1 WHERE part = 'files'; END;
CREATE TRIGGER catalog_part_local_governments_delete AFTER DELETE ON local_governments BEGIN UPDATE catalog_parts SET n = n + 1 WHERE part = 'files'; END;
CREATE TRIGGER catalog_part_bodies_insert AFTER INSERT ON bodies BEGIN UPDATE catalog_parts SET n = n + 1 WHERE part = 'files'; END;
CREATE TRIGGER catalog_part_bodies_update AFTER UPDATE ON bodies BEGIN UPDATE catalog_parts SET n = n + 1 WHERE part = 'files'; END;
CREATE TRIGGER catalog_part_bodies_delete AFTER DELETE ON bodies BEGIN UPDATE catalog_parts SET n = n + 1 WHERE part = 'files'; END;
CREATE TRIGGER catalog_part_register_entries_insert AFTER INSERT ON register_entries BEGIN UPDATE catalog_parts SET n = n + 1 WHERE part = 'files'; END;
CREATE TRIGGER catalog_part_register_entries_update AFTER UPDATE ON register_entries BEGIN UPDATE catalog_parts SET n = n + 1 WHERE part = 'files'; END;
CREATE TRIGGER catalog_part_register_entries_delete AFTER DELETE ON register_entries BEGIN UPDATE catalog_parts SET n = n + 1 WHERE part = 'files'; END;
CREATE TRIGGER catalog_part_catalog_datasets_insert AFTER INSERT ON catalog_datasets BEGIN UPDATE catalog_parts SET n = n + 1 WHERE part = 'datasets'; END;
CREATE TRIGGER catalog_part_catalog_datasets_update AFTER UPDATE ON catalog_datasets BEGIN UPDATE catalog_parts SET n = n + 1 WHERE part = 'datasets'; END;
CREATE TRIGGER catalog_part_catalog_datasets_delete AFTER DELETE ON catalog_datasets BEGIN UPDATE catalog_parts SET n = n + 1 WHERE part = 'datasets'; END;
CREATE TRIGGER catalog_part_usage_cases_insert AFTER INSERT ON usage_cases BEGIN UPDATE catalog_parts SET n = n + 1 WHERE part = 'usage'; END;
CREATE TRIGGER catalog_part_usage_cases_update AFTER UPDATE ON usage_cases BEGIN UPDATE catalog_parts SET n = n + 1 WHERE part = 'usage'; END;
CREATE TRIGGER catalog_part_usage_cases_delete AFTER DELETE ON usage_cases BEGIN UPDATE catalog_parts SET n = n + 1 WHERE part = 'usage'; END;
CREATE TRIGGER catalog_part_calls_insert AFTER INSERT ON calls BEGIN UPDATE catalog_parts SET n = n + 1 WHERE part = 'procedure'; END;
CREATE TRIGGER catalog_part_calls_update AFTER UPDATE ON calls BEGIN UPDATE catalog_parts SET n = n + 1 WHERE part = 'procedure'; END;
CREATE TRIGGER catalog_part_calls_delete AFTER DELETE ON calls BEGIN UPDATE catalog_parts SET n = n + 1 WHERE part = 'procedure'; END;
CREATE TRIGGER catalog_part_cases_insert AFTER INSERT ON cases BEGIN UPDATE catalog_parts SET n = n + 1 WHERE part = 'procedure'; END;
CREATE TRIGGER catalog_part_cases_update AFTER UPDATE ON cases BEGIN UPDATE catalog_parts SET n = n + 1 WHERE part = 'procedure'; END;
CREATE TRIGGER catalog_part_cases_delete AFTER DELETE ON cases BEGIN UPDATE catalog_parts SET n = n + 1 WHERE part = 'procedure'; END;
CREATE TRIGGER catalog_part_commissions_insert AFTER INSERT ON commissions BEGIN UPDATE catalog_parts SET n = n + 1 WHERE part = 'procedure'; END;
CREATE TRIGGER catalog_part_commissions_update AFTER UPDATE ON commissions BEGIN UPDATE catalog_parts SET n = n + 1 WHERE part = 'procedure'; END;
CREATE TRIGGER catalog_part_commissions_delete AFTER DELETE ON commissions BEGIN UPDATE catalog_parts SET n = n + 1 WHERE part = 'procedure'; END;
