-- The helper schema: everything the emulator installs lives in it.
CREATE SCHEMA IF NOT EXISTS dwsim_rs;

-- Who sees which rows of the system relations. As in Redshift, where a superuser sees every row
-- and a regular user only its own (stl_*/stv_*/sys_*: rows of its own user; svv_table_info,
-- svv_all_tables...: tables it has a privilege on): users made with CREATE USER (members of
-- dwsim_rs_users, 14_users.sql, e.g. an experiment's dwsim_exp_<schema>) are the regular users;
-- the client role and the superuser see every row. Views filter on these in their WHERE clause,
-- and row-level security policies of the tables behind them (for direct reads and writes) too.
CREATE OR REPLACE FUNCTION dwsim_rs.is_created_user(who name) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog AS $fn$
    SELECT EXISTS (
        SELECT FROM pg_auth_members m
        JOIN pg_roles g ON g.oid = m.roleid AND g.rolname = 'dwsim_rs_users'
        JOIN pg_roles r ON r.oid = m.member AND r.rolname = who AND NOT r.rolsuper)
$fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.sees_all_rows() RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog AS $fn$
    SELECT NOT dwsim_rs.is_created_user(current_user)
$fn$;
-- the user's oid, as the userid columns hold it. Views and policies call these two in scalar
-- subqueries, ``(SELECT dwsim_rs.sees_all_rows()) OR userid = (SELECT dwsim_rs.current_userid())``,
-- so each runs once per statement, not once per row.
CREATE OR REPLACE FUNCTION dwsim_rs.current_userid() RETURNS integer
LANGUAGE sql STABLE SET search_path = pg_catalog AS $fn$
    SELECT oid::integer FROM pg_roles WHERE rolname = current_user
$fn$;
-- a table whose keys and layout ``who`` may change: its owner (as ALTER TABLE requires), or
-- the client role and the superuser; ``who`` is explicit for SECURITY DEFINER callers
CREATE OR REPLACE FUNCTION dwsim_rs.may_alter_table(rel oid, who name) RETURNS boolean
LANGUAGE sql STABLE SET search_path = pg_catalog AS $fn$
    SELECT NOT dwsim_rs.is_created_user(who)
        OR EXISTS (SELECT FROM pg_class c
                   WHERE c.oid = rel AND pg_has_role(who, c.relowner, 'USAGE'))
$fn$;
