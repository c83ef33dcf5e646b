"""The table a COPY loads: resolved on the client's backend session, so search_path and temp
tables hold."""

from dataclasses import dataclass, replace
from enum import StrEnum

from dwsim_redshift.backend.session import BackendSession
from dwsim_redshift.copy.errors import CopyError, LoadContext
from dwsim_redshift.copy.options import TableRef


class PgKind(StrEnum):
    """How a target column is converted and encoded."""

    INT2 = "int2"
    INT4 = "int4"
    INT8 = "int8"
    FLOAT4 = "float4"
    FLOAT8 = "float8"
    NUMERIC = "numeric"
    BOOL = "bool"
    DATE = "date"
    TIMESTAMP = "timestamp"
    TIMESTAMPTZ = "timestamptz"
    TEXT = "text"
    BYTEA = "bytea"
    JSON = "json"
    JSONB = "jsonb"
    UUID = "uuid"
    OTHER = "other"  # anything else: sent as text in a CSV COPY


_KINDS = {
    "int2": PgKind.INT2,
    "int4": PgKind.INT4,
    "int8": PgKind.INT8,
    "float4": PgKind.FLOAT4,
    "float8": PgKind.FLOAT8,
    "numeric": PgKind.NUMERIC,
    "bool": PgKind.BOOL,
    "date": PgKind.DATE,
    "timestamp": PgKind.TIMESTAMP,
    "timestamptz": PgKind.TIMESTAMPTZ,
    "text": PgKind.TEXT,
    "varchar": PgKind.TEXT,
    "bpchar": PgKind.TEXT,
    "name": PgKind.TEXT,
    "bytea": PgKind.BYTEA,
    "json": PgKind.JSON,
    "jsonb": PgKind.JSONB,
    "uuid": PgKind.UUID,
}


@dataclass(frozen=True)
class TargetColumn:
    name: str
    kind: PgKind
    type_name: str  # as format_type() shows it, e.g. "character varying(10)"
    typname: str  # e.g. "varchar"
    typmod: int
    not_null: bool
    identity: bool = False  # IDENTITY / GENERATED ... AS IDENTITY

    @property
    def max_length(self) -> int | None:
        """VARCHAR(n)/CHAR(n) limit (Redshift counts bytes)."""
        if self.typname in ("varchar", "bpchar") and self.typmod >= 4:
            return self.typmod - 4
        return None

    @property
    def precision_scale(self) -> tuple[int, int] | None:
        if self.kind is PgKind.NUMERIC and self.typmod >= 4:
            mod = self.typmod - 4
            return (mod >> 16) & 0xFFFF, mod & 0xFFFF
        return None

    @property
    def col_length(self) -> str:
        """stl_load_errors.col_length: "10" for VARCHAR(10), "12,2" for DECIMAL(12,2)."""
        if self.max_length is not None:
            return str(self.max_length)
        if self.precision_scale is not None:
            return "{},{}".format(*self.precision_scale)
        return "0"


@dataclass(frozen=True)
class Target:
    oid: int
    schema: str
    name: str
    columns: list[TargetColumn]  # the columns loaded, in the order of the data

    @property
    def qualified(self) -> str:
        return f"{quote_ident(self.schema)}.{quote_ident(self.name)}"


def quote_ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def resolve_target(session: BackendSession, ref: TableRef, column_list: list[str] | None) -> Target:
    qualified = (
        quote_ident(ref.name)
        if ref.schema is None
        else f"{quote_ident(ref.schema)}.{quote_ident(ref.name)}"
    )
    display = ref.name if ref.schema is None else f"{ref.schema}.{ref.name}"
    _, rows = session.query(
        "SELECT c.oid::int8, n.nspname::text, c.relname::text FROM pg_catalog.pg_class c "
        "JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
        f"WHERE c.oid = to_regclass({quote_literal(qualified)})"
    )
    if not rows:
        raise CopyError(f'relation "{display}" does not exist', sqlstate="42P01")
    oid, schema, name = int(rows[0][0]), rows[0][1], rows[0][2]
    _, rows = session.query(
        "SELECT a.attname::text, coalesce(bt.typname, t.typname)::text, a.atttypmod::int4, "
        "a.attnotnull, format_type(a.atttypid, a.atttypmod), a.attidentity::text "
        "FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid "
        "LEFT JOIN pg_catalog.pg_type bt ON t.typtype = 'd' AND bt.oid = t.typbasetype "
        f"WHERE a.attrelid = {oid} AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum"
    )
    columns = [
        _wide_numeric_as_text(
            TargetColumn(
                name=r[0],
                kind=_KINDS.get(r[1], PgKind.OTHER),
                type_name=r[4],
                typname=r[1],
                typmod=int(r[2]),
                not_null=r[3] in (True, "t", "true"),
                identity=bool(r[5]),
            )
        )
        for r in rows
    ]
    if column_list is not None:
        by_name = {c.name: c for c in columns}
        picked = []
        for col in column_list:
            if col not in by_name:
                raise CopyError(
                    f'column "{col}" of relation "{name}" does not exist', sqlstate="42703"
                )
            picked.append(by_name[col])
        if len({c.name for c in picked}) != len(picked):
            raise CopyError(
                f'column list of COPY into "{name}" names a column twice', sqlstate="42701"
            )
        columns = picked
    return Target(oid=oid, schema=schema, name=name, columns=columns)


def _wide_numeric_as_text(col: TargetColumn) -> TargetColumn:
    """NUMERIC wider than Redshift's 38 digits has no Arrow decimal here: send it as text."""
    ps = col.precision_scale
    if ps is not None and ps[0] > 38:
        return replace(col, kind=PgKind.OTHER)
    return col


def load_context(session: BackendSession, target: Target) -> LoadContext:
    _, rows = session.query(
        "SELECT current_database()::text, pg_backend_pid()::int8, "
        "(SELECT oid::int8 FROM pg_catalog.pg_roles WHERE rolname = current_user)"
    )
    database, pid, userid = rows[0]
    return LoadContext(
        database=database,
        userid=int(userid or 0),
        session=int(pid),
        table_oid=target.oid,
        table_name=target.name,
    )
