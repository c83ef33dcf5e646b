"""Aliases Redshift does without. Subqueries in FROM need no alias in Redshift (PostgreSQL 15
wants one), and lateral column aliases: Redshift lets WHERE and later select items use a select-list alias
(`SELECT n.nspname AS table_schem ... WHERE table_schem LIKE $1`, as redshift_connector writes);
PostgreSQL does not, so such references are replaced by the aliased expression.

Without the tables' columns at hand, a name that is certainly a table's column (qualified
somewhere, or used before the alias is defined) is left alone: Redshift prefers a table's
column over an alias of the same name.
"""

from sqlglot import exp


def _own_columns(node: exp.Expr, select: exp.Select) -> list[exp.Column]:
    return [c for c in node.find_all(exp.Column) if c.parent_select is select and not c.table]


def _replace_refs(node: exp.Expr, select: exp.Select, aliases: dict[str, exp.Expr]) -> None:
    for column in _own_columns(node, select):
        target = aliases.get(column.name.lower())
        if target is not None:
            column.replace(exp.Paren(this=target.copy()))


def _expand(select: exp.Select) -> None:
    aliases: dict[str, exp.Expr] = {}
    # Names that are certainly tables' columns: qualified somewhere, or used before an alias
    # of that name is defined.
    columns = {c.name.lower() for c in select.find_all(exp.Column) if c.table}
    for item in select.expressions:
        _replace_refs(item, select, aliases)
        columns.update(c.name.lower() for c in _own_columns(item, select))
        if isinstance(item, exp.Alias) and item.alias.lower() not in columns:
            aliases[item.alias.lower()] = item.this
    where = select.args.get("where")
    if aliases and where is not None:
        _replace_refs(where, select, aliases)


def _name_subqueries(tree: exp.Expr) -> None:
    for n, subquery in enumerate(tree.find_all(exp.Subquery), start=1):
        in_from = isinstance(subquery.parent, exp.From | exp.Join)
        if in_from and subquery.arg_key == "this" and not subquery.alias:
            subquery.set("alias", exp.TableAlias(this=exp.to_identifier(f"_subquery{n}")))


def rewrite(tree: exp.Expr) -> exp.Expr:
    _name_subqueries(tree)
    for select in list(tree.find_all(exp.Select)):
        _expand(select)
    return tree
