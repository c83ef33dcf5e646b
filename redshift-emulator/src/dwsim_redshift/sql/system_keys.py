"""Where Redshift's informational keys live (dwsim_rs.table_constraint) and the catalog views
that report them (keys.py takes them out of the DDL).

Rows are keyed by the table's OID and columns by attnum, like the table layouts, so renames keep
them; the sql_drop trigger (system_layout.py) forgets the keys of dropped tables and columns and
the foreign keys that referenced them. information_schema.table_constraints, key_column_usage,
referential_constraints and constraint_column_usage, as clients write them, read the views here
(the translator points them at dwsim_rs): PostgreSQL's own rows (but the NOT NULL checks, which
Redshift does not list) plus the recorded keys; so do pg_constraint and pg_get_constraintdef().
"""

KEYS_TABLE_SQL = """
-- conoid: the key's OID in dwsim_rs.pg_constraint, from a range PostgreSQL's own OIDs (counted
-- up from 16384) do not reach in practice
CREATE SEQUENCE IF NOT EXISTS dwsim_rs.constraint_oid_seq
    START 4000000000 MINVALUE 4000000000 MAXVALUE 4294967295;
CREATE TABLE IF NOT EXISTS dwsim_rs.table_constraint (
    relid oid NOT NULL, conname text NOT NULL, contype "char" NOT NULL,
    conkey smallint[] NOT NULL, confrelid oid, confkey smallint[],
    conoid oid NOT NULL DEFAULT nextval('dwsim_rs.constraint_oid_seq')::oid,
    PRIMARY KEY (relid, conname)
);
GRANT SELECT ON dwsim_rs.table_constraint TO PUBLIC;
"""

# No SET search_path: a referenced table's name resolves on the session's path, as in the DDL.
KEYS_FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION dwsim_rs.key_attnums(rel oid, names jsonb, clause text)
RETURNS smallint[] LANGUAGE sql STABLE AS $fn$
    SELECT ARRAY(SELECT dwsim_rs.layout_attnum(rel, c.name, clause)
                 FROM jsonb_array_elements_text(names) WITH ORDINALITY c(name, i) ORDER BY c.i)
$fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.add_keys(rel oid, keys jsonb, fresh boolean DEFAULT false)
RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE
    k jsonb;
    tbl text := (SELECT c.relname FROM pg_catalog.pg_class c WHERE c.oid = rel);
    cols smallint[];
    ref oid;
    refcols smallint[];
    cname text;
    col text;
