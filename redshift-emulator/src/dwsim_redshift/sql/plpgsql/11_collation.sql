-- Redshift's CASE_INSENSITIVE collation; skipped (with a notice) where PostgreSQL lacks ICU.
DO $do$
BEGIN
    CREATE COLLATION IF NOT EXISTS dwsim_rs.case_insensitive
        (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
EXCEPTION WHEN others THEN
    RAISE NOTICE 'dwsim_rs.case_insensitive not created: %', SQLERRM;
END
$do$;
