-- DATEADD and ADD_MONTHS, with Redshift's date part names.
CREATE OR REPLACE FUNCTION dwsim_rs.datepart_interval(fn text, part text) RETURNS interval
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE dwsim_rs.datepart_name(fn, part)
        WHEN 'millennium' THEN interval '1000 years'
        WHEN 'century' THEN interval '100 years'
        WHEN 'decade' THEN interval '10 years'
        WHEN 'year' THEN interval '1 year'
        WHEN 'quarter' THEN interval '3 months'
        WHEN 'month' THEN interval '1 month'
        WHEN 'week' THEN interval '7 days'
        WHEN 'day' THEN interval '1 day'
        WHEN 'hour' THEN interval '1 hour'
        WHEN 'minute' THEN interval '1 minute'
        WHEN 'second' THEN interval '1 second'
        WHEN 'millisecond' THEN interval '1 millisecond'
        WHEN 'microsecond' THEN interval '1 microsecond'
    END
$fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.dateadd(part text, n bigint, x timestamp) RETURNS timestamp
LANGUAGE sql IMMUTABLE AS $fn$ SELECT x + n * dwsim_rs.datepart_interval('DATEADD', part) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.dateadd(part text, n bigint, x date) RETURNS timestamp
LANGUAGE sql IMMUTABLE AS $fn$ SELECT x::timestamp + n * dwsim_rs.datepart_interval('DATEADD', part) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.dateadd(part text, n bigint, x timestamptz) RETURNS timestamptz
LANGUAGE sql STABLE AS $fn$ SELECT x + n * dwsim_rs.datepart_interval('DATEADD', part) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.dateadd(part text, n bigint, x time) RETURNS time
LANGUAGE sql IMMUTABLE AS $fn$ SELECT x + n * dwsim_rs.datepart_interval('DATEADD', part) $fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.add_months(x timestamp, n bigint) RETURNS timestamp
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE
        WHEN x::date = (date_trunc('month', x) + interval '1 month - 1 day')::date
        THEN date_trunc('month', x) + (n + 1) * interval '1 month' - interval '1 day' + x::time
        ELSE x + n * interval '1 month'
    END
$fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.add_months(x date, n bigint) RETURNS timestamp
LANGUAGE sql IMMUTABLE AS $fn$ SELECT dwsim_rs.add_months(x::timestamp, n) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.add_months(x timestamptz, n bigint) RETURNS timestamp
LANGUAGE sql STABLE AS $fn$ SELECT dwsim_rs.add_months(x::timestamp, n) $fn$;
