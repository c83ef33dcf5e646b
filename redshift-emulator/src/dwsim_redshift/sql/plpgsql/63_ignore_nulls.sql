-- IGNORE NULLS for FIRST_VALUE, LAST_VALUE, NTH_VALUE, LAG and LEAD (PostgreSQL 15 has no null
-- treatment clause): window aggregates over the same frame that keep only non-NULL values.
-- first_nonnulls(v, n): the first n non-NULL values, in the window's order (element n is
-- NTH_VALUE's answer, element 1 FIRST_VALUE's). last_nonnulls(v, n): always n elements, the last
-- n non-NULL values padded with NULLs in front (element 1 is the n-th last: LAG over the rows
-- before the current one, or LEAD over the rows after it in the reversed order).
CREATE OR REPLACE FUNCTION dwsim_rs.first_nonnulls_step(state anyarray, value anyelement,
                                                        n integer)
RETURNS anyarray LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT CASE WHEN value IS NULL OR coalesce(cardinality(state), 0) >= n THEN state
                ELSE array_append(state, value) END
$fn$;
CREATE OR REPLACE AGGREGATE dwsim_rs.first_nonnulls(anyelement, integer) (
    SFUNC = dwsim_rs.first_nonnulls_step, STYPE = anyarray, PARALLEL = SAFE
);
CREATE OR REPLACE FUNCTION dwsim_rs.last_nonnulls_step(state anyarray, value anyelement,
                                                       n integer)
RETURNS anyarray LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$
    SELECT CASE WHEN value IS NULL THEN padded ELSE padded[2:n] || value END
    FROM (SELECT coalesce(state, array_fill(CASE WHEN false THEN value END, ARRAY[n]))
                 AS padded) AS s
$fn$;
CREATE OR REPLACE AGGREGATE dwsim_rs.last_nonnulls(anyelement, integer) (
    SFUNC = dwsim_rs.last_nonnulls_step, STYPE = anyarray, PARALLEL = SAFE
);
