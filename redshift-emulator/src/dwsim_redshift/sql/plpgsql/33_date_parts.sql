-- DATE_PART / EXTRACT / DATE_TRUNC (and TRUNC of a timestamp) with Redshift's date part names.
CREATE OR REPLACE FUNCTION dwsim_rs.pg_field(fn text, part text) RETURNS text
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE p WHEN 'millisecond' THEN 'milliseconds' WHEN 'microsecond' THEN 'microseconds'
                  ELSE p END
    FROM dwsim_rs.datepart_name(fn, part) AS p
$fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.date_part(part text, x timestamp) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $fn$ SELECT date_part(dwsim_rs.pg_field('DATE_PART', part), x) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.date_part(part text, x timestamptz) RETURNS double precision
LANGUAGE sql STABLE AS $fn$ SELECT date_part(dwsim_rs.pg_field('DATE_PART', part), x) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.date_part(part text, x date) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $fn$ SELECT date_part(dwsim_rs.pg_field('DATE_PART', part), x::timestamp) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.date_part(part text, x time) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $fn$ SELECT date_part(dwsim_rs.pg_field('DATE_PART', part), x) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.date_part(part text, x interval) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $fn$ SELECT date_part(dwsim_rs.pg_field('DATE_PART', part), x) $fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.extract_part(part text, x timestamp) RETURNS integer
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE part
        WHEN 'second' THEN floor(extract(second FROM x))
        WHEN 'millisecond' THEN floor(extract(microseconds FROM x) / 1000)::int % 1000
        WHEN 'microsecond' THEN extract(microseconds FROM x)::int % 1000
    END::integer
$fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.extract_part(part text, x timestamptz) RETURNS integer
LANGUAGE sql STABLE AS $fn$ SELECT dwsim_rs.extract_part(part, x::timestamp) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.extract_part(part text, x time) RETURNS integer
LANGUAGE sql IMMUTABLE AS $fn$ SELECT dwsim_rs.extract_part(part, date '2000-01-01' + x) $fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.date_trunc(part text, x timestamp) RETURNS timestamp
LANGUAGE sql IMMUTABLE AS $fn$ SELECT date_trunc(dwsim_rs.pg_field('DATE_TRUNC', part), x) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.date_trunc(part text, x timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE AS $fn$ SELECT date_trunc(dwsim_rs.pg_field('DATE_TRUNC', part), x) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.date_trunc(part text, x date) RETURNS timestamp
LANGUAGE sql IMMUTABLE AS $fn$ SELECT date_trunc(dwsim_rs.pg_field('DATE_TRUNC', part), x::timestamp) $fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.trunc(x timestamp) RETURNS date
LANGUAGE sql IMMUTABLE AS $fn$ SELECT x::date $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.trunc(x timestamptz) RETURNS date
LANGUAGE sql STABLE AS $fn$ SELECT x::date $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.trunc(x date) RETURNS date
LANGUAGE sql IMMUTABLE AS $fn$ SELECT x $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.trunc(x numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $fn$ SELECT pg_catalog.trunc(x) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.trunc(x double precision) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $fn$ SELECT pg_catalog.trunc(x) $fn$;
