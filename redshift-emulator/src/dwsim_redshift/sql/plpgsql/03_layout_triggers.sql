-- Event triggers: ddl_command_end reads the layout marker the translator appends to a CREATE
-- TABLE; sql_drop forgets the layouts and informational keys (05_keys.sql) of dropped tables and
-- columns, and the foreign keys that referenced them.
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
      AND (d.objsubid = 0 OR e.attnum = d.objsubid);
    DELETE FROM dwsim_rs.table_constraint k USING pg_event_trigger_dropped_objects() d
    WHERE d.classid = 'pg_class'::regclass
      AND ((d.objsubid = 0 AND (k.relid = d.objid OR k.confrelid = d.objid))
        OR (d.objsubid > 0 AND ((k.relid = d.objid AND d.objsubid = ANY (k.conkey))
                             OR (k.confrelid = d.objid AND d.objsubid = ANY (k.confkey)))));
EXCEPTION WHEN undefined_table THEN
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
