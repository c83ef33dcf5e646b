"""CREATE TABLE / CTAS: take Redshift's physical-layout attributes out (layout.py keeps them for
the catalog), map its types to PostgreSQL."""

import sqlglot
from sqlglot import exp

from dwsim_redshift.sql import keys, layout
from dwsim_redshift.sql.commands import NOOP_SQL
from dwsim_redshift.sql.dialect import PhysicalAttribute, PhysicalColumnAttribute
from dwsim_redshift.sql.errors import UnsupportedStatementError
from dwsim_redshift.sql.system import LATE_BINDING_MARKER

# Storage attributes with no effect on results: taken out of the DDL (layout.py records them).
DROPPED_PROPERTIES = (
    exp.DistKeyProperty,
    exp.DistStyleProperty,
    exp.SortKeyProperty,
    exp.BackupProperty,
    exp.AutoRefreshProperty,
    PhysicalAttribute,
)
# Column-level REFERENCES is a foreign key too: informational in Redshift, dropped here.
DROPPED_CONSTRAINTS = (exp.EncodeColumnConstraint, PhysicalColumnAttribute, exp.Reference)

# Words that bring a type this module maps (in casts as well as in DDL).
TYPE_WORDS = ("max", "super", "varbyte", "varbinary", "hllsketch", "geometry", "geography")

VARCHAR_MAX = 65535
CHAR_MAX = 4096
# Redshift stores TEXT and length-less VARCHAR columns as VARCHAR(256), BPCHAR as CHAR(256).
DEFAULT_VARCHAR_LENGTH = 256

_STRING_TYPES = {exp.DType.VARCHAR, exp.DType.NVARCHAR}
_CHAR_TYPES = {exp.DType.CHAR, exp.DType.NCHAR}
# Types PostgreSQL has under another name (no length parameters carried over).
_RENAMED_TYPES = {
    exp.DType.SUPER: exp.DType.JSONB,
    exp.DType.VARBINARY: exp.DType.VARBINARY,
}
_UNSUPPORTED_TYPES = {
    exp.DType.HLLSKETCH: "HLLSKETCH (HyperLogLog sketches have no PostgreSQL equivalent)",
    exp.DType.GEOMETRY: "GEOMETRY (spatial types need PostGIS, which the emulator does not use)",
    exp.DType.GEOGRAPHY: "GEOGRAPHY (spatial types need PostGIS, which the emulator does not use)",
}


def _is_max(param: exp.Expr) -> bool:
    inner = param.this if isinstance(param, exp.DataTypeParam) else param
    return isinstance(inner, exp.Var | exp.Column | exp.Identifier) and inner.name.upper() == "MAX"


def _length(value: int) -> list[exp.Expr]:
    return [exp.DataTypeParam(this=exp.Literal.number(value))]


def _map_type(node: exp.DataType) -> None:
    kind = node.this
    if kind in _UNSUPPORTED_TYPES:
        raise UnsupportedStatementError(
            f"data type {_UNSUPPORTED_TYPES[kind]} cannot be emulated on PostgreSQL"
        )
    params = node.expressions
    if kind in _STRING_TYPES | _CHAR_TYPES and params and _is_max(params[0]):
        node.set("expressions", _length(VARCHAR_MAX if kind in _STRING_TYPES else CHAR_MAX))
    elif kind in _RENAMED_TYPES:
        node.set("this", _RENAMED_TYPES[kind])
        node.set("expressions", [])
    column = node.parent
    # A table's column (CREATE TABLE, ALTER TABLE ADD COLUMN), not a function's column list.
    in_column_def = (
        isinstance(column, exp.ColumnDef)
        and node.arg_key == "kind"
        and column.find_ancestor(exp.TableAlias) is None
    )
    unsized = kind == exp.DType.TEXT or (kind in _STRING_TYPES and not node.expressions)
    if in_column_def and unsized:
        node.set("this", exp.DType.VARCHAR)
        node.set("expressions", _length(DEFAULT_VARCHAR_LENGTH))
    elif in_column_def and kind == exp.DType.BPCHAR and not node.expressions:
        node.set("this", exp.DType.CHAR)
        node.set("expressions", _length(DEFAULT_VARCHAR_LENGTH))
    elif in_column_def and kind == exp.DType.DECIMAL and not node.expressions:
        # Redshift's DECIMAL/NUMERIC without precision is DECIMAL(18, 0).
        node.set("expressions", [*_length(18), *_length(0)])


