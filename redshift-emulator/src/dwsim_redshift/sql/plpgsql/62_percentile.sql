-- PERCENTILE_CONT / PERCENTILE_DISC over the sorted non-NULL values of a group or a window
-- partition (the translator aggregates them with array_agg in the WITHIN GROUP order).
-- Redshift's result types (r_PERCENTILE_CONT): DECIMAL for integers and decimals, DOUBLE
-- PRECISION for floats, DATE / TIMESTAMP / TIMESTAMPTZ for those; PERCENTILE_DISC keeps the
-- argument's type. The row number is RN = 1 + p * (N - 1); CONT interpolates between rows
-- FLOOR(RN) and CEILING(RN). One-expression SQL functions all: PostgreSQL inlines them, so the
-- window form reads two elements of an array it built once per partition.
-- RN's neighbours among the sorted values, and how far RN lies past the lower one.
CREATE OR REPLACE FUNCTION dwsim_rs.percentile_row(n integer, p numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$ SELECT 1 + p * (n - 1) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.percentile_low(vals anyarray, p numeric) RETURNS anyelement
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT vals[floor(dwsim_rs.percentile_row(cardinality(vals), p))::integer] $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.percentile_high(vals anyarray, p numeric) RETURNS anyelement
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT vals[ceil(dwsim_rs.percentile_row(cardinality(vals), p))::integer] $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.percentile_fraction(vals anyarray, p numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT dwsim_rs.percentile_row(cardinality(vals), p)
           - floor(dwsim_rs.percentile_row(cardinality(vals), p)) $fn$;

-- Integers and decimals: DECIMAL, the value at a whole row number as it is (its scale kept).
CREATE OR REPLACE FUNCTION dwsim_rs.percentile_cont_sorted(vals numeric[], p numeric)
RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT CASE WHEN dwsim_rs.percentile_fraction(vals, p) = 0
                THEN dwsim_rs.percentile_low(vals, p)
                ELSE dwsim_rs.percentile_low(vals, p)
                     + dwsim_rs.percentile_fraction(vals, p)
                       * (dwsim_rs.percentile_high(vals, p) - dwsim_rs.percentile_low(vals, p)) END
$fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.percentile_cont_sorted(vals bigint[], p numeric)
RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT CASE WHEN dwsim_rs.percentile_fraction(vals, p) = 0
                THEN dwsim_rs.percentile_low(vals, p)::numeric
                ELSE dwsim_rs.percentile_low(vals, p)::numeric
                     + dwsim_rs.percentile_fraction(vals, p)
                       * (dwsim_rs.percentile_high(vals, p)::numeric - dwsim_rs.percentile_low(vals, p)) END
$fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.percentile_cont_sorted(vals integer[], p numeric)
RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT CASE WHEN dwsim_rs.percentile_fraction(vals, p) = 0
                THEN dwsim_rs.percentile_low(vals, p)::numeric
                ELSE dwsim_rs.percentile_low(vals, p)::numeric
                     + dwsim_rs.percentile_fraction(vals, p)
                       * (dwsim_rs.percentile_high(vals, p)::numeric - dwsim_rs.percentile_low(vals, p)) END
$fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.percentile_cont_sorted(vals smallint[], p numeric)
RETURNS numeric LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT CASE WHEN dwsim_rs.percentile_fraction(vals, p) = 0
                THEN dwsim_rs.percentile_low(vals, p)::numeric
                ELSE dwsim_rs.percentile_low(vals, p)::numeric
                     + dwsim_rs.percentile_fraction(vals, p)
                       * (dwsim_rs.percentile_high(vals, p)::numeric - dwsim_rs.percentile_low(vals, p)) END
$fn$;

-- Floats: DOUBLE PRECISION. Timestamps: interpolated. Dates: by whole days, truncated.
CREATE OR REPLACE FUNCTION dwsim_rs.percentile_cont_sorted(vals double precision[], p numeric)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT dwsim_rs.percentile_low(vals, p)
           + dwsim_rs.percentile_fraction(vals, p)::double precision
             * (dwsim_rs.percentile_high(vals, p) - dwsim_rs.percentile_low(vals, p))
$fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.percentile_cont_sorted(vals real[], p numeric)
RETURNS double precision LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT dwsim_rs.percentile_low(vals, p)::double precision
           + dwsim_rs.percentile_fraction(vals, p)::double precision
             * (dwsim_rs.percentile_high(vals, p)::double precision - dwsim_rs.percentile_low(vals, p))
$fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.percentile_cont_sorted(vals timestamp[], p numeric)
RETURNS timestamp LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT dwsim_rs.percentile_low(vals, p)
           + dwsim_rs.percentile_fraction(vals, p)::double precision
             * (dwsim_rs.percentile_high(vals, p) - dwsim_rs.percentile_low(vals, p))
$fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.percentile_cont_sorted(vals timestamptz[], p numeric)
RETURNS timestamptz LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
    SELECT dwsim_rs.percentile_low(vals, p)
           + dwsim_rs.percentile_fraction(vals, p)::double precision
             * (dwsim_rs.percentile_high(vals, p) - dwsim_rs.percentile_low(vals, p))
$fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.percentile_cont_sorted(vals date[], p numeric)
RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT dwsim_rs.percentile_low(vals, p)
           + trunc(dwsim_rs.percentile_fraction(vals, p)
                   * (dwsim_rs.percentile_high(vals, p) - dwsim_rs.percentile_low(vals, p)))::integer
$fn$;

-- PERCENTILE_DISC: the first value whose cumulative distribution reaches p.
CREATE OR REPLACE FUNCTION dwsim_rs.percentile_disc_sorted(vals anyarray, p numeric)
RETURNS anyelement LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT vals[greatest(ceil(p * cardinality(vals)), 1)::integer]
$fn$;
