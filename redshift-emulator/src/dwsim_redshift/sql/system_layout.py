"""Where Redshift table layouts live (schema dwsim_rs) and how they get there.

dwsim_rs.table_layout / dwsim_rs.column_encoding are keyed by the table's OID and columns by
attnum, so a renamed table or column keeps its layout; catalog views join them to pg_class, so a
dropped table never shows a stale layout. An event trigger on sql_drop deletes the rows of
dropped tables (and set_layout() sweeps those of temporary tables that ended with their session),
so an OID PostgreSQL hands out again starts clean.

The layout spec (JSON, written by layout.py) has: table, schema, diststyle (EVEN/ALL/AUTO/KEY),
distkey, sortstyle (COMPOUND/INTERLEAVED/AUTO, null for none), sortkey (column names),
encodings ({column: encoding}; RAW is reported as 'none', as Redshift does), encode_auto, backup,
like (a parent table to inherit from, resolved by the trigger into like_oid).
"""

from dwsim_redshift.sql.system_keys import KEYS_ON_DROP_SQL

LAYOUT_TABLES_SQL = """
CREATE TABLE IF NOT EXISTS dwsim_rs.table_layout (
    relid oid PRIMARY KEY,
    diststyle text NOT NULL DEFAULT 'AUTO',
    distkey smallint,
    sortstyle text DEFAULT 'AUTO',
    sortkey smallint[] NOT NULL DEFAULT '{}',
    encode_auto boolean NOT NULL DEFAULT false,
    backup boolean NOT NULL DEFAULT true
);
CREATE TABLE IF NOT EXISTS dwsim_rs.column_encoding (
    relid oid NOT NULL, attnum smallint NOT NULL, encoding text NOT NULL,
    PRIMARY KEY (relid, attnum)
);
GRANT SELECT ON dwsim_rs.table_layout, dwsim_rs.column_encoding TO PUBLIC;
"""

SET_LAYOUT_SQL = """
CREATE OR REPLACE FUNCTION dwsim_rs.layout_attnum(rel oid, name text, clause text)
RETURNS smallint LANGUAGE plpgsql STABLE SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    found smallint;
BEGIN
    SELECT a.attnum INTO found FROM pg_attribute a
    WHERE a.attrelid = rel AND a.attnum > 0 AND NOT a.attisdropped AND lower(a.attname) = name;
    IF found IS NULL THEN
        RAISE EXCEPTION 'column "%" named in % does not exist in table %', name, clause,
            rel::regclass USING ERRCODE = 'undefined_column';
    END IF;
    RETURN found;
END
$fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.set_layout(rel oid, spec jsonb, fresh boolean)
RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    parent oid := (spec->>'like_oid')::oid;
    col record;
BEGIN
    IF fresh THEN
        DELETE FROM dwsim_rs.table_layout l
        WHERE l.relid = rel OR NOT EXISTS (SELECT FROM pg_class c WHERE c.oid = l.relid);
        DELETE FROM dwsim_rs.column_encoding e
        WHERE e.relid = rel OR NOT EXISTS (SELECT FROM pg_class c WHERE c.oid = e.relid);
    END IF;
    INSERT INTO dwsim_rs.table_layout (relid) VALUES (rel) ON CONFLICT (relid) DO NOTHING;
    IF parent IS NOT NULL THEN  -- CREATE TABLE ... (LIKE parent): its layout, column by name
        UPDATE dwsim_rs.table_layout t SET
            diststyle = p.diststyle, sortstyle = p.sortstyle, encode_auto = p.encode_auto,
            backup = p.backup,
            distkey = (SELECT a.attnum FROM pg_attribute pa JOIN pg_attribute a
                       ON a.attrelid = rel AND a.attname = pa.attname
                       WHERE pa.attrelid = parent AND pa.attnum = p.distkey),
            sortkey = ARRAY(SELECT a.attnum FROM unnest(p.sortkey) WITH ORDINALITY k(n, i)
                            JOIN pg_attribute pa ON pa.attrelid = parent AND pa.attnum = k.n
                            JOIN pg_attribute a ON a.attrelid = rel AND a.attname = pa.attname
                            ORDER BY k.i)
        FROM dwsim_rs.table_layout p WHERE p.relid = parent AND t.relid = rel;
        INSERT INTO dwsim_rs.column_encoding (relid, attnum, encoding)
        SELECT rel, a.attnum, e.encoding FROM dwsim_rs.column_encoding e
        JOIN pg_attribute pa ON pa.attrelid = parent AND pa.attnum = e.attnum
        JOIN pg_attribute a ON a.attrelid = rel AND a.attname = pa.attname
        WHERE e.relid = parent ON CONFLICT DO NOTHING;
    END IF;
    IF spec ? 'diststyle' THEN
        UPDATE dwsim_rs.table_layout SET diststyle = spec->>'diststyle',
            distkey = CASE WHEN spec->>'diststyle' = 'KEY'
                           THEN dwsim_rs.layout_attnum(rel, spec->>'distkey', 'DISTKEY') END
        WHERE relid = rel;
    END IF;
    IF spec ? 'sortstyle' THEN
        UPDATE dwsim_rs.table_layout SET sortstyle = spec->>'sortstyle',
            sortkey = ARRAY(SELECT dwsim_rs.layout_attnum(rel, k.name, 'SORTKEY')
                            FROM jsonb_array_elements_text(spec->'sortkey')
                                 WITH ORDINALITY k(name, i) ORDER BY k.i)
        WHERE relid = rel;
    END IF;
    IF spec ? 'encode_auto' THEN
        UPDATE dwsim_rs.table_layout SET encode_auto = (spec->>'encode_auto')::boolean
        WHERE relid = rel;
    END IF;
    IF spec ? 'backup' THEN
        UPDATE dwsim_rs.table_layout SET backup = (spec->>'backup')::boolean WHERE relid = rel;
    END IF;
    FOR col IN SELECT key, value FROM jsonb_each_text(coalesce(spec->'encodings', '{}')) LOOP
        INSERT INTO dwsim_rs.column_encoding (relid, attnum, encoding)
        VALUES (rel, dwsim_rs.layout_attnum(rel, col.key, 'ENCODE'),
                CASE WHEN col.value = 'raw' THEN 'none' ELSE col.value END)
        ON CONFLICT (relid, attnum) DO UPDATE SET encoding = excluded.encoding;
    END LOOP;
END
$fn$;
"""

