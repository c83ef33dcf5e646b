-- TRUNC and ROUND keep the argument's type (double precision stays double precision).
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

-- A DECIMAL division at the scale Redshift gives it (sql/decimal_scale.py): the exact quotient
-- rounded half away from zero at that scale (PostgreSQL's a / b picks its own scale, sometimes
-- fewer digits). div() truncates exactly; the remainder decides the last digit.
CREATE OR REPLACE FUNCTION dwsim_rs.rounded_quotient(x numeric, b numeric, q numeric, places integer)
RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT ((CASE WHEN 2 * abs(x - q * b) >= abs(b) THEN q + sign(x) * sign(b) ELSE q END)::text
            || 'e-' || places)::numeric $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.decimal_div(a numeric, b numeric, places integer)
RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT dwsim_rs.rounded_quotient(a * 10::numeric ^ places, b,
                                     div(a * 10::numeric ^ places, b), places) $fn$;