BEGIN
    IF fresh THEN
        DELETE FROM dwsim_rs.table_constraint t
        WHERE t.relid = rel OR NOT EXISTS (SELECT FROM pg_catalog.pg_class c WHERE c.oid = t.relid);
    END IF;
    FOR k IN SELECT value FROM jsonb_array_elements(keys) LOOP
        cols := dwsim_rs.key_attnums(rel, k->'columns', 'constraint');
        ref := NULL;
        refcols := NULL;
        IF k->>'type' = 'f' THEN
            ref := to_regclass(k->>'ref');
            IF ref IS NULL THEN
                RAISE EXCEPTION 'relation "%" does not exist', replace(k->>'ref', '"', '')
                    USING ERRCODE = 'undefined_table';
            END IF;
            IF jsonb_array_length(coalesce(k->'ref_columns', '[]')) > 0 THEN
                refcols := dwsim_rs.key_attnums(ref, k->'ref_columns', 'REFERENCES');
            ELSE
                SELECT t.conkey INTO refcols FROM dwsim_rs.table_constraint t
                WHERE t.relid = ref AND t.contype = 'p';
                IF refcols IS NULL THEN
                    RAISE EXCEPTION 'there is no primary key for referenced table "%"',
                        replace(k->>'ref', '"', '') USING ERRCODE = 'invalid_foreign_key';
                END IF;
            END IF;
        END IF;
        IF k->>'type' = 'p' AND EXISTS (SELECT FROM dwsim_rs.table_constraint t
                                        WHERE t.relid = rel AND t.contype = 'p') THEN
            RAISE EXCEPTION 'multiple primary keys for table "%" are not allowed', tbl
                USING ERRCODE = 'invalid_table_definition';
        END IF;
        cname := coalesce(k->>'name', tbl || CASE k->>'type' WHEN 'p' THEN '_pkey' ELSE
            '_' || array_to_string(ARRAY(SELECT jsonb_array_elements_text(k->'columns')), '_')
            || CASE k->>'type' WHEN 'u' THEN '_key' ELSE '_fkey' END END);
        INSERT INTO dwsim_rs.table_constraint (relid, conname, contype, conkey, confrelid, confkey)
        VALUES (rel, cname, (k->>'type')::"char", cols, ref, refcols)
        ON CONFLICT (relid, conname) DO NOTHING;
        IF NOT FOUND THEN
            RAISE EXCEPTION 'constraint "%" for relation "%" already exists', cname, tbl
                USING ERRCODE = 'duplicate_object';
        END IF;
        IF k->>'type' = 'p' THEN  -- Redshift makes a primary key's columns NOT NULL
            FOR col IN SELECT jsonb_array_elements_text(k->'columns') LOOP
                EXECUTE format('ALTER TABLE %s ALTER COLUMN %I SET NOT NULL', rel::regclass, col);
            END LOOP;
        END IF;
    END LOOP;
END
$fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.drop_key(rel oid, name text, if_exists boolean)
RETURNS void LANGUAGE plpgsql AS $fn$
BEGIN
    DELETE FROM dwsim_rs.table_constraint t WHERE t.relid = rel AND t.conname = name;
    IF NOT FOUND AND NOT if_exists THEN
        RAISE EXCEPTION 'constraint "%" of relation "%" does not exist', name,
            (SELECT c.relname FROM pg_catalog.pg_class c WHERE c.oid = rel)
            USING ERRCODE = 'undefined_object';
    END IF;
END
$fn$;
"""

# One row per recorded key with its table's names, for the views below.
_RECORDED = """
    SELECT current_database()::information_schema.sql_identifier AS catalog,
           n.nspname::information_schema.sql_identifier AS schema,
           k.conname::information_schema.sql_identifier AS name,
           c.relname::information_schema.sql_identifier AS table_name, k.*,
           rn.nspname::information_schema.sql_identifier AS ref_schema,
           rc.relname::information_schema.sql_identifier AS ref_table
    FROM dwsim_rs.table_constraint k
    JOIN pg_catalog.pg_class c ON c.oid = k.relid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    LEFT JOIN pg_catalog.pg_class rc ON rc.oid = k.confrelid
    LEFT JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
"""

# pg_constraint with the recorded keys as rows of their own (columns by name, so the view fits
# any PostgreSQL version), and pg_get_constraintdef() that can describe them.
PG_CONSTRAINT_SQL = """
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
"""

KEYS_VIEWS_SQL = f"""
CREATE OR REPLACE VIEW dwsim_rs.recorded_keys AS {_RECORDED};

CREATE OR REPLACE VIEW dwsim_rs.table_constraints AS
SELECT constraint_catalog, constraint_schema, constraint_name, table_catalog, table_schema,
       table_name, constraint_type, is_deferrable, initially_deferred
FROM information_schema.table_constraints
WHERE constraint_type <> 'CHECK' AND table_schema <> 'dwsim_rs'
UNION ALL
SELECT catalog, schema, name, catalog, schema, table_name,
       (CASE contype WHEN 'p' THEN 'PRIMARY KEY' WHEN 'u' THEN 'UNIQUE' ELSE 'FOREIGN KEY' END)
           ::information_schema.character_data,
       'NO'::information_schema.yes_or_no, 'NO'::information_schema.yes_or_no
