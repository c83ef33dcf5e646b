"""A stage's FILE_FORMAT, used by COPY INTO when the statement names none; named formats
written without quotes.

fakesnow ignores ``CREATE STAGE ... FILE_FORMAT = (...)``, so ``COPY INTO t FROM @stage`` read
CSV whatever the stage said; and it failed on ``FORMAT_NAME = my_format`` (an identifier, which
Snowflake accepts). Here CREATE STAGE records the stage's format (a named one qualified with the
stage's database and schema) in a table of fakesnow's global catalog, and COPY INTO from that
stage gets it when its own FILE_FORMAT is absent. A stage's COPY_OPTIONS are refused: ignoring
them would load differently from Snowflake.
"""

from typing import Any

import fakesnow.transforms as fs_transforms
import fakesnow.transforms.stage as fs_stage
import sqlglot
from snowflake.connector.errors import ProgrammingError
from sqlglot import exp

TABLE = "_fs_global._fs_information_schema._dwsim_stage_formats"
GLOBAL_SQL = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    database_name VARCHAR, schema_name VARCHAR, name VARCHAR, file_format VARCHAR
);
"""
_ARG = "dwsim_stage_format"  # on the transformed CREATE STAGE: (database, schema, name, format)
_original_create_stage = fs_transforms.create_stage


def _name_literal(value: exp.Expr) -> exp.Literal:
    """FORMAT_NAME = my_format (an identifier) as the string fakesnow expects."""
    if isinstance(value, exp.Literal):
        return value
    if isinstance(value, exp.Table | exp.Column):
        return exp.Literal.string(".".join(p.sql(dialect="snowflake") for p in value.parts))
    return exp.Literal.string(value.sql(dialect="snowflake"))


def normalize_format_name(properties: list[exp.Expr]) -> None:
    for prop in properties:
        if isinstance(prop, exp.Property) and prop.name.upper() == "FORMAT_NAME":
            value = prop.args.get("value")
            if value is not None:
                prop.set("value", _name_literal(value))


def _qualified(name: str, database: str, schema: str) -> str:
    parts = name.split(".")
    return ".".join([database, schema][: 3 - len(parts)] + parts) if len(parts) < 3 else name


def create_stage(
    expression: exp.Expr, current_database: str | None, current_schema: str | None
) -> Any:
    """fakesnow's CREATE STAGE, remembering the stage's FILE_FORMAT for COPY INTO."""
    if not (
        isinstance(expression, exp.Create) and str(expression.args.get("kind")).upper() == "STAGE"
    ):
        return _original_create_stage(expression, current_database, current_schema)
    properties = expression.args.get("properties")
    file_format = None
    for prop in list(properties.expressions if properties else []):
        if isinstance(prop, exp.Property) and prop.name.upper() == "COPY_OPTIONS":
            raise ProgrammingError(
                msg="CREATE STAGE with COPY_OPTIONS is not supported by the Snowflake emulator: "
                "give the copy options in each COPY INTO",
                errno=2,
                sqlstate="0A000",
            )
        if isinstance(prop, exp.FileFormatProperty):
            file_format = prop
    table = expression.find(exp.Table)
    transformed = _original_create_stage(expression, current_database, current_schema)
    if table is not None and transformed is not expression:
        # as fakesnow names the stage (identifiers are upper-cased by then)
        database, schema = table.catalog or current_database or "", table.db or current_schema or ""
        text = None
        if file_format is not None:
            normalize_format_name(file_format.expressions)
            for prop in file_format.expressions:
                if isinstance(prop, exp.Property) and prop.name.upper() == "FORMAT_NAME":
                    qualified = _qualified(prop.args["value"].this, database, schema)
                    prop.set("value", exp.Literal.string(qualified))
            text = " ".join(p.sql(dialect="snowflake") for p in file_format.expressions)
        exists = bool(expression.args.get("exists"))
        transformed.args[_ARG] = (database, schema, table.name, text, exists)
    return transformed


def record(cursor: Any, transformed: exp.Expr) -> None:
    """After a CREATE STAGE ran: keep (or forget) the stage's FILE_FORMAT."""
    found = transformed.args.get(_ARG)
    if not found:
        return
    database, schema, name, text, if_not_exists = found
    key = [database, schema, name]
    where = "database_name = ? AND schema_name = ? AND name = ?"
    with cursor._duck_conn.cursor() as meta:
        if if_not_exists and meta.execute(f"SELECT 1 FROM {TABLE} WHERE {where}", key).fetchone():
            return
        meta.execute(f"DELETE FROM {TABLE} WHERE {where}", key)
        if text is not None:
            meta.execute(f"INSERT INTO {TABLE} VALUES (?, ?, ?, ?)", [*key, text])


def _stage_of(expr: exp.Copy) -> str | None:
    files = expr.args.get("files") or []
    source = files[0] if files else None
    if isinstance(source, exp.Subquery):
        table = source.find(exp.Table)
        source = table if table is not None else None
    inner = source.this if isinstance(source, exp.Table) else source
    if isinstance(inner, exp.Var) and inner.name.startswith("@"):
        stage = inner.name[1:].partition("/")[0]
        return None if stage.startswith(("~", "%")) else stage
    return None


def complete(
    conn: Any, expr: exp.Copy, current_database: str | None, current_schema: str | None
) -> None:
    """Give a COPY INTO from a stage the stage's FILE_FORMAT when it names none itself."""
    params = expr.args.get("params") or []
    for param in params:
        if isinstance(param.this, exp.Var) and param.this.name.upper() == "FILE_FORMAT":
            normalize_format_name(param.expressions)
            return
    stage = _stage_of(expr)
    if stage is None or not current_database:
        return
    database, schema, name = fs_stage.parts_from_var(stage, current_database, current_schema)
    row = conn.execute(
        f"SELECT file_format FROM {TABLE} WHERE database_name = ? AND schema_name = ? AND name = ?",
        [database, schema, name],
    ).fetchone()
    if row is None:
        return
    parsed = sqlglot.parse_one(
        f"COPY INTO t FROM 's3://x/' FILE_FORMAT = ({row[0]})", read="snowflake"
    )
    expr.set("params", [*params, *parsed.args["params"]])


def install() -> None:
    fs_transforms.create_stage = create_stage
