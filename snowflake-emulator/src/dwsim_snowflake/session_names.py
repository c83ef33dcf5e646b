"""The database and schema a session starts in, named as Snowflake names them.

Snowflake reads the connector's ``database`` and ``schema`` as identifiers: unquoted names are
upper-cased, a name in double quotes keeps its case (``database='"lower_db"'``). fakesnow
upper-cased both either way, so a quoted lower-case name opened (or created) another database.
Here a quoted name is kept as written: the database (with its PUBLIC schema, as CREATE DATABASE
makes it) or the schema is created under that exact name when it does not exist yet, as
fakesnow creates what a client names at connect. DuckDB's catalog and schema names ignore case,
so the emulator cannot hold two names that differ only in case: a name that matches an existing
one but for case is refused, saying it is an emulator limit, never silently read as the other.

A session with a database but no schema starts in PUBLIC when the database has one, and
``USE [DATABASE] name`` makes PUBLIC current the same way, as Snowflake does (fakesnow left no
current schema: CURRENT_SCHEMA() was NULL and unqualified names were refused; ``USE name``
without DATABASE was refused, also after a leading comment). ``CREATE DATABASE name`` makes the
new database and its PUBLIC schema current, as Snowflake's does (fakesnow left the session
where it was); one that already existed (IF NOT EXISTS) changes nothing.
"""

import re
from typing import Any

from snowflake.connector.errors import ProgrammingError

from dwsim_snowflake.sql_text import code_start, without_comments

PUBLIC = "PUBLIC"
# USE <name>, without a kind: Snowflake reads it as USE DATABASE <name>
_BARE_USE = re.compile(
    r"^(USE\s+)(?!(?:DATABASE|SCHEMA|ROLE|WAREHOUSE|SECONDARY)\b)(?=[\w\"$])",
    re.IGNORECASE,
)

_CREATE_IF_NOT_EXISTS = re.compile(
    r"^\s*CREATE\s+(?:OR\s+REPLACE\s+)?(?:TRANSIENT\s+)?DATABASE\s+IF\s+NOT\s+EXISTS\b",
    re.IGNORECASE,
)


def identifier(text: str | None) -> str | None:
    """Snowflake's reading of a name given at connect: quoted keeps case, else upper case."""
    if not text:
        return None
    if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
        return text[1:-1].replace('""', '"')
    return text.upper()


def shown(name: str) -> str:
    """The name as SQL would write it: quoted unless it reads the same unquoted."""
    plain = name.replace("_", "").replace("$", "").isalnum() and not name[:1].isdigit()
    return name if plain and name == name.upper() else '"' + name.replace('"', '""') + '"'


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _case_clash(kind: str, asked: str, existing: str) -> ProgrammingError:
    return ProgrammingError(
        msg=f"{kind} {shown(asked)} cannot be used: the Snowflake emulator has a {kind.lower()} "
        f"{shown(existing)}, and it cannot keep two names that differ only in case (DuckDB's "
        "names ignore case). This is an emulator limit, not a Snowflake one: name the "
        f"{kind.lower()} as it was created ({shown(existing)}), or choose another name.",
        errno=2,
        sqlstate="0A000",
    )


def _existing_database(duck: Any, name: str) -> str | None:
    row = duck.execute(
        "SELECT database_name FROM duckdb_databases() WHERE lower(database_name) = lower(?)",
        [name],
    ).fetchone()
    return row[0] if row else None


def _existing_schema(duck: Any, database: str, name: str) -> str | None:
    row = duck.execute(
        "SELECT schema_name FROM duckdb_schemas() WHERE database_name = ? "
        "AND lower(schema_name) = lower(?)",
        [database, name],
    ).fetchone()
    return row[0] if row else None


def prepare(instance: Any, database: str | None, schema: str | None) -> None:
    """Before fakesnow's login: refuse a name that clashes by case with an existing one, and
    create what the client names under its exact name, a database with its PUBLIC schema
    (fakesnow would create it upper-cased, without PUBLIC)."""
    if not database:
        return
    duck = instance.duck_conn.cursor()
    try:
        found = _existing_database(duck, database)
        if found is not None and found != database:
            raise _case_clash("Database", database, found)
        if found is None:
            conn = instance.connect()  # no database: runs CREATE DATABASE as a client would
            try:
                conn.cursor().execute(f"CREATE DATABASE IF NOT EXISTS {_quoted(database)}")
            finally:
                conn.close()
        if not schema or schema.upper() == "INFORMATION_SCHEMA":
            return
        existing = _existing_schema(duck, database, schema)
        if existing is not None and existing != schema:
            raise _case_clash("Schema", schema, existing)
        if existing is None:
            duck.execute(f"CREATE SCHEMA IF NOT EXISTS {_quoted(database)}.{_quoted(schema)}")
    finally:
        duck.close()


def _set_schema(conn: Any, database: str, schema: str) -> None:
    target = f"{_quoted(database)}.{_quoted(schema)}".replace("'", "''")
    conn._duck_conn.execute(f"SET schema = '{target}'")
    conn.database = database
    conn.database_set = True
    conn._schema = schema
    conn.schema_set = True


def settle(conn: Any, database: str | None, schema: str | None) -> None:
    """After fakesnow's login: the session in the names as Snowflake read them, and in PUBLIC
    when the client named a database but no schema."""
    if not database or not conn.database_set:
        return
    if schema and schema.upper() != "INFORMATION_SCHEMA":
        if (database, schema) != (conn.database, conn.schema) and conn.schema_set:
            _set_schema(conn, database, schema)
        return
    conn.database = database
    if not schema:
        use_public(conn)


def use_database_keyword(command: str) -> str:
    """``USE name`` as ``USE DATABASE name`` (fakesnow took the name for a table), also after
    leading comments."""
    start = code_start(command)
    return command[:start] + _BARE_USE.sub(r"\1DATABASE ", command[start:], count=1)


def databases_before(conn: Any, command: str) -> set[str] | None:
    """The databases (lower case) before ``command`` runs, when it is a CREATE DATABASE IF NOT
    EXISTS, which may find its database already there."""
    if "DATABASE" not in command.upper():  # most statements: no need to read the comments
        return None
    if not _CREATE_IF_NOT_EXISTS.match(without_comments(command)):
        return None
    rows = conn._duck_conn.execute("SELECT lower(database_name) FROM duckdb_databases()")
    return {name for (name,) in rows.fetchall()}


def use_created_database(conn: Any, database: str, before: set[str] | None) -> None:
    """The database CREATE DATABASE made becomes the session's, in its PUBLIC schema (not one
    that was already there)."""
    if before is None or database.lower() not in before:
        _set_schema(conn, database, PUBLIC)


def use_public(conn: Any) -> None:
    """The session's database's PUBLIC schema becomes current, if the database has one."""
    row = conn._duck_conn.execute(
        "SELECT database_name FROM duckdb_schemas() WHERE lower(database_name) = lower(?) "
        "AND schema_name = ?",
        [conn.database or "", PUBLIC],
    ).fetchone()
    if row is not None:
        _set_schema(conn, conn.database, PUBLIC)
