"""The types of a statement's columns and expressions, as Snowflake would see them.

Some of Snowflake's answers depend on types DuckDB decides differently (7/2 is NUMBER 3.500000,
not DOUBLE 3.5). sqlglot knows the types once columns are qualified; qualifying rewrites the
statement, so it is done on a copy, and the types are mapped back to the statement's own nodes
by their order of appearance (given per node class; when the copy's shape differs, e.g. a JOIN
USING was expanded, no type is known and the caller leaves the statement alone). Numeric
exactness and scale follow Snowflake's rules for arithmetic (docs: "Scale and precision in
arithmetic operations"): a number literal with a point is a NUMBER, not a DOUBLE.
"""

from dataclasses import dataclass
from typing import Any

from sqlglot import exp
from sqlglot.optimizer.annotate_types import annotate_types
from sqlglot.optimizer.normalize_identifiers import normalize_identifiers
from sqlglot.optimizer.qualify_columns import qualify_columns
from sqlglot.optimizer.qualify_tables import qualify_tables
from sqlglot.schema import MappingSchema

INTEGERS = {
    exp.DataType.Type.TINYINT, exp.DataType.Type.SMALLINT, exp.DataType.Type.INT,
    exp.DataType.Type.BIGINT, exp.DataType.Type.INT128, exp.DataType.Type.UTINYINT,
    exp.DataType.Type.USMALLINT, exp.DataType.Type.UINT, exp.DataType.Type.UBIGINT,
}  # fmt: skip
FLOATS = {exp.DataType.Type.FLOAT, exp.DataType.Type.DOUBLE}
TEXT = {exp.DataType.Type.VARCHAR, exp.DataType.Type.TEXT, exp.DataType.Type.CHAR}
TEMPORAL = {
    exp.DataType.Type.DATE, exp.DataType.Type.TIMESTAMP, exp.DataType.Type.TIMESTAMPNTZ,
    exp.DataType.Type.DATETIME, exp.DataType.Type.TIMESTAMPTZ, exp.DataType.Type.TIMESTAMPLTZ,
    exp.DataType.Type.TIME,
}  # fmt: skip
_TRACKED = (exp.Column, exp.Func)  # casts are functions


@dataclass(frozen=True)
class Numeric:
    exact: bool  # NUMBER (fixed point) rather than FLOAT
    scale: int = 0


def _schema(cursor: Any, expression: exp.Expr) -> MappingSchema | None:
    names = sorted({t.name.upper() for t in expression.find_all(exp.Table) if t.name})
    if not names:
        return None
    marks = ", ".join("?" for _ in names)
    rows = cursor._duck_conn.execute(
        "SELECT database_name, schema_name, table_name, column_name, data_type "
        f"FROM duckdb_columns() WHERE upper(table_name) IN ({marks})",
        names,
    ).fetchall()
    mapping: dict = {}
    for database, schema, table, column, data_type in rows:
        if database == "temp":  # temporary tables answer to the session's database and schema
            database, schema = cursor._conn.database or "temp", cursor._conn.schema or schema
        try:
            sql_type = exp.DataType.build(data_type, dialect="duckdb").sql("snowflake")
        except Exception:
            sql_type = "VARCHAR"
        tables = mapping.setdefault(database.upper(), {}).setdefault(schema.upper(), {})
        tables.setdefault(table.upper(), {})[column.upper()] = sql_type
    return MappingSchema(mapping, dialect="snowflake") if mapping else None


def annotate(cursor: Any, expression: exp.Expr) -> dict[int, exp.DataType]:
    """Types of the statement's columns, functions and casts, by ``id`` of the node."""
    schema = _schema(cursor, expression) or MappingSchema({}, dialect="snowflake")
    copy = expression.copy()
    try:
        normalize_identifiers(copy, dialect="snowflake")
        qualify_tables(
            copy, catalog=cursor._conn.database, db=cursor._conn.schema, dialect="snowflake"
        )
        qualify_columns(
            copy, schema, expand_alias_refs=False, expand_stars=False, dialect="snowflake"
        )
        annotate_types(copy, schema=schema, dialect="snowflake")
    except Exception:
        return {}
    types: dict[int, exp.DataType] = {}
    for kind in _TRACKED:
        original, typed = list(expression.find_all(kind)), list(copy.find_all(kind))
        if len(original) != len(typed):
            continue
        for node, twin in zip(original, typed, strict=True):
            if twin.type is not None and twin.type.this != exp.DataType.Type.UNKNOWN:
                types[id(node)] = twin.type
    return types


def type_of(node: exp.Expr, types: dict[int, exp.DataType]) -> exp.DataType | None:
    if isinstance(node, exp.Paren):
        return type_of(node.this, types)
    if isinstance(node, exp.Cast):
        return node.to
    if isinstance(node, exp.Literal):
        return exp.DataType.build("VARCHAR" if node.is_string else "DOUBLE")
    return types.get(id(node))


def _scale_of(data_type: exp.DataType) -> int:
    params = data_type.expressions
    if len(params) >= 2:
        try:
            return int(params[1].name)
        except ValueError:
            return 0
    return 0


def numeric(node: exp.Expr, types: dict[int, exp.DataType]) -> Numeric | None:
    """Exactness and scale of a numeric expression under Snowflake's rules; None: unknown."""
    if isinstance(node, exp.Paren | exp.Neg):
        return numeric(node.this, types)
    if isinstance(node, exp.Literal) and not node.is_string:
        text = node.this.lower()
        if "e" in text:
            return Numeric(False)
        return Numeric(True, len(text.partition(".")[2]))
    if isinstance(node, exp.Add | exp.Sub | exp.Mul | exp.Div | exp.Mod):
        left, right = numeric(node.this, types), numeric(node.expression, types)
        if left is None or right is None:
            return None
        if not (left.exact and right.exact):
            return Numeric(False)
        if isinstance(node, exp.Mul):
            return Numeric(True, min(left.scale + right.scale, max(left.scale, right.scale, 12)))
        if isinstance(node, exp.Div):
            return Numeric(True, division_scale(left.scale))
        return Numeric(True, max(left.scale, right.scale))
    if isinstance(node, exp.Count):
        return Numeric(True, 0)
    if isinstance(node, exp.Sum | exp.Min | exp.Max):
        return numeric(node.this, types)
    if isinstance(node, exp.Avg):
        inner = numeric(node.this, types)
        return Numeric(True, division_scale(inner.scale)) if inner and inner.exact else inner
    if isinstance(node, exp.Case | exp.If):
        if isinstance(node, exp.Case):
            branches = [i.args.get("true") for i in node.args.get("ifs") or []]
        else:
            branches = [node.args.get("true")]
        branches.append(node.args.get("default") or node.args.get("false"))
        kinds = [
            numeric(b, types) for b in branches if b is not None and not isinstance(b, exp.Null)
        ]
        if not kinds or any(k is None for k in kinds):
            return None
        if all(k.exact for k in kinds if k):
            return Numeric(True, max(k.scale for k in kinds if k))
        return Numeric(False)
    data_type = type_of(node, types)
    if data_type is None:
        return None
    if data_type.this in INTEGERS:
        return Numeric(True, 0)
    if data_type.this == exp.DataType.Type.DECIMAL:
        return Numeric(True, _scale_of(data_type))
    if data_type.this in FLOATS:
        return Numeric(False)
    return None


def division_scale(numerator_scale: int) -> int:
    """Snowflake: the numerator's scale plus 6 digits, up to 12 (or the numerator's if more)."""
    return max(numerator_scale, min(numerator_scale + 6, 12))