_TRIGGERS_SQL = r"""
CREATE OR REPLACE FUNCTION dwsim_rs.layout_on_create() RETURNS event_trigger
LANGUAGE plpgsql AS $fn$
DECLARE
    query text := current_query();
    cmd record;
    spec jsonb;
BEGIN
    IF query IS NULL OR position('/*dwsim_rs.layout ' IN query) = 0 THEN
        RETURN;
    END IF;
    FOR cmd IN SELECT d.objid FROM pg_event_trigger_ddl_commands() d
               WHERE d.object_type = 'table' LOOP
        SELECT m.spec INTO spec
        FROM (SELECT (regexp_matches(query, '/\*dwsim_rs\.layout (\{.*?\})\*/', 'g'))[1]::jsonb
              AS spec) m
        JOIN pg_catalog.pg_class c ON c.oid = cmd.objid
        JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
        WHERE lower(c.relname) = m.spec->>'table'
          AND (m.spec->>'schema' IS NULL OR lower(n.nspname) = m.spec->>'schema')
        LIMIT 1;
        IF spec ? 'like' THEN  -- resolved here, on the session's search_path
            spec := spec || jsonb_build_object('like_oid', to_regclass(spec->>'like')::oid);
        END IF;
        IF spec IS NOT NULL AND (spec - 'constraints' - 'table' - 'schema') <> '{}'::jsonb THEN
            PERFORM dwsim_rs.set_layout(cmd.objid, spec, true);
        END IF;
        IF spec ? 'constraints' THEN  -- the keys keys.py took out of the DDL
            PERFORM dwsim_rs.add_keys(cmd.objid, spec->'constraints', true);
        END IF;
    END LOOP;
END
$fn$;

CREATE OR REPLACE FUNCTION dwsim_rs.layout_on_drop() RETURNS event_trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $fn$
BEGIN
    DELETE FROM dwsim_rs.table_layout WHERE relid IN (
        SELECT objid FROM pg_event_trigger_dropped_objects()
        WHERE classid = 'pg_class'::regclass AND objsubid = 0);
    DELETE FROM dwsim_rs.column_encoding e USING pg_event_trigger_dropped_objects() d
    WHERE d.classid = 'pg_class'::regclass AND e.relid = d.objid
      AND (d.objsubid = 0 OR e.attnum = d.objsubid);{KEYS_ON_DROP_SQL}EXCEPTION WHEN undefined_table THEN
    NULL;  -- dwsim_rs itself is being dropped
END
$fn$;

DO $do$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_event_trigger WHERE evtname = 'dwsim_rs_layout_create') THEN
        CREATE EVENT TRIGGER dwsim_rs_layout_create ON ddl_command_end
            WHEN TAG IN ('CREATE TABLE', 'CREATE TABLE AS', 'SELECT INTO')
            EXECUTE FUNCTION dwsim_rs.layout_on_create();
    END IF;
    IF NOT EXISTS (SELECT FROM pg_event_trigger WHERE evtname = 'dwsim_rs_layout_drop') THEN
        CREATE EVENT TRIGGER dwsim_rs_layout_drop ON sql_drop
            EXECUTE FUNCTION dwsim_rs.layout_on_drop();
    END IF;
EXCEPTION WHEN insufficient_privilege THEN
    RAISE NOTICE 'Redshift table layouts not recorded (event triggers need a superuser): %',
        SQLERRM;
END
$do$;
"""