def _late_binding(create: exp.Create) -> None:
    """WITH NO SCHEMA BINDING: PostgreSQL binds every view; mark it for
    pg_get_late_binding_view_cols() with a reloption that keeps PostgreSQL's default."""
    create.set("no_schema_binding", False)
    name, _, value = LATE_BINDING_MARKER.partition("=")
    marker = exp.Property(this=exp.var(name), value=exp.var(value))
    props = create.args.get("properties")
    if props is None:
        create.set("properties", exp.Properties(expressions=[marker]))
    else:
        props.append("expressions", marker)


def _is_foreign_key(node: exp.Expr) -> bool:
    if isinstance(node, exp.ForeignKey):
        return True
    return isinstance(node, exp.Constraint) and all(
        isinstance(e, exp.ForeignKey) for e in node.expressions
    )


def _drop_foreign_keys(tree: exp.Expr) -> exp.Expr:
    """Redshift treats foreign keys as informational and never checks them (loads in any
    order, TRUNCATE of a referenced table); PostgreSQL would enforce them, so they go."""
    for schema in tree.find_all(exp.Schema):
        if isinstance(schema.parent, exp.Create):
            kept = [e for e in schema.expressions if not _is_foreign_key(e)]
            if len(kept) != len(schema.expressions):
                schema.set("expressions", kept)
    if isinstance(tree, exp.Alter):
        actions = tree.args.get("actions") or []
        kept = [
            a
            for a in actions
            if not (isinstance(a, exp.AddConstraint) and all(map(_is_foreign_key, a.expressions)))
        ]
        if not kept and actions:
            return sqlglot.parse_one(NOOP_SQL, read="postgres")
        tree.set("actions", kept)
    return tree


def rewrite(tree: exp.Expr) -> exp.Expr:
    if isinstance(tree, exp.Create) and tree.args.get("no_schema_binding"):
        _late_binding(tree)
    if isinstance(tree, exp.Create):
        found = keys.take_from_create(tree)
        if (spec := layout.of_create(tree, found)) is not None:
            tree.meta[layout.META_KEY] = spec
    tree = _drop_foreign_keys(tree)
    # Lists are rebuilt rather than popped from: pop() trusts sibling indexes sqlglot may not
    # have kept up to date.
    for props in list(tree.find_all(exp.Properties)):
        kept = [p for p in props.expressions if not isinstance(p, DROPPED_PROPERTIES)]
        if kept:
            props.set("expressions", kept)
        else:
            props.pop()
    for column in tree.find_all(exp.ColumnDef):
        constraints = column.args.get("constraints") or []
        kept = [c for c in constraints if not isinstance(c.args.get("kind"), DROPPED_CONSTRAINTS)]
        if len(kept) != len(constraints):
            column.set("constraints", kept)
    for cast in list(tree.find_all(exp.Cast)):
        if cast.to.this == exp.DType.SUPER:
            # x::SUPER makes a SUPER scalar of x (a string stays a string, unlike ::jsonb)
            value = cast.this
            if isinstance(value, exp.Literal) and value.is_string:
                value = exp.cast(value, exp.DType.TEXT, copy=False)
            cast.replace(exp.Anonymous(this="TO_JSONB", expressions=[value]))
    for node in list(tree.find_all(exp.DataType)):
        _map_type(node)
    return tree
