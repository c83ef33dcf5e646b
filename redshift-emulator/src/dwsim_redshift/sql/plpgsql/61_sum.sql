-- SUM with Redshift's result types (r_SUM): BIGINT for SMALLINT, INTEGER and BIGINT arguments
-- (PostgreSQL says NUMERIC for BIGINT), DOUBLE PRECISION for REAL (summed in double precision;
-- PostgreSQL sums REAL as REAL) and DOUBLE PRECISION, NUMERIC for NUMERIC (the relay declares it
-- NUMERIC(38, s) where it knows the argument's scale: relay/result_types.py). Built on
-- PostgreSQL's own transition functions, with its parallel and moving-frame support.
CREATE OR REPLACE AGGREGATE dwsim_rs.sum(smallint) (
    SFUNC = int2_sum, STYPE = bigint, COMBINEFUNC = int8pl, PARALLEL = SAFE,
    MSFUNC = int2_avg_accum, MINVFUNC = int2_avg_accum_inv, MSTYPE = bigint[],
    MFINALFUNC = int2int4_sum, MINITCOND = '{0,0}'
);
CREATE OR REPLACE AGGREGATE dwsim_rs.sum(integer) (
    SFUNC = int4_sum, STYPE = bigint, COMBINEFUNC = int8pl, PARALLEL = SAFE,
    MSFUNC = int4_avg_accum, MINVFUNC = int4_avg_accum_inv, MSTYPE = bigint[],
    MFINALFUNC = int2int4_sum, MINITCOND = '{0,0}'
);
-- int8pl raises "bigint out of range" where the total overflows, as Redshift fails the query.
CREATE OR REPLACE AGGREGATE dwsim_rs.sum(bigint) (
    SFUNC = int8pl, STYPE = bigint, COMBINEFUNC = int8pl, PARALLEL = SAFE,
    MSFUNC = int8pl, MINVFUNC = int8mi, MSTYPE = bigint
);
CREATE OR REPLACE FUNCTION dwsim_rs.float_sum_final(state double precision[])
RETURNS double precision LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
    SELECT CASE WHEN state[1] = 0 THEN NULL ELSE state[2] END
$fn$;
CREATE OR REPLACE AGGREGATE dwsim_rs.sum(real) (
    SFUNC = float4_accum, STYPE = double precision[], INITCOND = '{0,0,0}',
    FINALFUNC = dwsim_rs.float_sum_final, COMBINEFUNC = float8_combine, PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE dwsim_rs.sum(double precision) (
    SFUNC = float8pl, STYPE = double precision, COMBINEFUNC = float8pl, PARALLEL = SAFE
);
CREATE OR REPLACE AGGREGATE dwsim_rs.sum(numeric) (
    SFUNC = numeric_avg_accum, STYPE = internal, FINALFUNC = numeric_sum,
    COMBINEFUNC = numeric_avg_combine, SERIALFUNC = numeric_avg_serialize,
    DESERIALFUNC = numeric_avg_deserialize, PARALLEL = SAFE,
    MSFUNC = numeric_avg_accum, MINVFUNC = numeric_accum_inv, MSTYPE = internal,
    MFINALFUNC = numeric_sum
);
CREATE OR REPLACE AGGREGATE dwsim_rs.sum(interval) (
    SFUNC = interval_pl, STYPE = interval, COMBINEFUNC = interval_pl, PARALLEL = SAFE,
    MSFUNC = interval_pl, MINVFUNC = interval_mi, MSTYPE = interval
);
