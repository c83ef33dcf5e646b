"""PartiQL navigation into SUPER (stored as jsonb): col.a.b, col[0], t.col.a[1].b.

A dotted name is a path when its first part is not a table (or alias) of the statement:
`c.a.b` with `c` a column is c -> 'a' -> 'b'; `t.c.a` with `t` a table is t.c -> 'a'; `d.s.t.c`
with `d.s.t` a table of the statement is its column c (dbt's snapshot merge writes those), the
database part dropped.
Casts and comparisons with literals read the last step as text, as Redshift compares the value.
"""

import sqlglot
from sqlglot import exp

from dwsim_redshift.sql.rewrites.calls import bottom_up, call, helper

Step = exp.Expr  # an Identifier (object key) or a Literal (array index)


def _unnest_aliases(tree: exp.Expr) -> set[str]:
    """`FROM t, t.doc.items AS i`: i ranges over a SUPER array (sqlglot reads it as UNNEST)."""
    aliases = set()
    for unnest in tree.find_all(exp.Unnest):
        alias = unnest.args.get("alias")
        if alias is not None and alias.columns and len(unnest.expressions) == 1:
            aliases.add(alias.columns[0].name.lower())
    for table in tree.find_all(exp.Table):  # UNPIVOT, already JSONB_EACH(...) AS v(k, v)
        alias = table.args.get("alias")
        each = isinstance(table.this, exp.Anonymous) and table.this.name.upper() == "JSONB_EACH"
        if each and alias is not None and alias.columns:
            aliases.add(alias.columns[-1].name.lower())
    return aliases


def _is_path_call(node: exp.Expr | None) -> bool:
    return isinstance(node, exp.Anonymous) and node.name.upper() == "JSONB_EXTRACT_PATH"


def _source_names(tree: exp.Expr) -> tuple[set[str], set[tuple[str, str]]]:
    names: set[str] = set()
    qualified: set[tuple[str, str]] = set()
    for table in tree.find_all(exp.Table):
        names.add(table.name.lower())
        if table.alias:
            names.add(table.alias.lower())
        if table.args.get("db"):
            qualified.add((table.db.lower(), table.name.lower()))
    for node in tree.find_all(exp.Subquery, exp.CTE):
        if node.alias:
            names.add(node.alias.lower())
    return names, qualified


def _catalogued_tables(tree: exp.Expr) -> set[tuple[str, str, str]]:
    return {
        (table.catalog.lower(), table.db.lower(), table.name.lower())
        for table in tree.find_all(exp.Table)
        if table.args.get("catalog")
    }


def _table_column(node: exp.Expr, catalogued: set[tuple[str, str, str]]) -> bool:
    """`db.schema.table.column` naming a table of the statement: a column, not a path."""
    if not isinstance(node, exp.Column) or not node.args.get("catalog"):
        return False
    return (node.catalog.lower(), node.db.lower(), node.table.lower()) in catalogued


def _flatten(node: exp.Expr) -> tuple[exp.Expr, list[Step]] | None:
    """(base expression, steps) for a chain of Column/Dot/Bracket nodes."""
    steps: list[Step] = []
    while True:
        if isinstance(node, exp.Dot) and isinstance(node.expression, exp.Identifier):
            steps.insert(0, node.expression)
            node = node.this
        elif isinstance(node, exp.Bracket) and len(node.expressions) == 1:
            steps.insert(0, node.expressions[0])
            node = node.this
        else:
            break
    if isinstance(node, exp.Column):
        parts = [p for p in node.parts if isinstance(p, exp.Identifier)]
        if len(parts) != len(node.parts):
            return None
        return None if not parts else (parts[0], parts[1:] + steps)  # type: ignore[return-value]
    return (node, steps) if steps else None


def _split_base(
    head: exp.Expr,
    rest: list[Step],
    names: set[str],
    qualified: set[tuple[str, str]],
    elements: set[str],
) -> tuple[exp.Expr, list[Step]]:
    if not isinstance(head, exp.Identifier):
        return head, rest
    first = head.name.lower()
    if first in elements:
        return exp.column(head.copy(), table=head.copy()), rest
    keys = [s for s in rest[:2] if isinstance(s, exp.Identifier)]
    if len(keys) == 2 and (first, keys[0].name.lower()) in qualified:
        return exp.column(keys[1], table=keys[0], db=head), rest[2:]
    if keys and first in names:
        return exp.column(keys[0], table=head), rest[1:]
    return exp.column(head), rest


def _path_args(steps: list[Step]) -> list[exp.Expr]:
    args: list[exp.Expr] = []
    for step in steps:
        if isinstance(step, exp.Identifier | exp.Literal):
            args.append(exp.Literal.string(step.name))
        else:
            args.append(exp.cast(step, exp.DType.TEXT, copy=False))
    return args


def _wants_text(node: exp.Expr) -> bool:
    parent = node.parent
    if isinstance(parent, exp.Cast):
        return parent.to.this not in (exp.DType.JSON, exp.DType.JSONB, exp.DType.SUPER)
    if isinstance(parent, exp.EQ | exp.NEQ | exp.GT | exp.GTE | exp.LT | exp.LTE):
        other = parent.expression if parent.this is node else parent.this
        return isinstance(other, exp.Literal) and other.is_string
    return isinstance(parent, exp.Like | exp.ILike | exp.In)


