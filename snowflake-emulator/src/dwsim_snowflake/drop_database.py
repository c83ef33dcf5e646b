"""DROP DATABASE, which fakesnow does not run: detach the database and delete its file.

With databases kept in files (see persistence.py), a dropped database must also lose its file,
or the next start would attach it again; its stages and file formats go with it.
"""

import re
from pathlib import Path

from fakesnow.cursor import FakeSnowflakeCursor
from snowflake.connector.errors import ProgrammingError

from dwsim_snowflake.sql_text import without_comments

_DROP_DATABASE = re.compile(
    r"^\s*DROP\s+DATABASE\s+(?P<exists>IF\s+EXISTS\s+)?(?P<name>\"[^\"]+\"|[A-Za-z_][\w$]*)\s*;?\s*$",
    re.IGNORECASE,
)
_GLOBAL_TABLES = {
    "_fs_stages": "database_name",
    "_fs_file_formats": "database_name",
    "_fs_tables_ext": "ext_table_catalog",
    "_fs_columns_ext": "ext_table_catalog",
    "_dwsim_constraints": "database_name",  # see patches/constraints.py
    "_dwsim_stage_formats": "database_name",  # see patches/stage_formats.py
}


def parse(command: str) -> tuple[str, bool] | None:
    """(database name as stored, IF EXISTS) when ``command`` is a DROP DATABASE."""
    match = _DROP_DATABASE.match(without_comments(command))
    if not match:
        return None
    name = match["name"]
    name = name[1:-1] if name.startswith('"') else name.upper()
    return name, bool(match["exists"])


def drop(cursor: FakeSnowflakeCursor, name: str, if_exists: bool) -> str:
    """Drop the database; returns the status line Snowflake prints."""
    conn = cursor._duck_conn
    row = conn.execute(
        "SELECT database_name, path FROM duckdb_databases() "
        "WHERE upper(database_name) = upper(?) AND NOT internal",
        [name],
    ).fetchone()
    if row is None:
        if if_exists:
            return "Drop statement executed successfully (" + name + " already dropped)."
        raise ProgrammingError(
            msg=f"SQL compilation error:\nDatabase '{name}' does not exist or not authorized.",
            errno=2003,
            sqlstate="02000",
        )
    attached_name, path = row
    fake_conn = cursor._conn
    if fake_conn.database and fake_conn.database.upper() == name.upper():
        conn.execute("USE memory")
        fake_conn.database = None
        fake_conn._schema = None
        fake_conn.database_set = False
        fake_conn.schema_set = False
    conn.execute(f'DETACH "{attached_name}"')
    for table, column in _GLOBAL_TABLES.items():
        conn.execute(
            f"DELETE FROM _fs_global._fs_information_schema.{table} WHERE upper({column}) = ?",
            [name.upper()],
        )
    if path:
        for file in (Path(path), Path(f"{path}.wal")):
            file.unlink(missing_ok=True)
    return f"{attached_name} successfully dropped."
