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
