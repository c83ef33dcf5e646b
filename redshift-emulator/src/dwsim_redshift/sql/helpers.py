"""HELPER_SQL: the dwsim_rs schema of helper functions and system relations, idempotent.

The Redshift emulator runs it once against its backend database at start; every statement is
CREATE ... IF NOT EXISTS, CREATE OR REPLACE or ALTER DATABASE ... SET, so running it again is
harmless.
"""

from importlib import resources

from dwsim_redshift.sql.commands import REDSHIFT_SETTINGS, SETTING_PREFIX
from dwsim_redshift.sql.helpers_catalog import CATALOG_HELPERS_SQL
from dwsim_redshift.sql.helpers_dates import DATES_SQL
from dwsim_redshift.sql.helpers_json import JSON_SQL
from dwsim_redshift.sql.helpers_text import TEXT_SQL
from dwsim_redshift.sql.system import SYSTEM_SQL


def _settings_sql() -> str:
    """Database defaults for Redshift-only settings, so SHOW answers before any SET (new
    sessions only: the server runs this before clients connect)."""
    sets = "\n".join(
        f"    EXECUTE format('ALTER DATABASE %I SET {SETTING_PREFIX}{name} = %L', "
        f"current_database(), '{value}');"
        for name, value in REDSHIFT_SETTINGS.items()
    )
    return f"""
DO $do$
BEGIN
{sets}
EXCEPTION WHEN others THEN
    RAISE NOTICE 'Redshift setting defaults not stored: %', SQLERRM;
END
$do$;
"""


def _sql_files() -> str:
    """The helpers kept as .sql files (package data, sql/plpgsql/*.sql), in name order."""
    folder = resources.files("dwsim_redshift.sql") / "plpgsql"
    files = sorted(f for f in folder.iterdir() if f.name.endswith(".sql"))
    return "".join(f.read_text(encoding="utf-8") + "\n" for f in files)


# Two servers starting on one database would race on CREATE OR REPLACE; sent as one simple
# query the whole text is one transaction, so a transaction-level advisory lock serialises them.
_LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext('dwsim_rs.helpers'));\n"

HELPER_SQL: str = (
    _LOCK_SQL
    + SYSTEM_SQL
    + CATALOG_HELPERS_SQL
    + DATES_SQL
    + TEXT_SQL
    + JSON_SQL
    + _sql_files()
    + _settings_sql()
)
