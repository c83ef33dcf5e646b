-- only a view and a grant: nothing to import
CREATE VIEW v AS SELECT 1 AS x;
GRANT SELECT ON v TO PUBLIC;
