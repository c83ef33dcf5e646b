-- Comparisons that ignore trailing blanks between character values, as Redshift compares CHAR
-- and VARCHAR (r_Character_types, "Significance of trailing blanks"). The translator sends a
-- comparison with a string literal here; PostgreSQL's own resolution picks the overload: text
-- (varchar, char, name) for character values, anycompatible (both sides coerced to a common
-- type, the literal to the column's) for any other. Both are one-expression SQL functions that
-- PostgreSQL inlines: a date or number comparison is the plain operator again (indexes and
-- estimates apply), a character one compares rtrim(a) with rtrim(b).
CREATE OR REPLACE FUNCTION dwsim_rs.rs_eq(a text, b text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$ SELECT rtrim(a, ' ') = rtrim(b, ' ') $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.rs_ne(a text, b text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$ SELECT rtrim(a, ' ') <> rtrim(b, ' ') $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.rs_lt(a text, b text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$ SELECT rtrim(a, ' ') < rtrim(b, ' ') $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.rs_le(a text, b text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$ SELECT rtrim(a, ' ') <= rtrim(b, ' ') $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.rs_gt(a text, b text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$ SELECT rtrim(a, ' ') > rtrim(b, ' ') $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.rs_ge(a text, b text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$ SELECT rtrim(a, ' ') >= rtrim(b, ' ') $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.rs_eq(a anycompatible, b anycompatible) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$ SELECT a = b $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.rs_ne(a anycompatible, b anycompatible) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$ SELECT a <> b $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.rs_lt(a anycompatible, b anycompatible) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$ SELECT a < b $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.rs_le(a anycompatible, b anycompatible) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$ SELECT a <= b $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.rs_gt(a anycompatible, b anycompatible) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$ SELECT a > b $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.rs_ge(a anycompatible, b anycompatible) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$ SELECT a >= b $fn$;
-- x IN ('a', 'b'): the translator strips the literals' trailing blanks.
CREATE OR REPLACE FUNCTION dwsim_rs.rs_in(a text, VARIADIC b text[]) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$ SELECT rtrim(a, ' ') = ANY (b) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.rs_in(a anycompatible, VARIADIC b anycompatiblearray)
RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $fn$ SELECT a = ANY (b) $fn$;
-- JOIN ... USING (v) the translator cannot turn into ON (rewrites/using_joins.py): true for a
-- column PostgreSQL compares as Redshift does (not a character type, CHAR, or NAME), so
-- the planner drops it; for other character values the planner folds the inlined body while
-- planning and the query stops, before any row is read, saying it is an emulator limit.
CREATE OR REPLACE FUNCTION dwsim_rs.rs_using_limit(name text) RETURNS boolean
LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $fn$
BEGIN
    RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = format(
        'JOIN ... USING (%s) on character columns with SELECT * (or with several tables on '
        'its left) cannot be emulated: emulator limit; list the columns, or join ON a.%s = b.%s',
        name, name, name);
END $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.rs_using_plain(a text, name text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$ SELECT dwsim_rs.rs_using_limit(name) $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.rs_using_plain(a bpchar, name text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$ SELECT true $fn$;
-- NAME, the catalog's identifier type (pg_class.relname, pg_tables.schemaname, ...), compares
-- exactly in Redshift as in PostgreSQL: the trailing-blank rule is CHAR's and VARCHAR's. dbt's
-- catalog query joins its catalog CTEs USING (table_schema, table_name) under a SELECT *.
CREATE OR REPLACE FUNCTION dwsim_rs.rs_using_plain(a name, name text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$ SELECT true $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.rs_using_plain(a anycompatible, name text) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$ SELECT true $fn$;
