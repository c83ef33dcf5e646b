-- Redshift's version() string, as clients that sniff for Redshift expect it.
CREATE OR REPLACE FUNCTION dwsim_rs.version() RETURNS text LANGUAGE sql STABLE AS $fn$
    SELECT 'PostgreSQL 8.0.2 on i686-pc-linux-gnu, compiled by GCC gcc (GCC) 3.4.2 20041017 '
           '(Red Hat 3.4.2-6.fc3), Redshift 1.0.0 (dw-sim emulator on '
           || split_part(pg_catalog.version(), ' on ', 1) || ')'
$fn$;