FROM dwsim_rs.recorded_keys;

CREATE OR REPLACE VIEW dwsim_rs.key_column_usage AS
SELECT constraint_catalog, constraint_schema, constraint_name, table_catalog, table_schema,
       table_name, column_name, ordinal_position, position_in_unique_constraint
FROM information_schema.key_column_usage WHERE table_schema <> 'dwsim_rs'
UNION ALL
SELECT r.catalog, r.schema, r.name, r.catalog, r.schema, r.table_name,
       a.attname::information_schema.sql_identifier,
       u.i::information_schema.cardinal_number,
       (CASE WHEN r.contype = 'f' THEN u.i END)::information_schema.cardinal_number
FROM dwsim_rs.recorded_keys r
CROSS JOIN LATERAL unnest(r.conkey) WITH ORDINALITY u(attnum, i)
JOIN pg_catalog.pg_attribute a ON a.attrelid = r.relid AND a.attnum = u.attnum;

CREATE OR REPLACE VIEW dwsim_rs.referential_constraints AS
SELECT constraint_catalog, constraint_schema, constraint_name, unique_constraint_catalog,
       unique_constraint_schema, unique_constraint_name, match_option, update_rule, delete_rule
FROM information_schema.referential_constraints WHERE constraint_schema <> 'dwsim_rs'
UNION ALL
SELECT f.catalog, f.schema, f.name, p.catalog, p.schema, p.name,
       'NONE'::information_schema.character_data, 'NO ACTION'::information_schema.character_data,
       'NO ACTION'::information_schema.character_data
FROM dwsim_rs.recorded_keys f
LEFT JOIN dwsim_rs.recorded_keys p
    ON p.relid = f.confrelid AND p.contype IN ('p', 'u') AND p.conkey = f.confkey
WHERE f.contype = 'f';

CREATE OR REPLACE VIEW dwsim_rs.constraint_column_usage AS
SELECT table_catalog, table_schema, table_name, column_name, constraint_catalog,
       constraint_schema, constraint_name
FROM information_schema.constraint_column_usage WHERE table_schema <> 'dwsim_rs'
UNION ALL
SELECT r.catalog,
       (CASE WHEN r.contype = 'f' THEN r.ref_schema ELSE r.schema END),
       (CASE WHEN r.contype = 'f' THEN r.ref_table ELSE r.table_name END),
       a.attname::information_schema.sql_identifier, r.catalog, r.schema, r.name
FROM dwsim_rs.recorded_keys r
CROSS JOIN LATERAL unnest(CASE WHEN r.contype = 'f' THEN r.confkey ELSE r.conkey END) u(attnum)
JOIN pg_catalog.pg_attribute a
    ON a.attrelid = (CASE WHEN r.contype = 'f' THEN r.confrelid ELSE r.relid END)
   AND a.attnum = u.attnum;
"""

# Forget keys of dropped tables/columns and foreign keys pointing at them (sql_drop trigger).
KEYS_ON_DROP_SQL = """
    DELETE FROM dwsim_rs.table_constraint k USING pg_event_trigger_dropped_objects() d
    WHERE d.classid = 'pg_class'::regclass
      AND ((d.objsubid = 0 AND (k.relid = d.objid OR k.confrelid = d.objid))
        OR (d.objsubid > 0 AND ((k.relid = d.objid AND d.objsubid = ANY (k.conkey))
                             OR (k.confrelid = d.objid AND d.objsubid = ANY (k.confkey)))));
"""

KEYS_SQL = KEYS_TABLE_SQL + KEYS_FUNCTIONS_SQL + PG_CONSTRAINT_SQL + KEYS_VIEWS_SQL

# information_schema views that clients read keys from, answered by the views above.
INFORMATION_SCHEMA_VIEWS = frozenset(
    {"table_constraints", "key_column_usage", "referential_constraints", "constraint_column_usage"}
)
