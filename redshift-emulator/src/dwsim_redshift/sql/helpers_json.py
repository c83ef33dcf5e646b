"""SQL of the JSON-text and SUPER (jsonb) helper functions."""

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

SUPER_SQL = """
CREATE OR REPLACE FUNCTION dwsim_rs.can_json_parse(doc text) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE WHEN doc IS NULL THEN NULL ELSE dwsim_rs.json_or_null(doc) IS NOT NULL END
$fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.is_scalar(value jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $fn$ SELECT jsonb_typeof(value) NOT IN ('object', 'array') $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.super_integral(value jsonb, low numeric, high numeric)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE WHEN jsonb_typeof(value) <> 'number' THEN false
                ELSE value::numeric = trunc(value::numeric)
                     AND value::numeric BETWEEN low AND high END
$fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.is_smallint(value jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $fn$ SELECT dwsim_rs.super_integral(value, -32768, 32767) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.is_integer(value jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $fn$ SELECT dwsim_rs.super_integral(value, -2147483648, 2147483647) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.is_bigint(value jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT dwsim_rs.super_integral(value, -9223372036854775808, 9223372036854775807) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.is_decimal(value jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $fn$ SELECT jsonb_typeof(value) = 'number' $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.is_float(value jsonb) RETURNS boolean
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT jsonb_typeof(value) = 'number' AND value::text ~ '[.eE]' $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.subarray(value jsonb, start_pos integer, len integer)
RETURNS jsonb LANGUAGE sql IMMUTABLE AS $fn$
    SELECT coalesce(jsonb_agg(e ORDER BY i), '[]'::jsonb)
    FROM jsonb_array_elements(value) WITH ORDINALITY AS t(e, i)
    WHERE i - 1 >= start_pos AND i - 1 < start_pos + len
$fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.array_concat(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $fn$ SELECT a || b $fn$;
"""

SUPER_AGGREGATES_SQL = """
CREATE OR REPLACE FUNCTION dwsim_rs.super_larger(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $fn$ SELECT CASE WHEN a IS NULL OR b > a THEN b ELSE a END $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.super_smaller(a jsonb, b jsonb) RETURNS jsonb
LANGUAGE sql IMMUTABLE AS $fn$ SELECT CASE WHEN a IS NULL OR b < a THEN b ELSE a END $fn$;
CREATE OR REPLACE AGGREGATE dwsim_rs.super_max(jsonb) (
    sfunc = dwsim_rs.super_larger, stype = jsonb
);
CREATE OR REPLACE AGGREGATE dwsim_rs.super_min(jsonb) (
    sfunc = dwsim_rs.super_smaller, stype = jsonb
);
"""

JSON_SQL = JSON_TEXT_SQL + SUPER_SQL + SUPER_AGGREGATES_SQL
