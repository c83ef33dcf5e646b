"""SQL of the date/time helper functions (Redshift semantics on PostgreSQL types).

DATEDIFF counts boundaries crossed (datediff(year, '2019-12-31', '2020-01-01') = 1), weeks start
on Monday as in DATE_TRUNC('week'). Overloads for date, timestamp, timestamptz and time keep
PostgreSQL's function resolution picking the right one without casts in the translated text.
"""

from dwsim_redshift.sql.dateparts import ALIASES

_CASES = "\n".join(f"        WHEN '{alias}' THEN '{name}'" for alias, name in ALIASES.items())

DATEPART_SQL = f"""
CREATE OR REPLACE FUNCTION dwsim_rs.datepart_name(fn text, part text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $fn$
DECLARE
    canonical text := CASE lower(btrim(part))
{_CASES}
    END;
BEGIN
    IF canonical IS NULL AND part IS NOT NULL THEN
        RAISE EXCEPTION '% does not support the date part "%"', fn, part
            USING ERRCODE = '22023',
                  HINT = 'Use a date part from Redshift''s table of date parts, e.g. year, '
                         'quarter, month, week, day, hour, minute (m), second (s).';
    END IF;
    RETURN canonical;
END $fn$;
"""

DATEDIFF_SQL = """
CREATE OR REPLACE FUNCTION dwsim_rs.datepart_unsupported(fn text, part text) RETURNS numeric
LANGUAGE plpgsql IMMUTABLE AS $fn$
BEGIN
    RAISE EXCEPTION '% does not support the date part "%"', fn, part USING ERRCODE = '22023';
END $fn$;

-- A single-SELECT SQL function, so PostgreSQL inlines it and folds the CASE on a constant part.
CREATE OR REPLACE FUNCTION dwsim_rs.datediff(part text, a timestamp, b timestamp) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT (CASE dwsim_rs.datepart_name('DATEDIFF', part)
        WHEN 'millennium' THEN extract(millennium FROM b) - extract(millennium FROM a)
        WHEN 'century' THEN extract(century FROM b) - extract(century FROM a)
        WHEN 'decade' THEN extract(decade FROM b) - extract(decade FROM a)
        WHEN 'year' THEN extract(year FROM b) - extract(year FROM a)
        WHEN 'quarter' THEN (extract(year FROM b) * 4 + extract(quarter FROM b))
                          - (extract(year FROM a) * 4 + extract(quarter FROM a))
        WHEN 'month' THEN (extract(year FROM b) * 12 + extract(month FROM b))
                        - (extract(year FROM a) * 12 + extract(month FROM a))
        WHEN 'week' THEN (date_trunc('week', b)::date - date_trunc('week', a)::date) / 7
        WHEN 'day' THEN b::date - a::date
        WHEN 'hour' THEN (extract(epoch FROM date_trunc('hour', b))
                        - extract(epoch FROM date_trunc('hour', a))) / 3600
        WHEN 'minute' THEN (extract(epoch FROM date_trunc('minute', b))
                          - extract(epoch FROM date_trunc('minute', a))) / 60
        WHEN 'second' THEN extract(epoch FROM date_trunc('second', b))
                         - extract(epoch FROM date_trunc('second', a))
        WHEN 'millisecond' THEN (extract(epoch FROM date_trunc('milliseconds', b))
                               - extract(epoch FROM date_trunc('milliseconds', a))) * 1000
        WHEN 'microsecond' THEN (extract(epoch FROM b) - extract(epoch FROM a)) * 1000000
        ELSE dwsim_rs.datepart_unsupported('DATEDIFF', part)
    END)::bigint
$fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.datediff(part text, a timestamptz, b timestamptz)
RETURNS bigint LANGUAGE sql STABLE AS $fn$ SELECT dwsim_rs.datediff(part, a::timestamp, b::timestamp) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.datediff(part text, a date, b date)
RETURNS bigint LANGUAGE sql IMMUTABLE AS $fn$ SELECT dwsim_rs.datediff(part, a::timestamp, b::timestamp) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.datediff(part text, a time, b time)
RETURNS bigint LANGUAGE sql IMMUTABLE AS $fn$
    SELECT dwsim_rs.datediff(part, date '2000-01-01' + a, date '2000-01-01' + b) $fn$;
"""

