-- Redshift's CREATE USER / DROP USER for a client role that may not create roles (before
-- PostgreSQL 16 CREATEROLE could grant itself host access, so the client role lacks it). The
-- users made here are ordinary logins (no superuser, no role creation) and members of
-- dwsim_rs_users, the group that marks them: a client that logs in to the emulator under such a
-- name gets a PostgreSQL session AS that user, so it sees only what was granted to it.
DO $do$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = 'dwsim_rs_users') THEN
        CREATE ROLE dwsim_rs_users NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END
$do$;
CREATE OR REPLACE FUNCTION dwsim_rs.create_user(name text, password text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $fn$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = name) THEN
        RAISE EXCEPTION 'user "%" already exists', name USING ERRCODE = '42710';
    END IF;
    EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION '
                   'NOBYPASSRLS INHERIT PASSWORD %L IN ROLE dwsim_rs_users', name, password);
END $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.drop_user(name text, if_exists boolean) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog AS $fn$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = name) THEN
        IF if_exists THEN
            RAISE NOTICE 'user "%" does not exist, skipping', name;
            RETURN;
        END IF;
        RAISE EXCEPTION 'user "%" does not exist', name USING ERRCODE = '42704';
    END IF;
    IF NOT EXISTS (  -- made by create_user: a direct member of the group, no superuser
        SELECT FROM pg_auth_members m
        JOIN pg_roles r ON r.oid = m.member JOIN pg_roles g ON g.oid = m.roleid
        WHERE r.rolname = name AND g.rolname = 'dwsim_rs_users' AND NOT r.rolsuper
    ) THEN
        RAISE EXCEPTION 'permission denied to drop user "%"', name USING ERRCODE = '42501',
            HINT = 'The emulator drops only users made with CREATE USER through it.';
    END IF;
    EXECUTE format('DROP ROLE %I', name);
END $fn$;
REVOKE ALL ON FUNCTION dwsim_rs.create_user(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION dwsim_rs.drop_user(text, boolean) FROM PUBLIC;
