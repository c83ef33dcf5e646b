-- SVV_* catalog views that drivers read (redshift_connector's get_tables/get_columns/
-- get_schemas, dbt-redshift with datasharing): Redshift's column names over pg_catalog and
-- information_schema. Referenced unqualified or as pg_catalog.svv_*, both point here.
CREATE OR REPLACE VIEW dwsim_rs.svv_tables AS
SELECT t.table_catalog::text, t.table_schema::text, t.table_name::text, t.table_type::text,
       pg_catalog.obj_description(c.oid, 'pg_class') AS remarks
FROM information_schema.tables t
JOIN pg_catalog.pg_namespace n ON n.nspname = t.table_schema
JOIN pg_catalog.pg_class c ON c.relnamespace = n.oid AND c.relname = t.table_name
WHERE t.table_schema <> 'dwsim_rs';

CREATE OR REPLACE VIEW dwsim_rs.svv_columns AS
SELECT c.table_catalog::text, c.table_schema::text, c.table_name::text, c.column_name::text,
       c.ordinal_position::integer, c.column_default::text, c.is_nullable::text,
       c.data_type::text, c.character_maximum_length::integer, c.numeric_precision::integer,
       c.numeric_precision_radix::integer, c.numeric_scale::integer,
       c.datetime_precision::integer, c.interval_type::text, c.interval_precision::integer,
       c.character_set_catalog::text, c.character_set_schema::text,
       c.character_set_name::text, c.collation_catalog::text, c.collation_schema::text,
       c.collation_name::text, c.domain_name::text,
       pg_catalog.col_description(a.attrelid, a.attnum) AS remarks
FROM information_schema.columns c
JOIN pg_catalog.pg_namespace n ON n.nspname = c.table_schema
JOIN pg_catalog.pg_class r ON r.relnamespace = n.oid AND r.relname = c.table_name
JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attname = c.column_name
WHERE c.table_schema <> 'dwsim_rs';

CREATE OR REPLACE VIEW dwsim_rs.svv_all_schemas AS
SELECT current_database()::text AS database_name, n.nspname::text AS schema_name,
       n.nspowner::integer AS schema_owner, 'local'::text AS schema_type,
       n.nspacl::text AS schema_acl, NULL::text AS source_database,
       NULL::text AS schema_option
FROM pg_catalog.pg_namespace n
WHERE n.nspname <> 'dwsim_rs' AND n.nspname NOT LIKE 'pg\_toast%'
  AND n.nspname NOT LIKE 'pg\_temp\_%'
  AND ((SELECT dwsim_rs.sees_all_rows()) OR has_schema_privilege(n.oid, 'USAGE')
       OR pg_has_role(n.nspowner, 'USAGE'));

CREATE OR REPLACE VIEW dwsim_rs.svv_redshift_schemas AS
SELECT database_name, schema_name, schema_owner, schema_type, schema_acl, schema_option
FROM dwsim_rs.svv_all_schemas;

CREATE OR REPLACE VIEW dwsim_rs.svv_all_tables AS
SELECT current_database()::text AS database_name, n.nspname::text AS schema_name,
       c.relname::text AS table_name,
       CASE WHEN c.relkind IN ('v', 'm') THEN 'VIEW' ELSE 'TABLE' END AS table_type,
       c.relacl::text AS table_acl, pg_catalog.obj_description(c.oid, 'pg_class') AS remarks
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE c.relkind IN ('r', 'p', 'v', 'm') AND n.nspname <> 'dwsim_rs'
  AND n.nspname NOT LIKE 'pg\_toast%'
  AND ((SELECT dwsim_rs.sees_all_rows())
       OR coalesce(pg_catalog.has_table_privilege(
           c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER'), false));

CREATE OR REPLACE VIEW dwsim_rs.svv_redshift_tables AS
SELECT database_name, schema_name, table_name, table_type, table_acl, remarks
FROM dwsim_rs.svv_all_tables;

CREATE OR REPLACE VIEW dwsim_rs.svv_all_columns AS
SELECT current_database()::text AS database_name, table_schema AS schema_name, table_name,
       column_name, ordinal_position, column_default, is_nullable, data_type,
       character_maximum_length, numeric_precision, numeric_scale, remarks
FROM dwsim_rs.svv_columns;

CREATE OR REPLACE VIEW dwsim_rs.svv_redshift_columns AS
SELECT current_database()::text AS database_name, s.table_schema AS schema_name, s.table_name,
       s.column_name, s.ordinal_position, s.data_type, s.column_default, s.is_nullable,
       coalesce(k.encoding, 'none')::text AS encoding, coalesce(k.distkey, false) AS distkey,
       coalesce(k.sortkey, 0) AS sortkey, NULL::text AS column_acl, s.remarks
FROM dwsim_rs.svv_columns s
LEFT JOIN dwsim_rs.column_layout k
  ON k.relid = to_regclass(quote_ident(s.table_schema) || '.' || quote_ident(s.table_name))
 AND k.attnum = s.ordinal_position;

CREATE OR REPLACE VIEW dwsim_rs.svv_redshift_databases AS
SELECT d.datname::text AS database_name, d.datdba::integer AS database_owner,
       'local'::text AS database_type, d.datacl::text AS database_acl,
       NULL::text AS database_options, 'Snapshot Isolation'::text AS database_isolation_level
FROM pg_catalog.pg_database d WHERE d.datname = current_database();