DATEADD_SQL = """
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
"""

PARTS_SQL = """
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
"""

CALENDAR_SQL = """
CREATE OR REPLACE FUNCTION dwsim_rs.last_day(x timestamp) RETURNS date
LANGUAGE sql IMMUTABLE AS $fn$ SELECT (date_trunc('month', x) + interval '1 month - 1 day')::date $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.last_day(x timestamptz) RETURNS date
LANGUAGE sql STABLE AS $fn$ SELECT dwsim_rs.last_day(x::timestamp) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.last_day(x date) RETURNS date
LANGUAGE sql IMMUTABLE AS $fn$ SELECT dwsim_rs.last_day(x::timestamp) $fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.months_between(a timestamp, b timestamp)
RETURNS double precision LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE
        WHEN extract(day FROM a) = extract(day FROM b)
          OR (a::date = dwsim_rs.last_day(a) AND b::date = dwsim_rs.last_day(b))
        THEN ((extract(year FROM a) - extract(year FROM b)) * 12
              + extract(month FROM a) - extract(month FROM b))::double precision
        ELSE ((extract(year FROM a) - extract(year FROM b)) * 12
              + extract(month FROM a) - extract(month FROM b)
              + (extract(day FROM a) - extract(day FROM b)) / 31.0)::double precision
    END
$fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.months_between(a date, b date) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $fn$ SELECT dwsim_rs.months_between(a::timestamp, b::timestamp) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.months_between(a timestamptz, b timestamptz)
RETURNS double precision LANGUAGE sql STABLE AS $fn$
    SELECT dwsim_rs.months_between(a::timestamp, b::timestamp) $fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.next_day(x timestamp, day text) RETURNS date
LANGUAGE plpgsql IMMUTABLE AS $fn$
DECLARE
    names text[] := ARRAY['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday',
                          'saturday'];
    wanted text := lower(btrim(day));
    target int;
BEGIN
    IF x IS NULL OR day IS NULL THEN
        RETURN NULL;
    END IF;
    FOR i IN 1..7 LOOP
        IF length(wanted) >= 2 AND left(names[i], length(wanted)) = wanted THEN
            target := i - 1;
        END IF;
    END LOOP;
    IF target IS NULL THEN
        RAISE EXCEPTION 'NEXT_DAY: "%" is not a day of the week', day USING ERRCODE = '22023';
    END IF;
    RETURN x::date + (((target - extract(dow FROM x)::int + 6) % 7) + 1);
END $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.next_day(x date, day text) RETURNS date
LANGUAGE sql IMMUTABLE AS $fn$ SELECT dwsim_rs.next_day(x::timestamp, day) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.next_day(x timestamptz, day text) RETURNS date
LANGUAGE sql STABLE AS $fn$ SELECT dwsim_rs.next_day(x::timestamp, day) $fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.convert_timezone(source text, target text, x timestamp)
RETURNS timestamp LANGUAGE sql STABLE AS $fn$ SELECT (x AT TIME ZONE source) AT TIME ZONE target $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.convert_timezone(source text, target text, x timestamptz)
RETURNS timestamp LANGUAGE sql STABLE AS $fn$ SELECT x AT TIME ZONE target $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.convert_timezone(target text, x timestamp)
RETURNS timestamp LANGUAGE sql STABLE AS $fn$ SELECT (x AT TIME ZONE 'UTC') AT TIME ZONE target $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.convert_timezone(target text, x timestamptz)
RETURNS timestamp LANGUAGE sql STABLE AS $fn$ SELECT x AT TIME ZONE target $fn$;
"""

DATES_SQL = DATEPART_SQL + DATEDIFF_SQL + DATEADD_SQL + PARTS_SQL + CALENDAR_SQL
