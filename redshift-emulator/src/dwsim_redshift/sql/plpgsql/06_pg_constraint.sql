-- pg_constraint and pg_get_constraintdef(): PostgreSQL's own rows (but the NOT NULL checks,
-- which Redshift does not list) plus the recorded keys.
CREATE OR REPLACE FUNCTION dwsim_rs.key_column_names(rel oid, attnums smallint[])
RETURNS text LANGUAGE sql STABLE AS $fn$
    SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY u.i)
    FROM unnest(attnums) WITH ORDINALITY u(attnum, i)
    JOIN pg_catalog.pg_attribute a ON a.attrelid = rel AND a.attnum = u.attnum
$fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.pg_get_constraintdef(con oid, pretty boolean DEFAULT false)
RETURNS text LANGUAGE sql STABLE AS $fn$
    SELECT coalesce(
        (SELECT CASE k.contype WHEN 'p' THEN 'PRIMARY KEY' WHEN 'u' THEN 'UNIQUE'
                ELSE 'FOREIGN KEY' END
                || ' (' || dwsim_rs.key_column_names(k.relid, k.conkey) || ')'
                || CASE WHEN k.contype = 'f' THEN ' REFERENCES ' || k.confrelid::regclass::text
                        || '(' || dwsim_rs.key_column_names(k.confrelid, k.confkey) || ')'
                   ELSE '' END
         FROM dwsim_rs.table_constraint k WHERE k.conoid = con),
        pg_catalog.pg_get_constraintdef(con, pretty))
$fn$;

DO $do$
DECLARE
    recorded text;
BEGIN
    SELECT string_agg(CASE a.attname
            WHEN 'oid' THEN 'k.conoid'
            WHEN 'conname' THEN 'k.conname::name'
            WHEN 'connamespace' THEN 'c.relnamespace'
            WHEN 'contype' THEN 'k.contype'
            WHEN 'condeferrable' THEN 'false'
            WHEN 'condeferred' THEN 'false'
            WHEN 'convalidated' THEN 'true'
            WHEN 'conrelid' THEN 'k.relid'
            WHEN 'confrelid' THEN 'coalesce(k.confrelid, 0::oid)'
            WHEN 'confupdtype' THEN $$(CASE WHEN k.contype = 'f' THEN 'a' ELSE ' ' END)::"char"$$
            WHEN 'confdeltype' THEN $$(CASE WHEN k.contype = 'f' THEN 'a' ELSE ' ' END)::"char"$$
            WHEN 'confmatchtype' THEN $$(CASE WHEN k.contype = 'f' THEN 's' ELSE ' ' END)::"char"$$
            WHEN 'conislocal' THEN 'true'
            WHEN 'coninhcount' THEN '0'
            WHEN 'connoinherit' THEN 'true'
            WHEN 'conkey' THEN 'k.conkey'
            WHEN 'confkey' THEN 'k.confkey'
            ELSE CASE WHEN a.atttypid = 'pg_catalog.oid'::regtype THEN '0::oid'
                      ELSE 'NULL::' || pg_catalog.format_type(a.atttypid, a.atttypmod) END
        END || ' AS ' || quote_ident(a.attname), ', ' ORDER BY a.attnum)
    INTO recorded
    FROM pg_catalog.pg_attribute a
    WHERE a.attrelid = 'pg_catalog.pg_constraint'::regclass AND a.attnum > 0
      AND NOT a.attisdropped;
    EXECUTE 'CREATE OR REPLACE VIEW dwsim_rs.pg_constraint AS '
        'SELECT * FROM pg_catalog.pg_constraint UNION ALL SELECT ' || recorded
        || ' FROM dwsim_rs.table_constraint k JOIN pg_catalog.pg_class c ON c.oid = k.relid';
END
$do$;
