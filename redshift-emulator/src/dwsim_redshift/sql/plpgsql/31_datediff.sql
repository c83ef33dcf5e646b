-- Date/time helpers with Redshift's semantics on PostgreSQL types. DATEDIFF counts boundaries
-- crossed (datediff(year, '2019-12-31', '2020-01-01') = 1); weeks start on Monday as in
-- DATE_TRUNC('week'). Overloads for date, timestamp, timestamptz and time keep PostgreSQL's
-- function resolution picking the right one without casts in the translated text. Date part
-- names go through dwsim_rs.datepart_name (generated from dateparts.py: 30_datepart_name).
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
