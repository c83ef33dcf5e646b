"""ALTER TABLE target APPEND FROM source [IGNOREEXTRA | FILLTARGET]: move every row of the
source into the target, matching columns by name, and leave the source empty.

Redshift runs it outside any transaction block and commits it at once; the server runs it in a
transaction of its own, so it moves all the rows or none.
"""

from dataclasses import dataclass

from dwsim_redshift.backend.session import BackendSession
from dwsim_redshift.copy.errors import CopyError
from dwsim_redshift.copy.option_reader import Reader
from dwsim_redshift.copy.option_reader import tokens as tokenize
from dwsim_redshift.copy.options import TableRef, table_ref
from dwsim_redshift.copy.target import Target, quote_ident, resolve_target

IN_BLOCK = "ALTER TABLE APPEND cannot run inside a transaction block"


@dataclass(frozen=True)
class AppendCommand:
    target: TableRef
    source: TableRef
    ignore_extra: bool
    fill_target: bool


def is_append(words: tuple[str, ...]) -> bool:
    """ALTER TABLE [schema.]name APPEND ... (the leading words, upper-cased)."""
    return words[:2] == ("ALTER", "TABLE") and "APPEND" in words[3:5]


def parse_append(sql: str) -> AppendCommand:
    toks = tokenize(sql)
    if toks is None:
        raise CopyError("syntax error in ALTER TABLE APPEND statement", sqlstate="42601")
    reader = Reader(toks, "ALTER TABLE APPEND")
    reader.expect_word("ALTER")
    reader.expect_word("TABLE")
    target = table_ref(reader)
    reader.expect_word("APPEND")
    reader.expect_word("FROM")
    source = table_ref(reader)
    mode = reader.next().text.upper() if reader.peek() is not None else ""
    if mode not in ("", "IGNOREEXTRA", "FILLTARGET") or reader.peek() is not None:
        raise CopyError(
            "ALTER TABLE APPEND takes IGNOREEXTRA or FILLTARGET after the source table",
            sqlstate="42601",
        )
    return AppendCommand(target, source, mode == "IGNOREEXTRA", mode == "FILLTARGET")


def run_append(sql: str, session: BackendSession) -> int:
    """Move the rows; return how many moved."""
    cmd = parse_append(sql)
    target = resolve_target(session, cmd.target, None)
    source = resolve_target(session, cmd.source, None)
    if target.oid == source.oid:
        raise CopyError("ALTER TABLE APPEND needs two different tables", sqlstate="42809")
    _check_permanent(session, target, source)
    columns = _matching_columns(cmd, target, source)
    names = ", ".join(quote_ident(c) for c in columns)
    _, rows = session.query(
        f"WITH moved AS (DELETE FROM {source.qualified} RETURNING {names}), "
        f"added AS (INSERT INTO {target.qualified} ({names}) SELECT {names} FROM moved "
        "RETURNING 1) SELECT count(*)::int8 FROM added"
    )
    return int(rows[0][0])


def _check_permanent(session: BackendSession, *tables: Target) -> None:
    listed = ", ".join(str(t.oid) for t in tables)
    _, rows = session.query(
        "SELECT relname::text FROM pg_catalog.pg_class "
        f"WHERE oid IN ({listed}) AND (relpersistence <> 'p' OR relkind NOT IN ('r', 'p'))"
    )
    if rows:
        raise CopyError(
            f'ALTER TABLE APPEND works on permanent tables only: "{rows[0][0]}" is not one',
            sqlstate="42809",
        )


def _matching_columns(cmd: AppendCommand, target: Target, source: Target) -> list[str]:
    by_name = {c.name: c for c in source.columns}
    in_target = {c.name for c in target.columns}
    extra_source = [c.name for c in source.columns if c.name not in in_target]
    extra_target = [c.name for c in target.columns if c.name not in by_name]
    if extra_source and not cmd.ignore_extra:
        raise CopyError(
            f'Column "{extra_source[0]}" of source table "{source.name}" does not exist in '
            f'target table "{target.name}": use IGNOREEXTRA to leave it out',
            sqlstate="42703",
        )
    if extra_target and not cmd.fill_target:
        raise CopyError(
            f'Column "{extra_target[0]}" of target table "{target.name}" does not exist in '
            f'source table "{source.name}": use FILLTARGET to fill it with its default',
            sqlstate="42703",
        )
    columns = []
    for col in target.columns:
        other = by_name.get(col.name)
        if other is None:
            continue
        if col.identity and other.identity:
            raise CopyError(
                f'Cannot append identity column "{col.name}": both tables have it',
                sqlstate="0A000",
            )
        if (col.type_name, col.not_null) != (other.type_name, other.not_null):
            raise CopyError(
                f'Column "{col.name}" has different attributes in the target ({_describe(col)}) '
                f"and the source ({_describe(other)})",
                sqlstate="42804",
            )
        columns.append(col.name)
    return columns


def _describe(col) -> str:
    return col.type_name + (" NOT NULL" if col.not_null else "")
