-- stl_load_errors / sys_load_error_detail keep Redshift's column names and types (COPY writes
-- them); stl_load_commits has one row per file of each committed COPY.
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
FROM dwsim_rs.stl_load_errors
WHERE (SELECT dwsim_rs.sees_all_rows()) OR userid = (SELECT dwsim_rs.current_userid());
CREATE TABLE IF NOT EXISTS dwsim_rs.stl_load_commits (
    userid integer, query integer, slice integer, name character(256), filename character(256),
    byte_offset integer, lines_scanned integer, errors integer,
    curtime timestamp without time zone, status integer, file_format character(16),
    is_partial integer, start_offset bigint
);
CREATE OR REPLACE FUNCTION dwsim_rs.pg_last_copy_id() RETURNS integer LANGUAGE sql STABLE AS $fn$
    SELECT coalesce(nullif(current_setting('dwsim.last_copy_id', true), ''), '-1')::integer
$fn$;
-- A user made with CREATE USER reads only its own rows, and writes only its own commits (its COPY
-- writes them in its own transaction); the superuser (the table owner) writes stl_load_errors.
ALTER TABLE dwsim_rs.stl_load_errors ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS own_rows ON dwsim_rs.stl_load_errors;
CREATE POLICY own_rows ON dwsim_rs.stl_load_errors FOR SELECT
    USING ((SELECT dwsim_rs.sees_all_rows()) OR userid = (SELECT dwsim_rs.current_userid()));
ALTER TABLE dwsim_rs.stl_load_commits ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS own_rows ON dwsim_rs.stl_load_commits;
CREATE POLICY own_rows ON dwsim_rs.stl_load_commits
    USING ((SELECT dwsim_rs.sees_all_rows()) OR userid = (SELECT dwsim_rs.current_userid()))
    WITH CHECK ((SELECT dwsim_rs.sees_all_rows()) OR userid = (SELECT dwsim_rs.current_userid()));
