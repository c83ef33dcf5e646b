"""What the Redshift adapter reads from psycopg2: result column types by the names Redshift
gives them, which statements a server-side cursor can hold, and error messages pointing at
the line and column of the user's SQL."""

import re
from typing import Any

from dwsim_shared.contracts.query import ColumnInfo

# PostgreSQL type OIDs the emulator reports, by the name Redshift gives the type.
TYPE_NAMES = {
    16: "boolean", 17: "varbyte", 18: "char", 19: "name", 20: "bigint", 21: "smallint",
    23: "integer", 25: "text", 26: "oid", 114: "super", 700: "real", 701: "double precision",
    1042: "char", 1043: "varchar", 1082: "date", 1083: "time", 1114: "timestamp",
    1184: "timestamptz", 1186: "interval", 1266: "timetz", 1700: "numeric", 2950: "uuid",
    3802: "super",
}  # fmt: skip


_LEADING_NOISE = re.compile(r"^(?:\s+|--[^\n]*(?:\n|$)|/\*.*?\*/|\()*", re.DOTALL)
_QUERY_START = re.compile(r"^(?:SELECT|WITH)\b", re.IGNORECASE)
_INTO = re.compile(r"\bINTO\b", re.IGNORECASE)


def is_query(sql: str) -> bool:
    """A statement a server-side cursor can hold: SELECT/WITH, one statement, no SELECT INTO.
    (A false "no" is harmless: the statement then runs with a plain cursor.)"""
    body = _LEADING_NOISE.sub("", sql, count=1)
    return (
        bool(_QUERY_START.match(body))
        and not _INTO.search(body)
        and ";" not in body.rstrip("; \n\t")
    )


def type_name(oid: int) -> str:
    return TYPE_NAMES.get(oid, f"oid {oid}")


def result_columns(description: list) -> list[ColumnInfo]:
    return [ColumnInfo(name=d.name, type=type_name(d.type_code)) for d in description]


def message(exc: Exception) -> str:
    diag = getattr(exc, "diag", None)
    primary = getattr(diag, "message_primary", None) if diag else None
    detail = getattr(diag, "message_detail", None) if diag else None
    text = primary or str(exc).strip()
    return f"{text} ({detail})" if detail else text


_QUOTED = re.compile(r'"([^"]+)"')


def where(exc: Exception, sql: str, sent: str) -> str:
    """`` at line L, column C`` of the user's SQL where the server's error points, when it
    can be trusted: the server counts in the text it ran (a cursor's DECLARE around the SQL,
    or the emulator's rewrite), so the position is kept only if the token it names is there."""
    diag = getattr(exc, "diag", None)
    position = getattr(diag, "statement_position", None) if diag else None
    if not position or not position.isdigit() or not sent.endswith(sql):
        return ""
    index = int(position) - 1 - (len(sent) - len(sql))
    if not 0 <= index <= len(sql):
        return ""
    token = _QUOTED.search(getattr(diag, "message_primary", "") or "")
    if token and not sql[index:].lower().startswith(token.group(1).lower()):
        return ""
    before = sql[:index]
    line = before.count("\n") + 1
    return f" at line {line}, column {index - (before.rfind(chr(10)) + 1) + 1}"


def connect(config: Any, application_name: str = "dwsim") -> Any:
    """A psycopg2 connection to ``config`` (a RedshiftConnection); an emulator or cluster that
    does not answer is a WarehouseUnavailableError naming its address."""
    from dwsim_shared.contracts.enums import Warehouse
    from dwsim_shared.warehouses.base import WarehouseError, WarehouseUnavailableError

    try:
        import psycopg2
    except ImportError as exc:
        raise WarehouseError(
            f"psycopg2 is not installed ({exc}); install dwsim-shared[redshift]",
            warehouse=Warehouse.REDSHIFT,
        ) from None
    try:
        return psycopg2.connect(
            host=config.host,
            port=config.port,
            dbname=config.database,
            user=config.user,
            password=config.password,
            sslmode=config.sslmode,
            connect_timeout=config.connect_timeout_s,
            application_name=application_name,
        )
    except psycopg2.Error as exc:
        raise WarehouseUnavailableError(
            f"cannot connect to {config.url}: {message(exc)}", warehouse=Warehouse.REDSHIFT
        ) from None
