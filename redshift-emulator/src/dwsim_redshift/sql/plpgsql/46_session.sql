-- CURRENT_USER_ID.
CREATE OR REPLACE FUNCTION dwsim_rs.current_user_id() RETURNS integer
LANGUAGE sql STABLE AS $fn$ SELECT oid::integer FROM pg_catalog.pg_roles WHERE rolname = current_user $fn$;
