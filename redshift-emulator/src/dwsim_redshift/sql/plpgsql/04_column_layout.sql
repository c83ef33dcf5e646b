-- Column-level layout as PG_TABLE_DEF / SVV_REDSHIFT_COLUMNS report it: encoding 'none' when
-- none was declared, sortkey the position in the sort key (interleaved: alternately negative and
-- positive, the first column negative), 0 outside it.
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
