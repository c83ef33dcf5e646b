"""SQL of the string, number, regular-expression and JSON-text helper functions."""

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

JSON_TEXT_SQL = """
CREATE OR REPLACE FUNCTION dwsim_rs.json_or_null(doc text) RETURNS json
LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
    RETURN doc::json;
EXCEPTION WHEN others THEN
    RETURN NULL;
END $fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.is_valid_json(doc text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE WHEN doc IS NULL THEN NULL
                ELSE coalesce(json_typeof(dwsim_rs.json_or_null(doc)) = 'object', false) END
$fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.is_valid_json_array(doc text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE WHEN doc IS NULL THEN NULL
                ELSE coalesce(json_typeof(dwsim_rs.json_or_null(doc)) = 'array', false) END
$fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.json_extract_path_text(doc text, path text[],
    null_if_invalid boolean DEFAULT false) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $fn$
DECLARE
    parsed json := dwsim_rs.json_or_null(doc);
BEGIN
    IF doc IS NULL OR doc = '' THEN
        RETURN NULL;
    END IF;
    IF parsed IS NULL THEN
        IF null_if_invalid THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'JSON parsing error: the value is not valid JSON: %', left(doc, 100)
            USING ERRCODE = '22P02';
    END IF;
    RETURN json_extract_path_text(parsed, VARIADIC path);
END $fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.json_extract_array_element_text(doc text, pos integer,
    null_if_invalid boolean DEFAULT false) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $fn$
DECLARE
    parsed json := dwsim_rs.json_or_null(doc);
BEGIN
    IF doc IS NULL OR doc = '' THEN
        RETURN NULL;
    END IF;
    IF parsed IS NULL OR json_typeof(parsed) <> 'array' THEN
        IF null_if_invalid THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'JSON parsing error: the value is not a valid JSON array: %',
            left(doc, 100) USING ERRCODE = '22P02';
    END IF;
    RETURN parsed ->> pos;
END $fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.json_array_length(doc text,
    null_if_invalid boolean DEFAULT false) RETURNS integer
LANGUAGE plpgsql IMMUTABLE AS $fn$
DECLARE
    parsed json := dwsim_rs.json_or_null(doc);
BEGIN
    IF doc IS NULL THEN
        RETURN NULL;
    END IF;
    IF parsed IS NULL OR json_typeof(parsed) <> 'array' THEN
        IF null_if_invalid THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'JSON parsing error: the value is not a valid JSON array: %',
            left(doc, 100) USING ERRCODE = '22P02';
    END IF;
    RETURN json_array_length(parsed);
END $fn$;
"""

TEXT_SQL = """
CREATE OR REPLACE FUNCTION dwsim_rs.json_or_null(doc text) RETURNS json
LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
    RETURN doc::json;
EXCEPTION WHEN others THEN
    RETURN NULL;
END $fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.is_valid_json(doc text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE WHEN doc IS NULL THEN NULL
                ELSE coalesce(json_typeof(dwsim_rs.json_or_null(doc)) = 'object', false) END
$fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.is_valid_json_array(doc text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE WHEN doc IS NULL THEN NULL
                ELSE coalesce(json_typeof(dwsim_rs.json_or_null(doc)) = 'array', false) END
$fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.json_extract_path_text(doc text, path text[],
    null_if_invalid boolean DEFAULT false) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $fn$
DECLARE
    parsed json := dwsim_rs.json_or_null(doc);
BEGIN
    IF doc IS NULL OR doc = '' THEN
        RETURN NULL;
    END IF;
    IF parsed IS NULL THEN
        IF null_if_invalid THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'JSON parsing error: the value is not valid JSON: %', left(doc, 100)
            USING ERRCODE = '22P02';
    END IF;
    RETURN json_extract_path_text(parsed, VARIADIC path);
END $fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.json_extract_array_element_text(doc text, pos integer,
    null_if_invalid boolean DEFAULT false) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $fn$
DECLARE
    parsed json := dwsim_rs.json_or_null(doc);
BEGIN
    IF doc IS NULL OR doc = '' THEN
        RETURN NULL;
    END IF;
    IF parsed IS NULL OR json_typeof(parsed) <> 'array' THEN
        IF null_if_invalid THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'JSON parsing error: the value is not a valid JSON array: %',
            left(doc, 100) USING ERRCODE = '22P02';
    END IF;
    RETURN parsed ->> pos;
END $fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.json_array_length(doc text,
    null_if_invalid boolean DEFAULT false) RETURNS integer
LANGUAGE plpgsql IMMUTABLE AS $fn$
DECLARE
    parsed json := dwsim_rs.json_or_null(doc);
BEGIN
    IF doc IS NULL THEN
        RETURN NULL;
    END IF;
    IF parsed IS NULL OR json_typeof(parsed) <> 'array' THEN
        IF null_if_invalid THEN
            RETURN NULL;
        END IF;
        RAISE EXCEPTION 'JSON parsing error: the value is not a valid JSON array: %',
            left(doc, 100) USING ERRCODE = '22P02';
    END IF;
    RETURN json_array_length(parsed);
END $fn$;
"""

HASH_SQL = """
CREATE OR REPLACE FUNCTION dwsim_rs.sha1(value text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$ SELECT encode(sha256(''::bytea), 'hex') WHERE false
    UNION ALL SELECT encode(digest_sha1, 'hex') FROM (SELECT NULL::bytea AS digest_sha1) s WHERE false
$fn$;
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

TEXT_SQL = STRTOL_SQL + NUMBERS_SQL + REGEXP_SQL + JSON_TEXT_SQL
