-- information_schema.table_constraints, key_column_usage, referential_constraints and
-- constraint_column_usage, as clients write them, read these views (the translator points them
-- at dwsim_rs): PostgreSQL's own rows plus the recorded keys.
CREATE OR REPLACE VIEW dwsim_rs.recorded_keys AS 
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
    -- the keys of tables the user has a privilege on, as information_schema shows PostgreSQL's
    WHERE ((SELECT dwsim_rs.sees_all_rows())
       OR coalesce(pg_catalog.has_table_privilege(
           k.relid, 'SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER'), false))
;

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
