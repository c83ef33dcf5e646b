"""Redshift system relations emulated in schema dwsim_rs, and the names the translator qualifies.

stl_load_errors / sys_load_error_detail keep Redshift's column names and types (COPY writes them);
the svv_* / pg_* shims are what dbt-redshift and admin queries read.
"""

from dwsim_redshift.sql.system_catalog import SVV_CATALOG_SQL, SVV_RELATIONS
from dwsim_redshift.sql.system_keys import INFORMATION_SCHEMA_VIEWS, KEYS_SQL
from dwsim_redshift.sql.system_layout import LAYOUT_SQL, TABLE_INFO_COLUMNS, TABLE_INFO_JOINS

HELPER_SCHEMA = "dwsim_rs"

# Views created WITH NO SCHEMA BINDING carry this reloption (PostgreSQL's default value, so it
# changes nothing) so that pg_get_late_binding_view_cols() can find them.
LATE_BINDING_MARKER = "security_invoker=false"

LOAD_ERRORS_SQL = """
CREATE SEQUENCE IF NOT EXISTS dwsim_rs.load_query_seq;
CREATE TABLE IF NOT EXISTS dwsim_rs.stl_load_errors (
    userid integer, slice integer, tbl integer, starttime timestamp without time zone,
    session integer, query integer, filename character(256), line_number bigint,
    colname character(127), type character(10), col_length character(10), position integer,
    raw_line character(1024), raw_field_value character(1024), err_code integer,
    err_reason character(100), is_partial integer, start_offset bigint
);
CREATE OR REPLACE VIEW dwsim_rs.sys_load_error_detail AS
SELECT userid AS user_id, query AS query_id, query AS transaction_id, session AS session_id,
       current_database()::text AS database_name, tbl AS table_id, starttime AS start_time,
       rtrim(filename) AS file_name, line_number, rtrim(colname) AS column_name,
       rtrim(type) AS column_type, rtrim(col_length) AS column_length, position,
       err_code AS error_code, rtrim(err_reason) AS error_message, rtrim(raw_line) AS raw_line,
       rtrim(raw_field_value) AS raw_field_value
FROM dwsim_rs.stl_load_errors;
CREATE TABLE IF NOT EXISTS dwsim_rs.stl_load_commits (
    userid integer, query integer, slice integer, name character(256), filename character(256),
    byte_offset integer, lines_scanned integer, errors integer,
    curtime timestamp without time zone, status integer, file_format character(16),
    is_partial integer, start_offset bigint
);
CREATE OR REPLACE FUNCTION dwsim_rs.pg_last_copy_id() RETURNS integer LANGUAGE sql STABLE AS $fn$
    SELECT coalesce(nullif(current_setting('dwsim.last_copy_id', true), ''), '-1')::integer
$fn$;
"""

CATALOG_SQL = f"""
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
       c.relname::text AS "table",{TABLE_INFO_COLUMNS}
       (pg_total_relation_size(c.oid) / 1048576)::bigint AS size, 0::numeric(10,4) AS pct_used,
       0::numeric(10,4) AS empty, NULL::numeric(5,2) AS unsorted, 0::numeric(5,2) AS stats_off,
       dwsim_rs.table_rows(c.oid)::numeric(38,0) AS tbl_rows,
       NULL::numeric(19,2) AS skew_sortkey1, NULL::numeric(19,2) AS skew_rows,
       dwsim_rs.table_rows(c.oid)::numeric(38,0) AS estimated_visible_rows,
       NULL::text AS risk_event, NULL::numeric(19,2) AS vacuum_sort_benefit,
       NULL::timestamp AS create_time
FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace{TABLE_INFO_JOINS}
WHERE c.relkind IN ('r', 'p') AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'dwsim_rs')
  AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%';

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
FROM pg_catalog.pg_stat_activity WHERE backend_type = 'client backend';

CREATE OR REPLACE FUNCTION dwsim_rs.pg_get_late_binding_view_cols() RETURNS SETOF record
LANGUAGE sql STABLE AS $fn$
    SELECT n.nspname, c.relname, a.attname,
           pg_catalog.format_type(a.atttypid, a.atttypmod)::varchar, a.attnum::int
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid
    WHERE c.relkind = 'v' AND a.attnum > 0 AND NOT a.attisdropped
      AND '{LATE_BINDING_MARKER}' = ANY (coalesce(c.reloptions, '{{}}'::text[]))
    ORDER BY n.nspname, c.relname, a.attnum
$fn$;
"""

SYSTEM_RELATIONS: dict[str, str] = {
    "stl_load_errors": "COPY errors, one row per rejected value (Redshift's columns and types)",
    "sys_load_error_detail": "the same errors with SYS_LOAD_ERROR_DETAIL's column names",
    "stl_load_commits": "one row per file each committed COPY loaded",
    "svv_table_info": "one row per user table, with the layout its DDL declared",
    "svv_external_columns": "always empty: external (Spectrum) tables are not emulated",
    "svv_external_tables": "always empty: external (Spectrum) tables are not emulated",
    "svv_external_schemas": "always empty: external schemas are not emulated",
    "pg_table_def": "columns of the tables on the search path, with encoding/distkey/sortkey",
    "stv_sessions": "the backend's client sessions",
    "pg_constraint": "PostgreSQL's constraints and the informational keys (system_keys.py)",
    **SVV_RELATIONS,
}
"""Relations in dwsim_rs that unqualified references are pointed at."""

SYSTEM_RELATION_NAMES = frozenset(SYSTEM_RELATIONS)
SYSTEM_FUNCTIONS = frozenset(
    {"pg_get_late_binding_view_cols", "pg_get_constraintdef", "pg_last_copy_id"}
)

# Redshift's CASE_INSENSITIVE collation; skipped (with a notice) where PostgreSQL lacks ICU.
COLLATION_SQL = """
DO $do$
BEGIN
    CREATE COLLATION IF NOT EXISTS dwsim_rs.case_insensitive
        (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
EXCEPTION WHEN others THEN
    RAISE NOTICE 'dwsim_rs.case_insensitive not created: %', SQLERRM;
END
$do$;
"""


# Redshift's version() string, as clients that sniff for Redshift expect it.
VERSION_SQL = """
CREATE OR REPLACE FUNCTION dwsim_rs.version() RETURNS text LANGUAGE sql STABLE AS $fn$
    SELECT 'PostgreSQL 8.0.2 on i686-pc-linux-gnu, compiled by GCC gcc (GCC) 3.4.2 20041017 '
           '(Red Hat 3.4.2-6.fc3), Redshift 1.0.0 (dw-sim emulator on '
           || split_part(pg_catalog.version(), ' on ', 1) || ')'
$fn$;
"""

SYSTEM_SQL = (
    f"CREATE SCHEMA IF NOT EXISTS {HELPER_SCHEMA};\n"
    + LOAD_ERRORS_SQL
    + LAYOUT_SQL
    + KEYS_SQL
    + CATALOG_SQL
    + SVV_CATALOG_SQL
    + COLLATION_SQL
    + VERSION_SQL
)


def mentions_system_relation(text_lower: str) -> bool:
    """Whether a (lower-cased) statement names an emulated relation, even inside a string."""
    names = SYSTEM_RELATION_NAMES | SYSTEM_FUNCTIONS | INFORMATION_SCHEMA_VIEWS
    return any(name in text_lower for name in names)
