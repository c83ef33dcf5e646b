"""MERGE whose WHEN NOT MATCHED ... INSERT VALUES names source columns without a qualifier
(installed by the launcher).

dbt-snowflake's merge writes ``when not matched then insert (a, b) values (a, b)``: Snowflake
reads those names from the source, the only row there is. fakesnow runs a MERGE as a full outer
join of target and source, where a bare ``a`` is ambiguous (DuckDB: "Ambiguous reference to
column name"). Here the bare columns of an INSERT's VALUES are qualified with the source's name
before fakesnow splits the statement. A self-contained fix fakesnow could take upstream.
"""

from fakesnow.cursor import FakeSnowflakeCursor
from sqlglot import exp

from dwsim_snowflake.explain import note

_original_explode = FakeSnowflakeCursor._transform_explode


def qualify_insert_values(expression: exp.Expr) -> exp.Expr:
    if not isinstance(expression, exp.Merge):
        return expression
    source = expression.args.get("using")
    name = source.alias_or_name if isinstance(source, exp.Expr) else ""
    if not name:
        return expression
    whens = expression.args.get("whens")
    for when in whens.expressions if whens is not None else []:
        then = when.args.get("then")
        if when.args.get("matched") or not isinstance(then, exp.Insert):
            continue
        values = then.expression
        for column in list(values.find_all(exp.Column)) if values is not None else []:
            if not column.table:
                note("MERGE INSERT VALUES read from the source")
                column.set("table", exp.to_identifier(name))
    return expression


def _transform_explode(self: FakeSnowflakeCursor, expression: exp.Expr) -> list[exp.Expr]:
    return _original_explode(self, qualify_insert_values(expression))


def install() -> None:
    FakeSnowflakeCursor._transform_explode = _transform_explode  # type: ignore[method-assign]
