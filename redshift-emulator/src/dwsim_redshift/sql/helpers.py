"""HELPER_SQL: the dwsim_rs schema of helper functions and system relations, idempotent.

The SQL lives in sql/plpgsql/*.sql (package data), run in file-name order: a file may use what
an earlier one created (SQL-language bodies are checked when they are created). Two pieces are
generated from Python data, each under the file name that places it: Redshift's date-part names
(dateparts.py) and the defaults of Redshift-only settings (commands.py).

The Redshift emulator runs it once against its backend database at start; every statement is
CREATE ... IF NOT EXISTS, CREATE OR REPLACE or ALTER DATABASE ... SET, so running it again is
harmless.
"""

from functools import cache
from importlib import resources

from dwsim_redshift.sql.commands import REDSHIFT_SETTINGS, SETTING_PREFIX
from dwsim_redshift.sql.dateparts import ALIASES


def _datepart_name_sql() -> str:
    """dwsim_rs.datepart_name(fn, part): Redshift's name of a date part, or an error naming it."""
    cases = "\n".join(f"        WHEN '{alias}' THEN '{name}'" for alias, name in ALIASES.items())
    return f"""
CREATE OR REPLACE FUNCTION dwsim_rs.datepart_name(fn text, part text) RETURNS text
LANGUAGE plpgsql IMMUTABLE AS $fn$
DECLARE
    canonical text := CASE lower(btrim(part))
{cases}
    END;
BEGIN
    IF canonical IS NULL AND part IS NOT NULL THEN
        RAISE EXCEPTION '% does not support the date part "%"', fn, part
            USING ERRCODE = '22023',
                  HINT = 'Use a date part from Redshift''s table of date parts, e.g. year, '
                         'quarter, month, week, day, hour, minute (m), second (s).';
    END IF;
    RETURN canonical;
END $fn$;
"""


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


_GENERATED = {
    "30_datepart_name.sql": _datepart_name_sql,
    "99_settings.sql": _settings_sql,
}


@cache
def helper_files() -> dict[str, str]:
    """Every piece of the helper SQL by file name, in the order it runs."""
    folder = resources.files("dwsim_redshift.sql") / "plpgsql"
    pieces = {
        f.name: f.read_text(encoding="utf-8") for f in folder.iterdir() if f.name.endswith(".sql")
    }
    pieces.update({name: build() for name, build in _GENERATED.items()})
    return dict(sorted(pieces.items()))


def helper_file(name: str) -> str:
    """One file of sql/plpgsql (e.g. the relations COPY writes, for its own connection)."""
    return helper_files()[name]


# Two servers starting on one database would race on CREATE OR REPLACE; sent as one simple
# query the whole text is one transaction, so a transaction-level advisory lock serialises them.
_LOCK_SQL = "SELECT pg_advisory_xact_lock(hashtext('dwsim_rs.helpers'));\n"

HELPER_SQL: str = _LOCK_SQL + "".join(text + "\n" for text in helper_files().values())
