"""Aliases Redshift does without. Subqueries in FROM need no alias in Redshift (PostgreSQL 15
wants one). Lateral column aliases: Redshift lets WHERE and later select items use a select-list
alias (`SELECT price * qty AS total, total * 0.1 AS tax`; redshift_connector writes
`SELECT n.nspname AS table_schem ... WHERE table_schem LIKE $1`); PostgreSQL does not, so such
references are replaced by the aliased expression.

Redshift prefers a table's column over an alias of the same name, and the tables' columns are
not known here. So an alias is expanded only when it cannot be a rename of a column that might
shadow another: the alias of a computed expression, or any alias in a catalog query (drivers'
metadata queries); never a name that is certainly a column (qualified somewhere, or used
before the alias is defined).
"""

from sqlglot import exp


def _own_columns(node: exp.Expr, select: exp.Select) -> list[exp.Column]:
    """Unqualified columns of `node` that belong to `select` (not to a nested query)."""

    def nested(n: exp.Expr) -> bool:
        return n is not node and isinstance(n, exp.Select | exp.Subquery)

    return [c for c in node.dfs(prune=nested) if isinstance(c, exp.Column) and not c.table]


def _replace_refs(node: exp.Expr, select: exp.Select, aliases: dict[str, exp.Expr]) -> None:
    for column in _own_columns(node, select):
        target = aliases.get(column.name.lower())
        if target is not None:
            column.replace(exp.Paren(this=target.copy()))


def _expand(select: exp.Select, catalog: bool) -> None:
    if not any(isinstance(item, exp.Alias) for item in select.expressions):
        return
    aliases: dict[str, exp.Expr] = {}
    # Names that are certainly tables' columns: qualified somewhere, or used before an alias
    # of that name is defined.
    columns = {c.name.lower() for c in select.find_all(exp.Column) if c.table}
    for item in select.expressions:
        _replace_refs(item, select, aliases)
        columns.update(c.name.lower() for c in _own_columns(item, select))
        renames_a_column = isinstance(item, exp.Alias) and isinstance(item.this, exp.Column)
        if (
            isinstance(item, exp.Alias)
            and item.alias.lower() not in columns
            and (catalog or not renames_a_column)
        ):
            aliases[item.alias.lower()] = item.this
    where = select.args.get("where")
    if aliases and where is not None:
        _replace_refs(where, select, aliases)


def _name_subqueries(tree: exp.Expr) -> None:
    for n, subquery in enumerate(tree.find_all(exp.Subquery), start=1):
        in_from = isinstance(subquery.parent, exp.From | exp.Join)
        if in_from and subquery.arg_key == "this" and not subquery.alias:
            subquery.set("alias", exp.TableAlias(this=exp.to_identifier(f"_subquery{n}")))


def _reads_catalog(tree: exp.Expr) -> bool:
    return any(
        t.db.lower() in ("pg_catalog", "information_schema") or t.name.lower().startswith("pg_")
        for t in tree.find_all(exp.Table)
    )


def rewrite(tree: exp.Expr) -> exp.Expr:
    _name_subqueries(tree)
    catalog = _reads_catalog(tree)
    for select in list(tree.find_all(exp.Select)):
        _expand(select, catalog)
    return tree
