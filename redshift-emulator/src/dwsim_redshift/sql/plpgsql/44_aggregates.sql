-- AVG in Redshift's result types, and ANY_VALUE (PostgreSQL has it only from version 16).
-- AVG's result in Redshift's type, given the average and a sample of the argument's type.
CREATE OR REPLACE FUNCTION dwsim_rs.avg_like(average numeric, sample smallint) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $fn$ SELECT trunc(average)::bigint $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.avg_like(average numeric, sample integer) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $fn$ SELECT trunc(average)::bigint $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.avg_like(average numeric, sample bigint) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $fn$ SELECT trunc(average)::bigint $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.avg_like(average numeric, sample numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $fn$ SELECT trunc(average, scale(sample)) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.avg_like(average double precision, sample double precision)
RETURNS double precision LANGUAGE sql IMMUTABLE AS $fn$ SELECT average $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.avg_like(average double precision, sample real)
RETURNS double precision LANGUAGE sql IMMUTABLE AS $fn$ SELECT average $fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.any_value_step(state anyelement, value anyelement)
RETURNS anyelement LANGUAGE sql IMMUTABLE AS $fn$ SELECT coalesce(state, value) $fn$;
CREATE OR REPLACE AGGREGATE dwsim_rs.any_value(anyelement) (
    sfunc = dwsim_rs.any_value_step, stype = anyelement
);
