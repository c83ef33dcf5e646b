-- MIN/MAX over SUPER (jsonb) values.
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