TRIGGERS_SQL = _TRIGGERS_SQL.replace("{KEYS_ON_DROP_SQL}", KEYS_ON_DROP_SQL)

# Column-level layout as PG_TABLE_DEF / SVV_REDSHIFT_COLUMNS report it: encoding 'none' when
# none was declared, sortkey the position in the sort key (interleaved: alternately negative
# and positive, the first column negative), 0 outside it.
COLUMN_LAYOUT_SQL = """
CREATE OR REPLACE VIEW dwsim_rs.column_layout AS
SELECT a.attrelid AS relid, a.attnum, coalesce(e.encoding, 'none')::text AS encoding,
       coalesce(l.distkey = a.attnum, false) AS distkey,
       coalesce(array_position(l.sortkey, a.attnum)
                * CASE WHEN l.sortstyle = 'INTERLEAVED'
                        AND array_position(l.sortkey, a.attnum) % 2 = 1 THEN -1 ELSE 1 END,
                0)::integer AS sortkey
FROM pg_catalog.pg_attribute a
LEFT JOIN dwsim_rs.table_layout l ON l.relid = a.attrelid
LEFT JOIN dwsim_rs.column_encoding e ON e.relid = a.attrelid AND e.attnum = a.attnum
WHERE a.attnum > 0 AND NOT a.attisdropped;

CREATE OR REPLACE FUNCTION dwsim_rs.layout_diststyle(rel oid) RETURNS text
LANGUAGE sql STABLE AS $fn$
    SELECT coalesce((
        SELECT CASE l.diststyle WHEN 'EVEN' THEN 'EVEN' WHEN 'ALL' THEN 'ALL'
                   WHEN 'KEY' THEN 'KEY(' || a.attname || ')' END
        FROM dwsim_rs.table_layout l
        LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = l.relid AND a.attnum = l.distkey
        WHERE l.relid = rel), 'AUTO(EVEN)')
$fn$;
"""

LAYOUT_SQL = LAYOUT_TABLES_SQL + SET_LAYOUT_SQL + TRIGGERS_SQL + COLUMN_LAYOUT_SQL

# SVV_TABLE_INFO's layout columns for pg_class c (aliases l: table_layout, k1: first sort
# column's layout, a1: its attribute), spliced into the view in system.py.
TABLE_INFO_COLUMNS = """
       CASE WHEN l.encode_auto THEN 'Y, AUTO(ENCODE)'
            WHEN EXISTS (SELECT FROM dwsim_rs.column_layout x
                         WHERE x.relid = c.oid AND x.encoding NOT IN ('none', 'raw')) THEN 'Y'
            ELSE 'N' END::text AS encoded,
       dwsim_rs.layout_diststyle(c.oid) AS diststyle,
       CASE WHEN a1.attname IS NOT NULL THEN a1.attname::text COLLATE "default"
            WHEN l.sortstyle IS NULL AND l.relid IS NOT NULL THEN NULL
            ELSE 'AUTO(SORTKEY)' END::text AS sortkey1,
       coalesce((SELECT max(v.atttypmod - 4) FROM pg_catalog.pg_attribute v
                 WHERE v.attrelid = c.oid AND v.attnum > 0 AND NOT v.attisdropped
                   AND v.atttypid = 'pg_catalog.varchar'::regtype), 0)::integer AS max_varchar,
       k1.encoding::text AS sortkey1_enc,
       coalesce(cardinality(l.sortkey), 0)::integer AS sortkey_num,"""

TABLE_INFO_JOINS = """
LEFT JOIN dwsim_rs.table_layout l ON l.relid = c.oid
LEFT JOIN pg_catalog.pg_attribute a1 ON a1.attrelid = c.oid AND a1.attnum = l.sortkey[1]
LEFT JOIN dwsim_rs.column_layout k1 ON k1.relid = c.oid AND k1.attnum = l.sortkey[1]"""