_ARITHMETIC = exp.Add | exp.Sub | exp.Mul | exp.Div | exp.Mod | exp.Neg
_NUMERIC_AGGREGATES = exp.Sum | exp.Avg | exp.Stddev | exp.Variance


def _wants_number(node: exp.Expr) -> bool:
    """Compared with a number, in arithmetic, or summed: Redshift reads the SUPER number."""
    parent = node.parent
    if isinstance(parent, exp.EQ | exp.NEQ | exp.GT | exp.GTE | exp.LT | exp.LTE):
        other = parent.expression if parent.this is node else parent.this
        return isinstance(other, exp.Literal) and not other.is_string
    return isinstance(parent, _ARITHMETIC | _NUMERIC_AGGREGATES)


# `x AT i`: each element with its 0-based position (constant text, names replaced below).
_AT_TEMPLATE = sqlglot.parse_one(
    "SELECT e AS element__, CAST((n - 1) AS INT) AS index__ "
    "FROM JSONB_ARRAY_ELEMENTS(path__) WITH ORDINALITY AS e__(e, n)",
    read="postgres",
)


def _unnest_at(path: exp.Expr, element: exp.Identifier, index: exp.Identifier) -> exp.Expr:
    names = {"element__": element, "index__": index}
    select = _AT_TEMPLATE.copy()
    for ident in list(select.find_all(exp.Identifier)):
        if ident.name in names:
            ident.replace(names[ident.name].copy())
    for column in list(select.find_all(exp.Column)):
        if column.name == "path__":
            column.replace(path)
    return exp.Lateral(this=exp.Subquery(this=select), alias=exp.TableAlias(this=element.copy()))


def _unnest(node: exp.Unnest) -> exp.Expr:
    """UNNEST(path) AS _t(i) -> JSONB_ARRAY_ELEMENTS(path) AS i(i): i is each element."""
    name = node.args["alias"].columns[0]
    index = node.args.get("offset")
    if isinstance(index, exp.Identifier):
        return _unnest_at(node.expressions[0], name, index)
    return exp.Table(
        this=call("JSONB_ARRAY_ELEMENTS", node.expressions[0]),
        alias=exp.TableAlias(this=name.copy(), columns=[name.copy()]),
    )


_CATALOG_SCHEMAS = {"pg_catalog", "information_schema"}


def _reads_catalog(tree: exp.Expr) -> bool:
    """Catalog queries (drivers, psql) subscript PostgreSQL arrays: no SUPER in them."""
    for table in tree.find_all(exp.Table):
        if table.db.lower() in _CATALOG_SCHEMAS or table.name.lower().startswith("pg_"):
            return True
    return False


def _keep_array_subscripts(tree: exp.Expr) -> exp.Expr:
    """Subscripts left as written: PostgreSQL arrays index from 1, as Redshift's catalog does
    (sqlglot would otherwise shift Redshift's 0-based SUPER offsets by one)."""
    for bracket in tree.find_all(exp.Bracket):
        bracket.set("offset", 1)
    return tree


def _has_paths(tree: exp.Expr, names: set[str], elements: set[str]) -> bool:
    """Cheap test before the rewrite walk: any subscript, Dot, UNNEST, or column qualified by
    something that is not one of the statement's tables."""
    for node in tree.walk():
        if isinstance(node, exp.Bracket | exp.Dot | exp.Unnest):
            return True
        qualified = isinstance(node, exp.Column) and node.table
        if qualified and (node.args.get("db") or node.table.lower() not in names - elements):
            return True
    return False


def rewrite(tree: exp.Expr) -> exp.Expr:
    if _reads_catalog(tree):
        return _keep_array_subscripts(tree)
    names, qualified = _source_names(tree)
    catalogued = _catalogued_tables(tree)
    elements = _unnest_aliases(tree)
    if not _has_paths(tree, names, elements):
        return tree

    def visit(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Max | exp.Min) and _is_path_call(node.this):
            # PostgreSQL has no MAX/MIN over jsonb; Redshift orders SUPER values
            return helper("super_max" if isinstance(node, exp.Max) else "super_min", node.this)
        if isinstance(node, exp.Unnest) and node.args.get("alias") is not None:
            alias = node.args["alias"]
            if alias.columns and alias.columns[0].name.lower() in elements:
                return _unnest(node)
        if not isinstance(node, exp.Column | exp.Dot | exp.Bracket):
            return node
        if _table_column(node, catalogued):
            node.set("catalog", None)
            return node
        if isinstance(node.parent, exp.Dot | exp.Bracket) and node.arg_key == "this":
            return node
        if not isinstance(
            node.parent_select or node.find_ancestor(exp.Update, exp.Delete), exp.Expr
        ):
            return node
        flat = _flatten(node)
        if flat is None:
            return node
        base, steps = _split_base(*flat, names, qualified, elements)
        if not steps:
            return node
        text, number = _wants_text(node), _wants_number(node)
        func = "JSONB_EXTRACT_PATH_TEXT" if text or number else "JSONB_EXTRACT_PATH"
        result: exp.Expr = call(func, base, *_path_args(steps))
        if number:
            result = exp.cast(result, exp.DType.DECIMAL, copy=False)
        return result

    return _keep_array_subscripts(bottom_up(tree, visit))
