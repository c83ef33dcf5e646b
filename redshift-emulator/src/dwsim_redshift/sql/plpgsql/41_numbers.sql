-- TRUNC and ROUND keep the argument's type (double precision stays double precision).
CREATE OR REPLACE FUNCTION dwsim_rs.trunc(x numeric, places integer) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $fn$ SELECT pg_catalog.trunc(x, places) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.trunc(x double precision, places integer)
RETURNS double precision LANGUAGE sql IMMUTABLE AS $fn$
    SELECT pg_catalog.trunc(x::numeric, places)::double precision $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.round(x numeric) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $fn$ SELECT pg_catalog.round(x) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.round(x double precision) RETURNS double precision
LANGUAGE sql IMMUTABLE AS $fn$ SELECT pg_catalog.round(x::numeric)::double precision $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.round(x numeric, places integer) RETURNS numeric
LANGUAGE sql IMMUTABLE AS $fn$ SELECT pg_catalog.round(x, places) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.round(x double precision, places integer)
RETURNS double precision LANGUAGE sql IMMUTABLE AS $fn$
    SELECT pg_catalog.round(x::numeric, places)::double precision $fn$;
