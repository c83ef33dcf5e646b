-- SUPER values (jsonb): CAN_JSON_PARSE, the IS_* type tests, ARRAY_CONCAT, SUBARRAY.
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
