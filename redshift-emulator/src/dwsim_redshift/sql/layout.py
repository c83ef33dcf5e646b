"""Redshift's table layout (DISTSTYLE, DISTKEY, SORTKEY, ENCODE, BACKUP) kept for the catalog.

PostgreSQL has no such attributes, so the DDL rewrite takes them out of CREATE TABLE; this
module turns them into a layout spec (JSON) that travels with the statement, in the same text:

- CREATE TABLE / CTAS / CREATE TABLE (LIKE ...): the spec rides as a trailing comment
  ``/*dwsim_rs.layout {...}*/``; an event trigger on ddl_command_end (sql/plpgsql/03_layout_triggers.sql) reads
  it from current_query() and records it for the table it created, in the same transaction
  (a rolled-back CREATE leaves nothing, and the command keeps its own tag and row count);
- ALTER TABLE ... ALTER DISTKEY / DISTSTYLE / SORTKEY / ENCODE: a DO block that calls
  dwsim_rs.set_layout() for the table.

Names are kept lower case: Redshift folds identifiers, and the trigger compares lower case.
"""

import json
import re

from sqlglot import exp

from dwsim_redshift.sql.dialect import (
    InterleavedSortKeyProperty,
    PhysicalAttribute,
    PhysicalColumnAttribute,
)

MARKER = "/*dwsim_rs.layout "
META_KEY = "dwsim_layout"
TEMP_PREFIX = "#"


def _name(node: exp.Expr | None) -> str | None:
    if node is None:
        return None
    return node.name.lower() or None


def _table_spec(table: exp.Table) -> dict:
    return {
        "table": table.name.lower().removeprefix(TEMP_PREFIX),
        "schema": _name(table.args.get("db")),
    }


def _column_attributes(schema: exp.Schema | None, spec: dict) -> None:
    if schema is None:
        return
    encodings, sortkey = {}, []
    for column in schema.expressions:
        if not isinstance(column, exp.ColumnDef):
            continue
        for constraint in column.args.get("constraints") or []:
            kind = constraint.args.get("kind")
            if isinstance(kind, exp.EncodeColumnConstraint):
                encodings[column.name.lower()] = kind.name.lower()
            elif isinstance(kind, PhysicalColumnAttribute) and kind.name.upper() == "DISTKEY":
                spec["distkey"] = column.name.lower()
            elif isinstance(kind, PhysicalColumnAttribute) and kind.name.upper() == "SORTKEY":
                sortkey.append(column.name.lower())
    if encodings:
        spec["encodings"] = encodings
    if sortkey:
        spec["sortstyle"], spec["sortkey"] = "COMPOUND", sortkey


def _table_attributes(props: exp.Properties | None, spec: dict) -> None:
    for prop in props.expressions if props is not None else []:
        if isinstance(prop, exp.DistStyleProperty):
            spec["diststyle"] = prop.name.upper()
        elif isinstance(prop, exp.DistKeyProperty):
            keys = [prop.this] if prop.this is not None else prop.expressions
            spec["distkey"] = _name(keys[0]) if keys else None
        elif isinstance(prop, exp.SortKeyProperty):
            columns = prop.this if isinstance(prop.this, list) else [prop.this]
            style = "INTERLEAVED" if isinstance(prop, InterleavedSortKeyProperty) else "COMPOUND"
            spec["sortstyle"], spec["sortkey"] = style, [_name(c) for c in columns]
        elif isinstance(prop, exp.BackupProperty):
            spec["backup"] = prop.name.upper() != "NO"
        elif isinstance(prop, PhysicalAttribute) and prop.name.upper() == "SORTKEY AUTO":
            spec["sortstyle"], spec["sortkey"] = "AUTO", []
        elif isinstance(prop, PhysicalAttribute) and prop.name.upper() == "AUTO":
            spec["encode_auto"] = True


def of_create(create: exp.Create, constraints: list[dict] | None = None) -> dict | None:
    """The layout a CREATE TABLE declares, or None when it declares none (Redshift's defaults
    then apply: AUTO distribution and sort key, which the catalog views report). The keys
    keys.py took out of the DDL travel with it."""
    if create.kind != "TABLE":
        return None
    target = create.this
    schema = target if isinstance(target, exp.Schema) else None
    table = schema.this if schema is not None else target
    if not isinstance(table, exp.Table):
        return None
    spec: dict = {}
    _column_attributes(schema, spec)
    _table_attributes(create.args.get("properties"), spec)
    if spec.get("distkey") and "diststyle" not in spec:
        spec["diststyle"] = "KEY"
    like = schema.find(exp.LikeProperty) if schema is not None else None
    if like is not None and isinstance(like.this, exp.Table):
        spec["like"] = ".".join(
            exp.to_identifier(p.name.lower(), quoted=True).sql("postgres") for p in like.this.parts
        )
    if constraints:
        spec["constraints"] = constraints
    if not spec:
        return None
    return {**_table_spec(table), **spec}


