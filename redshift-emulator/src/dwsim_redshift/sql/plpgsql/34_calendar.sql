-- LAST_DAY, NEXT_DAY, MONTHS_BETWEEN and CONVERT_TIMEZONE.
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
