-- MEDIAN with Redshift's result types (DECIMAL for integers and decimals, DOUBLE PRECISION for
-- floats, DATE/TIMESTAMP for those), as plain aggregates so that MEDIAN(x) OVER (PARTITION BY p)
-- works too (PostgreSQL's PERCENTILE_CONT is double precision only and has no window form).
CREATE OR REPLACE FUNCTION dwsim_rs.median_final(vals numeric[]) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE WHEN n = 0 THEN NULL
                WHEN n % 2 = 1 THEN s[(n + 1) / 2]
                ELSE (s[n / 2] + s[n / 2 + 1]) / 2 END
    FROM (SELECT array_agg(v ORDER BY v) AS s, count(*)::int AS n
          FROM unnest(vals) AS v WHERE v IS NOT NULL) AS sorted
$fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.median_final(vals double precision[]) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE WHEN n = 0 THEN NULL
                WHEN n % 2 = 1 THEN s[(n + 1) / 2]
                ELSE (s[n / 2] + s[n / 2 + 1]) / 2 END
    FROM (SELECT array_agg(v ORDER BY v) AS s, count(*)::int AS n
          FROM unnest(vals) AS v WHERE v IS NOT NULL) AS sorted
$fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.median_final(vals date[]) RETURNS date
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE WHEN n = 0 THEN NULL
                WHEN n % 2 = 1 THEN s[(n + 1) / 2]
                ELSE s[n / 2] + (s[n / 2 + 1] - s[n / 2]) / 2 END
    FROM (SELECT array_agg(v ORDER BY v) AS s, count(*)::int AS n
          FROM unnest(vals) AS v WHERE v IS NOT NULL) AS sorted
$fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.median_final(vals timestamp[]) RETURNS timestamp
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE WHEN n = 0 THEN NULL
                WHEN n % 2 = 1 THEN s[(n + 1) / 2]
                ELSE s[n / 2] + (s[n / 2 + 1] - s[n / 2]) / 2 END
    FROM (SELECT array_agg(v ORDER BY v) AS s, count(*)::int AS n
          FROM unnest(vals) AS v WHERE v IS NOT NULL) AS sorted
$fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.median_final(vals timestamptz[]) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $fn$
    SELECT CASE WHEN n = 0 THEN NULL
                WHEN n % 2 = 1 THEN s[(n + 1) / 2]
                ELSE s[n / 2] + (s[n / 2 + 1] - s[n / 2]) / 2 END
    FROM (SELECT array_agg(v ORDER BY v) AS s, count(*)::int AS n
          FROM unnest(vals) AS v WHERE v IS NOT NULL) AS sorted
$fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.median_final_int(vals anyarray) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $fn$ SELECT dwsim_rs.median_final(vals::numeric[]) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.median_final_real(vals real[]) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $fn$ SELECT dwsim_rs.median_final(vals::double precision[]) $fn$;

CREATE OR REPLACE AGGREGATE dwsim_rs.median(numeric)
    (SFUNC = array_append, STYPE = numeric[], FINALFUNC = dwsim_rs.median_final);
CREATE OR REPLACE AGGREGATE dwsim_rs.median(smallint)
    (SFUNC = array_append, STYPE = smallint[], FINALFUNC = dwsim_rs.median_final_int);
CREATE OR REPLACE AGGREGATE dwsim_rs.median(integer)
    (SFUNC = array_append, STYPE = integer[], FINALFUNC = dwsim_rs.median_final_int);
CREATE OR REPLACE AGGREGATE dwsim_rs.median(bigint)
    (SFUNC = array_append, STYPE = bigint[], FINALFUNC = dwsim_rs.median_final_int);
CREATE OR REPLACE AGGREGATE dwsim_rs.median(double precision)
    (SFUNC = array_append, STYPE = double precision[], FINALFUNC = dwsim_rs.median_final);
CREATE OR REPLACE AGGREGATE dwsim_rs.median(real)
    (SFUNC = array_append, STYPE = real[], FINALFUNC = dwsim_rs.median_final_real);
CREATE OR REPLACE AGGREGATE dwsim_rs.median(date)
    (SFUNC = array_append, STYPE = date[], FINALFUNC = dwsim_rs.median_final);
CREATE OR REPLACE AGGREGATE dwsim_rs.median(timestamp)
    (SFUNC = array_append, STYPE = timestamp[], FINALFUNC = dwsim_rs.median_final);
CREATE OR REPLACE AGGREGATE dwsim_rs.median(timestamptz)
    (SFUNC = array_append, STYPE = timestamptz[], FINALFUNC = dwsim_rs.median_final);
