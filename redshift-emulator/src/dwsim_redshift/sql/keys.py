"""PRIMARY KEY, UNIQUE and FOREIGN KEY kept as metadata, never enforced (ARCHITECTURE
decision 11): Redshift enforces only NOT NULL, so a second COPY of the same rows or a child
loaded before its parent succeeds.

CREATE TABLE: the keys leave the DDL and travel in its layout spec (layout.py) as
``constraints``; the ddl_command_end trigger records them in dwsim_rs.table_constraint
(sql/plpgsql/05_keys.sql). ALTER TABLE ... ADD / DROP CONSTRAINT becomes a DO block that records or
forgets them. A primary key's columns become NOT NULL, as Redshift makes them. Names follow
PostgreSQL's (t_pkey, t_col_key, t_col_fkey) unless the DDL names the constraint.
"""

import json

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError, TokenError

from dwsim_redshift.sql.dialect import RedshiftSource

TEMP_PREFIX = "#"
_DOLLAR = "$dwsim_keys$"


def _name(node: exp.Expr | None) -> str:
    """Redshift folds identifiers to lower case (quoted ones too, by default)."""
    if node is None:
        return ""
    inner = node.this if isinstance(node, exp.Ordered) else node
    return inner.name.lower().removeprefix(TEMP_PREFIX)


def _qualified(table: exp.Table) -> str:
    """The table's name as PostgreSQL text, resolved on the session's search_path later."""
    parts = [p for p in (table.args.get("db"), table.args.get("this")) if p is not None]
    return ".".join(exp.to_identifier(_name(p), quoted=True).sql("postgres") for p in parts)


def _reference(ref: exp.Reference) -> dict:
    target = ref.this
    table = target.this if isinstance(target, exp.Schema) else target
    columns = [_name(c) for c in target.expressions] if isinstance(target, exp.Schema) else []
    return {"ref": _qualified(table), "ref_columns": columns}


def _key(kind: str, columns: list[str], name: str | None = None, **ref: object) -> dict:
    return {"type": kind, "columns": columns, "name": name or None, **ref}


def _table_level(node: exp.Expr) -> list[dict] | None:
    name, parts = None, [node]
    if isinstance(node, exp.Constraint):
        name, parts = _name(node.this), list(node.expressions)
    keys = []
    for part in parts:
        if isinstance(part, exp.PrimaryKey):
            keys.append(_key("p", [_name(c) for c in part.expressions], name))
        elif isinstance(part, exp.UniqueColumnConstraint) and isinstance(part.this, exp.Schema):
            keys.append(_key("u", [_name(c) for c in part.this.expressions], name))
        elif isinstance(part, exp.ForeignKey) and part.args.get("reference") is not None:
            columns = [_name(c) for c in part.expressions]
            keys.append(_key("f", columns, name, **_reference(part.args["reference"])))
        else:
            return None
    return keys


def _column_level(column: exp.ColumnDef) -> list[dict]:
    keys, kept = [], []
    for constraint in column.args.get("constraints") or []:
        kind, name = constraint.args.get("kind"), _name(constraint.this)
        if isinstance(kind, exp.PrimaryKeyColumnConstraint):
            keys.append(_key("p", [_name(column.this)], name))
        elif isinstance(kind, exp.UniqueColumnConstraint):
            keys.append(_key("u", [_name(column.this)], name))
        elif isinstance(kind, exp.Reference):
            keys.append(_key("f", [_name(column.this)], name, **_reference(kind)))
        else:
            kept.append(constraint)
    column.set("constraints", kept)
    return keys


def _not_null(columns: list[exp.ColumnDef], names: list[str]) -> None:
    for column in columns:
        constraints = column.args.get("constraints") or []
        if _name(column.this) in names and not any(
            isinstance(c.args.get("kind"), exp.NotNullColumnConstraint) for c in constraints
        ):
            not_null = exp.ColumnConstraint(kind=exp.NotNullColumnConstraint())
            column.set("constraints", [*constraints, not_null])


def take_from_create(create: exp.Create) -> list[dict]:
    """The keys a CREATE TABLE declares, taken out of it (primary key columns NOT NULL)."""
    target = create.this
    if create.kind != "TABLE" or not isinstance(target, exp.Schema):
        return []
    keys: list[dict] = []
    kept: list[exp.Expr] = []
    for node in target.expressions:
        if isinstance(node, exp.ColumnDef):
            keys.extend(_column_level(node))
            kept.append(node)
        elif (found := _table_level(node)) is not None:
            keys.extend(found)
        else:
            kept.append(node)
    if keys:
        target.set("expressions", kept)
        columns = [e for e in kept if isinstance(e, exp.ColumnDef)]
        for key in keys:
            if key["type"] == "p":
                _not_null(columns, key["columns"])
    return keys


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _do(body: str) -> str:
    tag = _DOLLAR
    while tag in body:
        tag = tag[:-1] + "_$"
    return f"DO {tag} BEGIN {body} END {tag}"


def alter_keys(statement: str) -> str | None:
    """ALTER TABLE t ADD [CONSTRAINT n] PRIMARY KEY / UNIQUE / FOREIGN KEY ..., or DROP
    CONSTRAINT n, as a DO block changing the recorded keys; None for any other ALTER."""
    try:
        tree = sqlglot.parse_one(statement, read=RedshiftSource)
    except (ParseError, TokenError):
        return None
    actions = tree.args.get("actions") if isinstance(tree, exp.Alter) else None
    if not actions or not isinstance(tree.this, exp.Table):
        return None
    table = _literal(_qualified(tree.this))
    calls = []
    for action in actions:
        if isinstance(action, exp.AddConstraint):
            keys = [k for node in action.expressions for k in (_table_level(node) or [None])]
            if not keys or None in keys:
                return None
            spec = _literal(json.dumps(keys, separators=(",", ":")))
            calls.append(f"PERFORM dwsim_rs.add_keys({table}::regclass, {spec}::jsonb);")
        elif isinstance(action, exp.Drop) and str(action.args.get("kind")).upper() == "CONSTRAINT":
            for name in action.args.get("tables") or []:
                exists = "true" if action.args.get("exists") else "false"
                calls.append(
                    f"PERFORM dwsim_rs.drop_key({table}::regclass, "
                    f"{_literal(_name(name.this))}, {exists});"
                )
        else:
            return None
    return _do(" ".join(calls))
