-- The database as the client named it. Redshift's one database is usually "dev"; the emulator
-- serves its backend database under any name, and passes the client's as the session setting
-- dwsim_rs.database (backend/connect.py). dbt-redshift keys its relation cache by the profile's
-- dbname and reads information_schema.tables / views' table_catalog: the translator points those
-- two at the views below, which answer with the client's name.
CREATE OR REPLACE FUNCTION dwsim_rs.database_name() RETURNS information_schema.sql_identifier
LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
    SELECT coalesce(nullif(current_setting('dwsim_rs.database', true), ''),
                    pg_catalog.current_database())::information_schema.sql_identifier
$fn$;

CREATE OR REPLACE VIEW dwsim_rs.information_schema_tables AS
SELECT dwsim_rs.database_name() AS table_catalog, table_schema, table_name, table_type,
       self_referencing_column_name, reference_generation, user_defined_type_catalog,
       user_defined_type_schema, user_defined_type_name, is_insertable_into, is_typed,
       commit_action
FROM information_schema.tables;

CREATE OR REPLACE VIEW dwsim_rs.information_schema_views AS
SELECT dwsim_rs.database_name() AS table_catalog, table_schema, table_name, view_definition,
       check_option, is_updatable, is_insertable_into, is_trigger_updatable,
       is_trigger_deletable, is_trigger_insertable_into
FROM information_schema.views;