def _json(spec: dict) -> str:
    # "\/" is JSON for "/": the text can never close the comment it travels in
    return json.dumps(spec, separators=(",", ":"), sort_keys=True).replace("/", "\\/")


def with_marker(sql: str, tree: exp.Expr) -> str:
    """The translated CREATE with its layout spec as a trailing comment, if it has one."""
    spec = tree.meta.get(META_KEY) if isinstance(tree, exp.Create) else None
    return sql if spec is None else f"{sql} {MARKER}{_json(spec)}*/"


# -- ALTER TABLE ... ALTER DISTKEY / DISTSTYLE / SORTKEY / ENCODE ----------------------------

_NAME = r'(?:"(?:[^"]|"")+"|[A-Za-z_#][\w$]*)'
_ALTER = re.compile(
    rf"^\s*ALTER\s+TABLE\s+(?P<table>{_NAME}(?:\s*\.\s*{_NAME})?)\s+ALTER\s+(?P<rest>.*?)\s*;?\s*$",
    re.IGNORECASE | re.DOTALL,
)
_DISTSTYLE = re.compile(rf"^DISTSTYLE\s+(EVEN|ALL|AUTO|KEY(?:\s+DISTKEY\s+({_NAME}))?)$", re.I)
_DISTKEY = re.compile(rf"^DISTKEY\s+({_NAME})$", re.I)
_SORTKEY = re.compile(
    r"^(?:(COMPOUND|INTERLEAVED)\s+)?SORTKEY\s*(?:\((.*)\)|(AUTO|NONE))$", re.I | re.S
)
_ENCODE_AUTO = re.compile(r"^ENCODE\s+AUTO$", re.I)
_COLUMN_ENCODE = re.compile(rf"^COLUMN\s+({_NAME})\s+ENCODE\s+(\w+)$", re.I)
_SPLIT_ACTIONS = re.compile(r"\s*,\s*ALTER\s+", re.I)
_DOLLAR = "$dwsim_layout$"


def _ident(text: str) -> str:
    text = text.strip()
    return text[1:-1].replace('""', '"').lower() if text.startswith('"') else text.lower()


def _alter_action(action: str) -> dict | None:
    action = action.strip()
    if m := _DISTSTYLE.match(action):
        style = m.group(1).split()[0].upper()
        return {"diststyle": style, **({"distkey": _ident(m.group(2))} if m.group(2) else {})}
    if m := _DISTKEY.match(action):
        return {"diststyle": "KEY", "distkey": _ident(m.group(1))}
    if m := _SORTKEY.match(action):
        if m.group(3):
            style = None if m.group(3).upper() == "NONE" else "AUTO"
            return {"sortstyle": style, "sortkey": []}
        columns = [_ident(c) for c in m.group(2).split(",")]
        return {"sortstyle": (m.group(1) or "COMPOUND").upper(), "sortkey": columns}
    if _ENCODE_AUTO.match(action):
        return {"encode_auto": True}
    if m := _COLUMN_ENCODE.match(action):
        return {"encodings": {_ident(m.group(1)): m.group(2).lower()}}
    return None


def _quoted_name(text: str) -> str:
    parts = re.findall(_NAME, text)
    names = [_ident(p).removeprefix(TEMP_PREFIX) for p in parts]
    return ".".join('"' + n.replace('"', '""') + '"' for n in names)


def alter_layout(statement: str) -> str | None:
    """ALTER TABLE t ALTER DISTKEY/DISTSTYLE/SORTKEY/ENCODE ... as a call recording the new
    layout, or None when the statement is not (only) such an alteration."""
    m = _ALTER.match(statement)
    if m is None:
        return None
    spec: dict = {}
    for action in _SPLIT_ACTIONS.split(m.group("rest")):
        change = _alter_action(action)
        if change is None:
            return None
        encodings = {**spec.get("encodings", {}), **change.pop("encodings", {})}
        spec.update(change)
        if encodings:
            spec["encodings"] = encodings
    table = _quoted_name(m.group("table")).replace("'", "''")
    spec_text = _json(spec).replace("'", "''")
    body = f"PERFORM dwsim_rs.set_layout('{table}'::regclass, '{spec_text}'::jsonb, false);"
    tag = _DOLLAR
    while tag in body:
        tag = tag[:-1] + "_$"
    return f"DO {tag} BEGIN {body} END {tag}"
