-- NATURAL JOIN guards (rewrites/natural_joins.py). The join compares the columns its two sides
-- share: Redshift ignores trailing blanks in CHAR and VARCHAR values, PostgreSQL does so for CHAR
-- with CHAR only, and NAME (the catalog's identifiers) compares exactly in both. A NATURAL JOIN
-- the translator cannot turn into USING keeps these in its WHERE: constant arguments (or SQL
-- functions that inline to constants), so PostgreSQL calls them once while planning and a join
-- on a column that would count trailing blanks stops, before any row is read, as an emulator
-- limit.

-- NATURAL JOIN of two tables, called with NULL::left_table, NULL::right_table. The columns both
-- row types have are the join's; a character one (other than CHAR or NAME on both sides) would
-- count trailing blanks here.
CREATE OR REPLACE FUNCTION dwsim_rs.rs_natural_plain(a anyelement, b anycompatible)
RETURNS boolean LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $fn$
DECLARE
    clash text;
BEGIN
    SELECT string_agg(DISTINCT x.attname, ', ') INTO clash
    FROM pg_type rx
    JOIN pg_attribute x ON x.attrelid = rx.typrelid AND x.attnum > 0 AND NOT x.attisdropped
    JOIN pg_type tx ON tx.oid = x.atttypid
    JOIN pg_type ry ON ry.oid = pg_typeof(b)
    JOIN pg_attribute y ON y.attrelid = ry.typrelid AND y.attname = x.attname
        AND y.attnum > 0 AND NOT y.attisdropped
    JOIN pg_type ty ON ty.oid = y.atttypid
    WHERE rx.oid = pg_typeof(a) AND rx.typrelid <> 0 AND ry.typrelid <> 0
      AND (tx.typcategory = 'S' OR ty.typcategory = 'S')
      AND NOT (x.atttypid = 'bpchar'::regtype AND y.atttypid = 'bpchar'::regtype)
      AND NOT (x.atttypid = 'name'::regtype AND y.atttypid = 'name'::regtype);
    IF clash IS NOT NULL THEN
        RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = format(
            'NATURAL JOIN on character columns (%s) cannot be emulated: emulator limit; join '
            'ON the columns, or USING (%s) with the columns listed', clash, clash);
    END IF;
    RETURN true;
END $fn$;

-- How a column of a subquery or WITH name compares: the value's type picks the overload
-- ('text' for VARCHAR and TEXT), the body ignores the value, so the call inlines to a constant.
CREATE OR REPLACE FUNCTION dwsim_rs.rs_natural_class(v text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$ SELECT 'text'::text $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.rs_natural_class(v bpchar) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$ SELECT 'bpchar'::text $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.rs_natural_class(v name) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$ SELECT 'name'::text $fn$;
CREATE OR REPLACE FUNCTION dwsim_rs.rs_natural_class(v anycompatible) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $fn$ SELECT 'other'::text $fn$;

-- A column `col` both sides may have, of classes a and b ('open': a side whose columns the
-- translator cannot list, which may have col with any type; 'other': not a character type).
CREATE OR REPLACE FUNCTION dwsim_rs.rs_natural_check(col text, a text, b text)
RETURNS boolean LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $fn$
BEGIN
    -- another type against a character one: PostgreSQL refuses to match them itself
    IF a = 'other' OR b = 'other' OR (a = b AND a IN ('bpchar', 'name')) THEN
        RETURN true;
    END IF;
    IF a = 'open' OR b = 'open' THEN
        RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = format(
            'NATURAL JOIN with a subquery or WITH name whose columns are not named (SELECT *, '
            'unnamed expressions) and character column %s cannot be emulated: emulator limit; '
            'name the columns, or join ON them', col);
    END IF;
    RAISE EXCEPTION USING ERRCODE = '0A000', MESSAGE = format(
        'NATURAL JOIN on character columns (%s) cannot be emulated: emulator limit; join '
        'ON the columns, or USING (%s) with the columns listed', col, col);
END $fn$;

-- A table's column `col` (every column when col is NULL) against a column of class `class` on
-- the other side; called with NULL::table.
CREATE OR REPLACE FUNCTION dwsim_rs.rs_natural_row(a anyelement, col text, class text)
RETURNS boolean LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $fn$
DECLARE
    found record;
BEGIN
    FOR found IN
        SELECT x.attname::text AS attname, CASE
            WHEN t.typcategory <> 'S' THEN 'other'
            WHEN x.atttypid = 'bpchar'::regtype THEN 'bpchar'
            WHEN x.atttypid = 'name'::regtype THEN 'name'
            ELSE 'text' END AS class
        FROM pg_type r
        JOIN pg_attribute x ON x.attrelid = r.typrelid AND x.attnum > 0 AND NOT x.attisdropped
        JOIN pg_type t ON t.oid = x.atttypid
        WHERE r.oid = pg_typeof(a) AND r.typrelid <> 0 AND (col IS NULL OR x.attname = col)
        ORDER BY x.attnum
    LOOP
        PERFORM dwsim_rs.rs_natural_check(found.attname, found.class, class);
    END LOOP;
    RETURN true;
END $fn$;
