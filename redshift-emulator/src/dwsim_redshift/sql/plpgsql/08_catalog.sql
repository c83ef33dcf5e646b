-- svv_table_info (its layout columns from 02_layout_tables.sql), the external-object views (always
-- empty), pg_table_def, stv_sessions and pg_get_late_binding_view_cols(). Views created WITH NO
-- SCHEMA BINDING carry the reloption 'security_invoker=false' (system.LATE_BINDING_MARKER).
-- Redshift counts a table's rows as it loads them: count them (no ANALYZE needed), where the
-- caller may read the table; the planner's estimate elsewhere.
CREATE OR REPLACE FUNCTION dwsim_rs.table_rows(rel oid) RETURNS bigint
LANGUAGE plpgsql STABLE AS $fn$
DECLARE n bigint;
BEGIN
    IF NOT pg_catalog.has_table_privilege(rel, 'SELECT') THEN
        RETURN (SELECT greatest(reltuples, 0)::bigint FROM pg_catalog.pg_class WHERE oid = rel);
    END IF;
    EXECUTE format('SELECT count(*) FROM %s', rel::regclass) INTO n;
    RETURN n;
END
$fn$;

CREATE OR REPLACE VIEW dwsim_rs.svv_table_info AS
SELECT current_database()::text AS database, n.nspname::text AS schema, c.oid::integer AS table_id,
       c.relname::text AS "table",
       CASE WHEN l.encode_auto THEN 'Y, AUTO(ENCODE)'
            WHEN EXISTS (SELECT FROM dwsim_rs.column_layout x
                         WHERE x.relid = c.oid AND x.encoding NOT IN ('none', 'raw')) THEN 'Y'
            ELSE 'N' END::text AS encoded,
       dwsim_rs.layout_diststyle(c.oid) AS diststyle,
       CASE WHEN a1.attname IS NOT NULL THEN a1.attname::text COLLATE "default"
            WHEN l.sortstyle IS NULL AND l.relid IS NOT NULL THEN NULL
            ELSE 'AUTO(SORTKEY)' END::text AS sortkey1,
       coalesce((SELECT max(v.atttypmod - 4) FROM pg_catalog.pg_attribute v
                 WHERE v.attrelid = c.oid AND v.attnum > 0 AND NOT v.attisdropped
                   AND v.atttypid = 'pg_catalog.varchar'::regtype), 0)::integer AS max_varchar,
       k1.encoding::text AS sortkey1_enc,
       coalesce(cardinality(l.sortkey), 0)::integer AS sortkey_num,
       (pg_total_relation_size(c.oid) / 1048576)::bigint AS size, 0::numeric(10,4) AS pct_used,
       0::numeric(10,4) AS empty, NULL::numeric(5,2) AS unsorted, 0::numeric(5,2) AS stats_off,
       dwsim_rs.table_rows(c.oid)::numeric(38,0) AS tbl_rows,
       NULL::numeric(19,2) AS skew_sortkey1, NULL::numeric(19,2) AS skew_rows,
       dwsim_rs.table_rows(c.oid)::numeric(38,0) AS estimated_visible_rows,
       NULL::text AS risk_event, NULL::numeric(19,2) AS vacuum_sort_benefit,
       NULL::timestamp AS create_time
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN dwsim_rs.table_layout l ON l.relid = c.oid
LEFT JOIN pg_catalog.pg_attribute a1 ON a1.attrelid = c.oid AND a1.attnum = l.sortkey[1]
LEFT JOIN dwsim_rs.column_layout k1 ON k1.relid = c.oid AND k1.attnum = l.sortkey[1]
WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'dwsim_rs')
  AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
  AND ((SELECT dwsim_rs.sees_all_rows())
       OR coalesce(pg_catalog.has_table_privilege(
           c.oid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER'), false));

CREATE OR REPLACE VIEW dwsim_rs.svv_external_columns AS
SELECT NULL::text AS schemaname, NULL::text AS tablename, NULL::text AS columnname,
       NULL::text AS external_type, 0 AS columnnum, NULL::text AS part_key,
       NULL::text AS is_nullable
WHERE false;

CREATE OR REPLACE VIEW dwsim_rs.svv_external_tables AS
SELECT NULL::text AS schemaname, NULL::text AS tablename, NULL::text AS location,
       NULL::text AS input_format, NULL::text AS output_format, NULL::text AS serialization_lib,
       NULL::text AS serde_parameters, 0 AS compressed, NULL::text AS parameters,
       NULL::text AS tabletype
WHERE false;

CREATE OR REPLACE VIEW dwsim_rs.svv_external_schemas AS
SELECT 0 AS esoid, 0 AS eskind, NULL::text AS schemaname, 0 AS esowner,
       NULL::text AS databasename, NULL::text AS esoptions
WHERE false;

CREATE OR REPLACE VIEW dwsim_rs.pg_table_def AS
SELECT n.nspname AS schemaname, c.relname AS tablename, a.attname AS "column",
       pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, k.encoding,
       k.distkey, k.sortkey, a.attnotnull AS notnull
FROM pg_catalog.pg_attribute a
JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN dwsim_rs.column_layout k ON k.relid = a.attrelid AND k.attnum = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'v', 'm')
  AND (n.nspname = ANY (current_schemas(false)) OR n.oid = pg_catalog.pg_my_temp_schema());

CREATE OR REPLACE VIEW dwsim_rs.stv_sessions AS
SELECT backend_start::timestamp AS starttime, pid AS process, usename::text AS user_name,
       datname::text AS db_name, 0::bigint AS timeout_sec
FROM pg_catalog.pg_stat_activity
WHERE backend_type = 'client backend'
  AND ((SELECT dwsim_rs.sees_all_rows()) OR usesysid::integer = (SELECT dwsim_rs.current_userid()));

CREATE OR REPLACE FUNCTION dwsim_rs.pg_get_late_binding_view_cols() RETURNS SETOF record
LANGUAGE sql STABLE AS $fn$
    SELECT n.nspname, c.relname, a.attname,
           pg_catalog.format_type(a.atttypid, a.atttypmod)::varchar, a.attnum::int
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid
    WHERE c.relkind = 'v' AND a.attnum > 0 AND NOT a.attisdropped
      AND 'security_invoker=false' = ANY (coalesce(c.reloptions, '{}'::text[]))
    ORDER BY n.nspname, c.relname, a.attnum
$fn$;
