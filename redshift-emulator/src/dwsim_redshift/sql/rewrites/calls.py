"""Small expression builders shared by the function rewrite tables."""

from sqlglot import exp

from dwsim_redshift.sql.system import HELPER_SCHEMA


def helper(name: str, *args: exp.Expr) -> exp.Expr:
    """A call to a helper function in the dwsim_rs schema (see helpers.py)."""
    return exp.Dot(
        this=exp.to_identifier(HELPER_SCHEMA),
        expression=exp.Anonymous(this=name, expressions=list(args)),
    )


def call(name: str, *args: exp.Expr) -> exp.Anonymous:
    return exp.Anonymous(this=name, expressions=list(args))


def datepart(arg: exp.Expr) -> exp.Expr:
    """DATEDIFF(year, ...) names its part as a bare word: pass it on as a string."""
    if isinstance(arg, exp.Column) and not arg.table:
        return exp.Literal.string(arg.name)
    if isinstance(arg, exp.Var):
        return exp.Literal.string(arg.name)
    return arg


def timestamp_arg(arg: exp.Expr) -> exp.Expr:
    """A quoted literal or a bind parameter ($1: drivers send strings untyped) where Redshift
    expects a datetime is read as a TIMESTAMP, as Redshift reads it."""
    if (isinstance(arg, exp.Literal) and arg.is_string) or isinstance(
        arg, exp.Parameter | exp.Placeholder
    ):
        return exp.cast(arg, exp.DType.TIMESTAMP, copy=False)
    return arg


def text_arg(arg: exp.Expr) -> exp.Expr:
    if isinstance(arg, exp.Literal) and arg.is_string:
        return arg
    return exp.cast(arg, exp.DType.TEXT, copy=False)


def bottom_up(tree: exp.Expr, visit) -> exp.Expr:
    """Apply visit to every node, children before parents, so nested calls are all rewritten
    (sqlglot's transform() does not descend into a node it has just replaced)."""
    for node in reversed(list(tree.walk(bfs=False))):
        new = visit(node)
        if new is not node:
            if node is tree:
                tree = new
            else:
                node.replace(new)
    return tree
