-- SHA1 and SOUNDEX come from PostgreSQL's contrib extensions, installed into dwsim_rs where
-- the server has them (wrappers find them wherever an earlier install put them).
DO $do$
BEGIN
    CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA dwsim_rs;
    CREATE EXTENSION IF NOT EXISTS fuzzystrmatch WITH SCHEMA dwsim_rs;
EXCEPTION WHEN others THEN
    RAISE NOTICE 'dwsim_rs: contrib extensions not installed: %', SQLERRM;
END
$do$;
CREATE OR REPLACE FUNCTION dwsim_rs.sha1(value text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = dwsim_rs, public, pg_catalog AS $fn$
    SELECT encode(digest(value, 'sha1'), 'hex') $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.rs_soundex(value text) RETURNS text
LANGUAGE sql IMMUTABLE SET search_path = dwsim_rs, public, pg_catalog AS $fn$
    SELECT soundex(value) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.rs_difference(a text, b text) RETURNS integer
LANGUAGE sql IMMUTABLE SET search_path = dwsim_rs, public, pg_catalog AS $fn$
    SELECT difference(a, b) $fn$;
