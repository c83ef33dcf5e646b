"""PRIMARY KEY, UNIQUE and FOREIGN KEY taken out of DDL, as the keys they declare.

Snowflake enforces only NOT NULL on standard tables; its keys are metadata. DuckDB would enforce
them (a duplicate key, an orphan row, even an FK whose column types differ all fail), so they
leave the statement here and constraints.py records them. A primary key's columns become NOT
NULL, as Snowflake makes them.
"""

import uuid
from dataclasses import dataclass, field

from sqlglot import exp

PRIMARY, UNIQUE, FOREIGN = "PRIMARY KEY", "UNIQUE", "FOREIGN KEY"
TableKey = tuple[str, str, str]  # (database, schema, table) as Snowflake stores the names


@dataclass
class Key:
    kind: str  # PRIMARY / UNIQUE / FOREIGN
    columns: list[str]
    name: str = field(default_factory=lambda: f"SYS_CONSTRAINT_{uuid.uuid4()}")
    ref: TableKey | None = None  # FOREIGN: the referenced table
    ref_columns: list[str] = field(default_factory=list)  # empty: the referenced primary key


def ident(node: exp.Expr | str | None) -> str:
    """A name as Snowflake stores it: unquoted folds to upper case, quoted stays as written."""
    if node is None:
        return ""
    if isinstance(node, str):
        return node.upper()
    if isinstance(node, exp.Identifier):
        return node.this if node.quoted else node.this.upper()
    return node.name.upper()


def table_key(table: exp.Table, database: str | None, schema: str | None) -> TableKey:
    return (
        ident(table.args.get("catalog")) or ident(database),
        ident(table.args.get("db")) or ident(schema),
        ident(table.args.get("this")),
    )


def _names(nodes: list[exp.Expr]) -> list[str]:
    return [ident(n.this if isinstance(n, exp.Ordered) else n) for n in nodes]


def _reference(ref: exp.Reference, database: str | None, schema: str | None) -> tuple:
    target = ref.this
    columns = _names(target.expressions) if isinstance(target, exp.Schema) else []
    table = target.this if isinstance(target, exp.Schema) else target
    return table_key(table, database, schema), columns


def _table_level(node: exp.Expr, database: str | None, schema: str | None) -> list[Key] | None:
    """Keys of an out-of-line constraint (named or not), None if node is something else."""
    name = None
    parts = [node]
    if isinstance(node, exp.Constraint):
        name, parts = ident(node.this), list(node.expressions)
    keys = []
    for part in parts:
        if isinstance(part, exp.PrimaryKey):
            keys.append(Key(PRIMARY, _names(part.expressions)))
        elif isinstance(part, exp.UniqueColumnConstraint) and isinstance(part.this, exp.Schema):
            keys.append(Key(UNIQUE, _names(part.this.expressions)))
        elif isinstance(part, exp.ForeignKey) and part.args.get("reference") is not None:
            ref, ref_columns = _reference(part.args["reference"], database, schema)
            keys.append(Key(FOREIGN, _names(part.expressions), ref=ref, ref_columns=ref_columns))
        else:
            return None
    for key in keys if name else []:
        key.name = name
    return keys


def _column_level(column: exp.ColumnDef, database: str | None, schema: str | None) -> list[Key]:
    keys, kept = [], []
    for constraint in column.args.get("constraints") or []:
        kind = constraint.args.get("kind")
        key = None
        if isinstance(kind, exp.PrimaryKeyColumnConstraint):
            key = Key(PRIMARY, [ident(column.this)])
        elif isinstance(kind, exp.UniqueColumnConstraint):
            key = Key(UNIQUE, [ident(column.this)])
        elif isinstance(kind, exp.Reference):
            ref, ref_columns = _reference(kind, database, schema)
            key = Key(FOREIGN, [ident(column.this)], ref=ref, ref_columns=ref_columns)
        if key is None:
            kept.append(constraint)
            continue
        if constraint.this is not None:
            key.name = ident(constraint.this)
        keys.append(key)
    column.set("constraints", kept)
    return keys


def _not_null(columns: list[exp.ColumnDef], names: list[str]) -> None:
    for column in columns:
        constraints = column.args.get("constraints") or []
        if ident(column.this) in names and not any(
            isinstance(c.args.get("kind"), exp.NotNullColumnConstraint) for c in constraints
        ):
            not_null = exp.ColumnConstraint(kind=exp.NotNullColumnConstraint())
            column.set("constraints", [*constraints, not_null])


def take_from_create(create: exp.Create, database: str | None, schema: str | None) -> list[Key]:
    """The keys a CREATE TABLE declares, removed from it (primary key columns made NOT NULL)."""
    target = create.this
    if create.kind != "TABLE" or not isinstance(target, exp.Schema):
        return []
    keys: list[Key] = []
    kept: list[exp.Expr] = []
    columns = [e for e in target.expressions if isinstance(e, exp.ColumnDef)]
    for node in target.expressions:
        if isinstance(node, exp.ColumnDef):
            keys.extend(_column_level(node, database, schema))
            kept.append(node)
        elif (found := _table_level(node, database, schema)) is not None:
            keys.extend(found)
        else:
            kept.append(node)
    if keys:
        target.set("expressions", kept)
        for key in keys:
            if key.kind == PRIMARY:
                _not_null(columns, key.columns)
    return keys


@dataclass
class AlterKeys:
    """What an ALTER TABLE does to keys only: keys added, constraint names dropped, and
    whether it drops the primary key."""

    add: list[Key] = field(default_factory=list)
    drop_names: list[str] = field(default_factory=list)
    drop_primary: bool = False


def alter_keys(alter: exp.Alter, database: str | None, schema: str | None) -> AlterKeys | None:
    """The key changes of an ALTER TABLE that changes nothing but keys, else None."""
    if alter.args.get("kind") != "TABLE" or not alter.args.get("actions"):
        return None
    change = AlterKeys()
    for action in alter.args["actions"]:
        if isinstance(action, exp.AddConstraint):
            for node in action.expressions:
                found = _table_level(node, database, schema)
                if found is None:
                    return None
                change.add.extend(found)
        elif isinstance(action, exp.Drop) and str(action.args.get("kind")).upper() == "CONSTRAINT":
            change.drop_names.extend(ident(t.this) for t in action.args.get("tables") or [])
        elif (
            isinstance(action, exp.Command)
            and action.name.upper() == "DROP"
            and str(action.expression).strip().upper() == "PRIMARY KEY"
        ):
            change.drop_primary = True
        else:
            return None
    return change
