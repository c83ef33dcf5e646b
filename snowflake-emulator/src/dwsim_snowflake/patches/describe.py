"""DESCRIBE TABLE / VIEW of a table in any database, with or without a current database.

fakesnow reads the columns from ``_fs_information_schema._fs_columns`` unqualified, that is the
current database's view of its own tables: DESCRIBE of another database's table answered no rows
(silently), and a session without a current database failed ("Object
'_fs_information_schema._fs_columns' does not exist"), though the name was fully qualified. Here
DESCRIBE reads the global column catalog, which fakesnow's query already filters by the named
table's database, schema and name (a temporary table's are DuckDB's ``temp`` catalog); an
INFORMATION_SCHEMA view is described in the database named. A column's ``comment`` is the one
it was given (fakesnow said NULL for every column; see column_comments.py).
"""

import fakesnow.transforms as fs_transforms
from sqlglot import exp

_original_describe = fs_transforms.describe_table
GLOBAL_CATALOG = "_fs_global"  # fakesnow.instance.GLOBAL_DATABASE_NAME


def _reads_columns(select: exp.Select) -> bool:
    source = select.args.get("from_")
    return isinstance(source, exp.From) and source.name.lower() == "_fs_columns"


def describe_table(
    expression: exp.Expr, current_database: str | None = None, current_schema: str | None = None
) -> exp.Expr:
    result = _original_describe(expression, current_database, current_schema)
    table = expression.find(exp.Table) if isinstance(expression, exp.Describe) else None
    if table is None or result is expression:
        return result
    database = table.catalog or current_database
    if isinstance(result, exp.Select) and _reads_columns(result):
        for item in result.expressions:
            if item.alias == "comment":
                item.set("this", exp.column("comment"))
    for source in result.find_all(exp.Table):
        if source.name.lower() == "_fs_columns" and source.db.lower() == "_fs_information_schema":
            source.set("catalog", exp.to_identifier(GLOBAL_CATALOG))
        elif source.db.upper() == "_FS_INFORMATION_SCHEMA" and not source.catalog and database:
            source.set("catalog", exp.to_identifier(database, quoted=True))
    return result


def install() -> None:
    if fs_transforms.describe_table is not describe_table:
        fs_transforms.describe_table = describe_table  # type: ignore[assignment]
