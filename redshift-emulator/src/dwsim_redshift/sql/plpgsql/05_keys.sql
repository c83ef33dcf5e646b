-- Where Redshift's informational keys live (dwsim_rs.table_constraint; keys.py takes them out of
-- the DDL). Rows are keyed by the table's OID and columns by attnum, like the table layouts, so
-- renames keep them.
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
-- Clients write these rows through add_keys/drop_key below, which run as the client (they
-- resolve names on its search_path): a user made with CREATE USER reads the keys of tables it
-- has a privilege on, and changes those of tables it owns only (ALTER TABLE needs the owner).
ALTER TABLE dwsim_rs.table_constraint ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS visible ON dwsim_rs.table_constraint;
CREATE POLICY visible ON dwsim_rs.table_constraint FOR SELECT
    USING (((SELECT dwsim_rs.sees_all_rows())
       OR coalesce(pg_catalog.has_table_privilege(
           relid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER'), false)));
DROP POLICY IF EXISTS owner_adds ON dwsim_rs.table_constraint;
CREATE POLICY owner_adds ON dwsim_rs.table_constraint FOR INSERT
    WITH CHECK (dwsim_rs.may_alter_table(relid, current_user));
DROP POLICY IF EXISTS owner_changes ON dwsim_rs.table_constraint;
CREATE POLICY owner_changes ON dwsim_rs.table_constraint FOR UPDATE
    USING (dwsim_rs.may_alter_table(relid, current_user))
    WITH CHECK (dwsim_rs.may_alter_table(relid, current_user));
DROP POLICY IF EXISTS owner_drops ON dwsim_rs.table_constraint;
CREATE POLICY owner_drops ON dwsim_rs.table_constraint FOR DELETE
    USING (dwsim_rs.may_alter_table(relid, current_user));

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
    IF NOT dwsim_rs.may_alter_table(rel, current_user) THEN
        RAISE EXCEPTION 'must be owner of relation %', tbl USING ERRCODE = '42501';
    END IF;
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
    IF NOT dwsim_rs.may_alter_table(rel, current_user) THEN
        RAISE EXCEPTION 'must be owner of relation %',
            (SELECT c.relname FROM pg_catalog.pg_class c WHERE c.oid = rel) USING ERRCODE = '42501';
    END IF;
    DELETE FROM dwsim_rs.table_constraint t WHERE t.relid = rel AND t.conname = name;
    IF NOT FOUND AND NOT if_exists THEN
        RAISE EXCEPTION 'constraint "%" of relation "%" does not exist', name,
            (SELECT c.relname FROM pg_catalog.pg_class c WHERE c.oid = rel)
            USING ERRCODE = 'undefined_object';
    END IF;
END
$fn$;
