"""SQL of the string, number, comparison and regular-expression helper functions."""

STRTOL_SQL = """
CREATE OR REPLACE FUNCTION dwsim_rs.strtol(num_string text, base integer) RETURNS bigint
LANGUAGE plpgsql IMMUTABLE AS $fn$
DECLARE
    digits text := lower(btrim(num_string));
    negative boolean := false;
    result numeric := 0;
    d integer;
BEGIN
    IF num_string IS NULL OR base IS NULL THEN
        RETURN NULL;
    END IF;
    IF base < 2 OR base > 36 THEN
        RAISE EXCEPTION 'STRTOL: base % is out of range (2 to 36)', base USING ERRCODE = '22023';
    END IF;
    IF left(digits, 1) IN ('-', '+') THEN
        negative := left(digits, 1) = '-';
        digits := substr(digits, 2);
    END IF;
    IF base = 16 AND left(digits, 2) = '0x' THEN
        digits := substr(digits, 3);
    END IF;
    FOR i IN 1..length(digits) LOOP
        d := strpos('0123456789abcdefghijklmnopqrstuvwxyz', substr(digits, i, 1)) - 1;
        IF d < 0 OR d >= base THEN
            RAISE EXCEPTION 'STRTOL: "%" is not a number in base %', num_string, base
                USING ERRCODE = '22P02';
        END IF;
        result := result * base + d;
    END LOOP;
    IF negative THEN
        result := -result;
    END IF;
    RETURN result::bigint;
END $fn$;
"""

NUMBERS_SQL = """
CREATE OR REPLACE FUNCTION dwsim_rs.trunc(x numeric, places integer) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $fn$ SELECT pg_catalog.trunc(x, places) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.trunc(x double precision, places integer)
RETURNS double precision LANGUAGE sql IMMUTABLE AS $fn$
    SELECT pg_catalog.trunc(x::numeric, places)::double precision $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.round(x numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $fn$ SELECT pg_catalog.round(x) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.round(x double precision) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $fn$ SELECT pg_catalog.round(x::numeric)::double precision $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.round(x numeric, places integer) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $fn$ SELECT pg_catalog.round(x, places) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.round(x double precision, places integer)
RETURNS double precision LANGUAGE sql IMMUTABLE AS $fn$
    SELECT pg_catalog.round(x::numeric, places)::double precision $fn$;
"""

REGEXP_SQL = """
CREATE OR REPLACE FUNCTION dwsim_rs.regexp_flags(parameters text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT translate(coalesce(parameters, ''), 'pe', '')
$fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.regexp_substr(source text, pattern text,
    start_pos integer DEFAULT 1, occurrence integer DEFAULT 1, parameters text DEFAULT '')
RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
    SELECT coalesce(regexp_substr(source, pattern, start_pos, occurrence,
                                  dwsim_rs.regexp_flags(parameters),
                                  CASE WHEN strpos(coalesce(parameters, ''), 'e') > 0
                                       THEN 1 ELSE 0 END), '')
    WHERE source IS NOT NULL AND pattern IS NOT NULL
$fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.regexp_count(source text, pattern text,
    start_pos integer DEFAULT 1, parameters text DEFAULT '')
RETURNS integer LANGUAGE sql IMMUTABLE AS $fn$
    SELECT regexp_count(source, pattern, start_pos, dwsim_rs.regexp_flags(parameters))
$fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.regexp_instr(source text, pattern text,
    start_pos integer DEFAULT 1, occurrence integer DEFAULT 1, option integer DEFAULT 0,
    parameters text DEFAULT '')
RETURNS integer LANGUAGE sql IMMUTABLE AS $fn$
    SELECT regexp_instr(source, pattern, start_pos, occurrence, option,
                        dwsim_rs.regexp_flags(parameters),
                        CASE WHEN strpos(coalesce(parameters, ''), 'e') > 0 THEN 1 ELSE 0 END)
$fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.regexp_replace(source text, pattern text,
    replace_string text DEFAULT '', start_pos integer DEFAULT 1, parameters text DEFAULT '')
RETURNS text LANGUAGE sql IMMUTABLE AS $fn$
    SELECT regexp_replace(source, pattern, replace_string, start_pos, 0,
                          dwsim_rs.regexp_flags(parameters))
$fn$;
"""

CMP_SQL = """
CREATE OR REPLACE FUNCTION dwsim_rs.cmp(a timestamp, b timestamp) RETURNS integer
LANGUAGE sql IMMUTABLE AS $fn$ SELECT CASE WHEN a < b THEN -1 WHEN a > b THEN 1 ELSE 0 END $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.cmp(a timestamptz, b timestamptz) RETURNS integer
LANGUAGE sql STABLE AS $fn$ SELECT CASE WHEN a < b THEN -1 WHEN a > b THEN 1 ELSE 0 END $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.cmp(a date, b date) RETURNS integer
LANGUAGE sql IMMUTABLE AS $fn$ SELECT CASE WHEN a < b THEN -1 WHEN a > b THEN 1 ELSE 0 END $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.cmp(a interval, b interval) RETURNS integer
LANGUAGE sql IMMUTABLE AS $fn$ SELECT CASE WHEN a < b THEN -1 WHEN a > b THEN 1 ELSE 0 END $fn$;
"""

AGGREGATES_SQL = """
-- AVG's result in Redshift's type, given the average and a sample of the argument's type.
CREATE OR REPLACE FUNCTION dwsim_rs.avg_like(average numeric, sample smallint) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $fn$ SELECT trunc(average)::bigint $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.avg_like(average numeric, sample integer) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $fn$ SELECT trunc(average)::bigint $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.avg_like(average numeric, sample bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $fn$ SELECT trunc(average)::bigint $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.avg_like(average numeric, sample numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $fn$ SELECT trunc(average, scale(sample)) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.avg_like(average double precision, sample double precision)
RETURNS double precision LANGUAGE sql IMMUTABLE AS $fn$ SELECT average $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.avg_like(average double precision, sample real)
RETURNS double precision LANGUAGE sql IMMUTABLE AS $fn$ SELECT average $fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.any_value_step(state anyelement, value anyelement)
RETURNS anyelement LANGUAGE sql IMMUTABLE AS $fn$ SELECT coalesce(state, value) $fn$;
CREATE OR REPLACE AGGREGATE dwsim_rs.any_value(anyelement) (
    sfunc = dwsim_rs.any_value_step, stype = anyelement
);
"""

# SHA1 and SOUNDEX come from PostgreSQL's contrib extensions, installed into dwsim_rs where
# the server has them (wrappers find them wherever an earlier install put them).
EXTENSIONS_SQL = """
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
"""

SESSION_SQL = """
CREATE OR REPLACE FUNCTION dwsim_rs.current_user_id() RETURNS integer
LANGUAGE sql STABLE AS $fn$ SELECT oid::integer FROM pg_catalog.pg_roles WHERE rolname = current_user $fn$;
"""

TEXT_SQL = (
    STRTOL_SQL + NUMBERS_SQL + REGEXP_SQL + CMP_SQL + AGGREGATES_SQL + EXTENSIONS_SQL + SESSION_SQL
)
