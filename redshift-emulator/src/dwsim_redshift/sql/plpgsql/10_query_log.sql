-- stv_recents (the backend's sessions and what they run), and the query log behind stl_query
-- and sys_query_history: one row per statement a client ran, written by the emulator
-- (query_log/writer.py), which keeps the newest rows only. Times are UTC, as Redshift logs them.
CREATE OR REPLACE VIEW dwsim_rs.stv_recents AS
SELECT a.usesysid::integer AS userid,
       CASE WHEN a.state = 'active' THEN 'Running' ELSE 'Done' END::text AS status,
       a.query_start::timestamp AS starttime,
       (extract(epoch FROM (now() - a.query_start)) * 1000000)::bigint AS duration,
       a.usename::text AS user_name, a.datname::text AS db_name, a.query::text AS query,
       a.pid AS pid
FROM pg_catalog.pg_stat_activity a
WHERE a.backend_type = 'client backend'
  AND ((SELECT dwsim_rs.sees_all_rows())
       OR a.usesysid::integer = (SELECT dwsim_rs.current_userid()));

CREATE UNLOGGED TABLE IF NOT EXISTS dwsim_rs.query_log (
    query_id bigint PRIMARY KEY, userid integer, session_id integer, user_name text,
    database_name text, query_type text, status text, error_message text,
    start_time timestamp without time zone, end_time timestamp without time zone,
    returned_rows bigint, query_text text
);

-- STL_QUERY lists queries (not DDL or utility statements); querytxt is cut at 4000 characters.
CREATE OR REPLACE VIEW dwsim_rs.stl_query AS
SELECT userid, query_id::integer AS query, 'default'::text AS label, 0::bigint AS xid,
       session_id AS pid, database_name::text AS database,
       left(query_text, 4000)::text AS querytxt, start_time AS starttime,
       end_time AS endtime, CASE WHEN status = 'success' THEN 0 ELSE 1 END AS aborted,
       0 AS insert_pristine, 0 AS concurrency_scaling_status
FROM dwsim_rs.query_log
WHERE query_type IN ('SELECT', 'INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY', 'UNLOAD', 'CTAS')
  AND ((SELECT dwsim_rs.sees_all_rows()) OR userid = (SELECT dwsim_rs.current_userid()));

CREATE OR REPLACE VIEW dwsim_rs.sys_query_history AS
SELECT userid AS user_id, query_id, 'default'::text AS query_label, 0::bigint AS transaction_id,
       session_id, database_name, query_type, status, false AS result_cache_hit,
       start_time, end_time,
       (extract(epoch FROM end_time - start_time) * 1000000)::bigint AS elapsed_time,
       0::bigint AS queue_time,
       (extract(epoch FROM end_time - start_time) * 1000000)::bigint AS execution_time,
       coalesce(error_message, '') AS error_message, returned_rows, 0::bigint AS returned_bytes,
       left(query_text, 4000)::text AS query_text
FROM dwsim_rs.query_log
WHERE (SELECT dwsim_rs.sees_all_rows()) OR userid = (SELECT dwsim_rs.current_userid());

-- userid: the session's own role (writer.py), so a user made with CREATE USER reads its own rows
ALTER TABLE dwsim_rs.query_log ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS own_rows ON dwsim_rs.query_log;
CREATE POLICY own_rows ON dwsim_rs.query_log FOR SELECT
    USING ((SELECT dwsim_rs.sees_all_rows()) OR userid = (SELECT dwsim_rs.current_userid()));
