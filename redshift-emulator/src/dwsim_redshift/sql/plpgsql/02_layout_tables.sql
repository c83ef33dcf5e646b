-- Where Redshift table layouts live and how they get there (layout.py writes the spec).
--
-- dwsim_rs.table_layout / dwsim_rs.column_encoding are keyed by the table's OID and columns by
-- attnum, so a renamed table or column keeps its layout; catalog views join them to pg_class, so a
-- dropped table never shows a stale layout. An event trigger on sql_drop (03_layout_triggers.sql)
-- deletes the rows of dropped tables (and set_layout() sweeps those of temporary tables that ended
-- with their session), so an OID PostgreSQL hands out again starts clean.
--
-- The layout spec (JSON) has: table, schema, diststyle (EVEN/ALL/AUTO/KEY), distkey, sortstyle
-- (COMPOUND/INTERLEAVED/AUTO, null for none), sortkey (column names), encodings ({column:
-- encoding}; RAW is reported as 'none', as Redshift does), encode_auto, backup, like (a parent
-- table to inherit from, resolved by the trigger into like_oid).
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
    -- as ALTER TABLE: the owner only (session_user: current_user is this function's owner)
    IF NOT dwsim_rs.may_alter_table(rel, session_user) THEN
        RAISE EXCEPTION 'must be owner of relation %',
            (SELECT c.relname FROM pg_class c WHERE c.oid = rel) USING ERRCODE = '42501';
    END IF;
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
