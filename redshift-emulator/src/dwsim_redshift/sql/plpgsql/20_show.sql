-- SHOW DATABASES / SCHEMAS / TABLES / COLUMNS, with Redshift's columns.
CREATE OR REPLACE FUNCTION dwsim_rs.show_databases(pattern text)
RETURNS TABLE (database_name text, database_owner integer, database_type text,
               database_acl text, parameters text, database_isolation_level text)
LANGUAGE sql STABLE AS $fn$
    SELECT d.datname::text, d.datdba::integer, 'local'::text, d.datacl::text, NULL::text,
           'Snapshot Isolation'::text
    FROM pg_catalog.pg_database d
    WHERE d.datname = current_database() AND (pattern IS NULL OR d.datname LIKE pattern)
$fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.show_schemas(db text, pattern text)
RETURNS TABLE (database_name text, schema_name text, schema_owner integer, schema_type text,
               schema_acl text, source_database text, schema_option text)
LANGUAGE sql STABLE AS $fn$
    SELECT db, n.nspname::text, n.nspowner::integer, 'local'::text, n.nspacl::text,
           NULL::text, NULL::text
    FROM pg_catalog.pg_namespace n
    WHERE n.nspname NOT LIKE 'pg\_toast%' AND n.nspname NOT LIKE 'pg\_temp\_%'
      AND n.nspname <> 'dwsim_rs' AND (pattern IS NULL OR n.nspname LIKE pattern)
    ORDER BY n.nspname
$fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.show_tables(db text, schema_name text, pattern text)
RETURNS TABLE (database_name text, schema_name text, table_name text, table_type text,
               table_acl text, remarks text, owner text, last_altered_time timestamp,
               last_modified_time timestamp, dist_style text, table_subtype text)
LANGUAGE sql STABLE AS $fn$
    SELECT db, n.nspname::text, c.relname::text,
           CASE WHEN c.relkind IN ('v', 'm') THEN 'VIEW' ELSE 'TABLE' END,
           c.relacl::text, pg_catalog.obj_description(c.oid, 'pg_class'),
           pg_catalog.pg_get_userbyid(c.relowner)::text, NULL::timestamp, NULL::timestamp,
           CASE WHEN c.relkind IN ('r', 'p') THEN dwsim_rs.layout_diststyle(c.oid) END,
           CASE c.relkind WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'v' THEN 'REGULAR VIEW'
                          ELSE 'REGULAR TABLE' END
    FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = show_tables.schema_name AND c.relkind IN ('r', 'p', 'v', 'm')
      AND (pattern IS NULL OR c.relname LIKE pattern)
    ORDER BY c.relname
$fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.show_columns(db text, schema_name text, tbl text,
                                                 pattern text)
RETURNS TABLE (database_name text, schema_name text, table_name text, column_name text,
               ordinal_position integer, column_default text, is_nullable text,
               data_type text, character_maximum_length integer, numeric_precision integer,
               numeric_scale integer, remarks text)
LANGUAGE sql STABLE AS $fn$
    SELECT db, c.table_schema::text, c.table_name::text, c.column_name::text,
           c.ordinal_position::integer, c.column_default::text, c.is_nullable::text,
           pg_catalog.format_type(a.atttypid, a.atttypmod), c.character_maximum_length::integer,
           c.numeric_precision::integer, c.numeric_scale::integer,
           pg_catalog.col_description(a.attrelid, a.attnum)
    FROM information_schema.columns c
    JOIN pg_catalog.pg_namespace n ON n.nspname = c.table_schema
    JOIN pg_catalog.pg_class r ON r.relnamespace = n.oid AND r.relname = c.table_name
    JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attname = c.column_name
    WHERE c.table_schema = show_columns.schema_name AND c.table_name = tbl
      AND (pattern IS NULL OR c.column_name LIKE pattern)
    ORDER BY c.ordinal_position
$fn$;
