-- Three-way comparisons (-1, 0, 1) of datetimes and intervals.
CREATE OR REPLACE FUNCTION dwsim_rs.cmp(a timestamp, b timestamp) RETURNS integer
LANGUAGE sql IMMUTABLE AS $fn$ SELECT CASE WHEN a < b THEN -1 WHEN a > b THEN 1 ELSE 0 END $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.cmp(a timestamptz, b timestamptz) RETURNS integer
LANGUAGE sql STABLE AS $fn$ SELECT CASE WHEN a < b THEN -1 WHEN a > b THEN 1 ELSE 0 END $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.cmp(a date, b date) RETURNS integer
LANGUAGE sql IMMUTABLE AS $fn$ SELECT CASE WHEN a < b THEN -1 WHEN a > b THEN 1 ELSE 0 END $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.cmp(a interval, b interval) RETURNS integer
LANGUAGE sql IMMUTABLE AS $fn$ SELECT CASE WHEN a < b THEN -1 WHEN a > b THEN 1 ELSE 0 END $fn$;
