"""From parsed drafts to an ``Experiment``: resolve names and references, attach rules.

Every problem found here is a ``DDLError`` pointing at the line and column that caused it;
the contract's own checks (FK cycles, see ``graph.py``) are translated the same way.
"""

import re
from datetime import date

from pydantic import ValidationError

from dwsim_shared.contracts.enums import Dialect, RuleKind, RuleSource, Warehouse
from dwsim_shared.contracts.rules import GenerationRule
from dwsim_shared.contracts.schema import (
    Column,
    Experiment,
    ForeignKey,
    SchemaWarning,
    Table,
    UniqueConstraint,
)
from dwsim_shared.ddl import skew
from dwsim_shared.ddl.geo_links import link_geo
from dwsim_shared.ddl.inference import INTEGERS, infer_rule, snake
from dwsim_shared.ddl.model import Draft, DraftColumn, DraftForeignKey, DraftTable, NameRef
from dwsim_shared.ddl.relations import infer_relations
from dwsim_shared.ddl.table_sizes import infer_sizes
from dwsim_shared.errors import DDLError

IMPORTED = "only CREATE TABLE, CREATE TYPE ... AS ENUM, ALTER TABLE ... ADD/ALTER and COMMENT ON are imported"


def build_experiment(
    draft: Draft, *, name: str, dialect: Dialect, warehouse: Warehouse, today: date | None = None
) -> Experiment:
    if not draft.tables:
        skipped = ", ".join(f"{len(lines)} {kind}" for kind, lines in draft.skipped.items())
        raise DDLError(
            "no CREATE TABLE statement found" + (f" (skipped: {skipped})" if skipped else "")
        )
    tables = infer_sizes([_table(t, draft, today) for t in draft.tables])
    tables = link_geo(tables)  # lists of countries..., addresses within and across tables
    tables = infer_relations(tables, today)  # lookups, totals, names, time order
    warnings = [*draft.warnings, *_skipped_warnings(draft)]
    try:
        return Experiment(
            name=name, warehouse=warehouse, dialect=dialect, tables=tables, warnings=warnings
        )
    except ValidationError as exc:
        raise _translate(exc, draft) from None


def _skipped_warnings(draft: Draft) -> list[SchemaWarning]:
    out = []
    for kind, lines in draft.skipped.items():
        # one warning per kind, at the first; the message lists every line when there are more
        where = f" (lines {', '.join(map(str, lines))})" if len(lines) > 1 else ""
        plural = "s" if len(lines) > 1 else ""
        out.append(
            SchemaWarning(
                message=f"skipped {len(lines)} {kind} statement{plural}{where}: {IMPORTED}",
                line=lines[0],
            )
        )
    return out


def _resolve(table: DraftTable, ref: NameRef, what: str) -> str:
    column = table.find(ref.name)
    if column is None:
        raise DDLError(
            f"table {table.name}: {what} names unknown column {ref.name}",
            ref.token.line,
            ref.token.col,
        )
    return column.name


def _table(table: DraftTable, draft: Draft, today: date | None) -> Table:
    primary_key = []
    if table.primary_key:
        primary_key = [_resolve(table, r, "primary key") for r in table.primary_key.columns]
        for col in primary_key:
            table.find(col).nullable = False  # type: ignore[union-attr]
    unique = [
        UniqueConstraint(
            name=u.name, columns=[_resolve(table, r, "unique constraint") for r in u.columns]
        )
        for u in table.unique
    ]
    foreign_keys = [_foreign_key(table, fk, draft) for fk in table.foreign_keys]
    checks = []
    for check, shape, token in table.checks:
        checks.append(check)
        column = table.find(shape.column) if shape else None
        if shape and column:
            column.categories = shape.values or column.categories
            column.range = shape.range or column.range
        else:
            draft.warn(
                f"CHECK ({check.expression}) is kept but not enforced by generation: generated "
                "values may break it",
                table.name,
                line=token.line,
            )
    wh = table.warehouse
    if table.distkey_ref:
        wh.distkey = _resolve(table, table.distkey_ref, "DISTKEY")
    if table.sortkey_refs:
        wh.sortkey = [_resolve(table, r, "SORTKEY") for r in table.sortkey_refs]
    wh.cluster_by = [(c.name if (c := table.find(k)) else k) for k in wh.cluster_by]
    keys = {k.lower() for k in primary_key} if len(primary_key) == 1 else set()
    keys |= {u.columns[0].lower() for u in unique if len(u.columns) == 1}
    if not keys and not primary_key and _looks_like_own_id(table):
        keys.add(table.columns[0].name.lower())
    constrained = {c.lower() for c in primary_key}
    constrained |= {c.lower() for group in unique for c in group.columns}
    constrained |= {c.lower() for fk in foreign_keys for c in fk.columns}
    columns = [
        _column(c, table.name, c.name.lower() in keys, today, c.name.lower() in constrained)
        for c in table.columns
    ]
    return Table(
        name=table.name,
        schema_name=table.schema_name,
        columns=columns,
        primary_key=primary_key,
        unique=unique,
        foreign_keys=foreign_keys,
        checks=checks,
        warehouse=wh,
        comment=table.comment,
    )


def _looks_like_own_id(table: DraftTable) -> bool:
    """A table without keys whose first column is a NOT NULL integer named for the table
    (``userid`` in ``users``, ``catid`` in ``category``): its values are made unique."""
    first = table.columns[0]
    name = first.name.lower()
    if first.nullable or first.type.kind not in INTEGERS or not name.endswith("id"):
        return False
    stem = name[:-2].rstrip("_")
    return name == "id" or (len(stem) >= 3 and table.name.lower().startswith(stem))


def _foreign_key(table: DraftTable, fk: DraftForeignKey, draft: Draft) -> ForeignKey:
    columns = [_resolve(table, r, "foreign key") for r in fk.columns]
    label = f"table {table.name}: foreign key ({', '.join(columns)})"
    parent = draft.find(fk.table)
    if parent is None:
        raise DDLError(
            f"{label} references unknown table {fk.table}", fk.table_token.line, fk.table_token.col
        )
    if fk.ref_columns is None:
        if parent.primary_key is None:
            raise DDLError(
                f"{label} references table {parent.name} without naming its columns, and "
                f"{parent.name} has no primary key",
                fk.table_token.line,
                fk.table_token.col,
            )
        refs = [_resolve(parent, r, "primary key") for r in parent.primary_key.columns]
    else:
        refs = []
        for ref in fk.ref_columns:
            found = parent.find(ref.name)
            if found is None:
                raise DDLError(
                    f"{label} references unknown column {parent.name}.{ref.name}",
                    ref.token.line,
                    ref.token.col,
                )
            refs.append(found.name)
    if len(refs) != len(columns):
        raise DDLError(
            f"{label} has {len(columns)} column(s) but references {len(refs)} in {parent.name}",
            fk.token.line,
            fk.token.col,
        )
    return ForeignKey(
        name=fk.name, columns=columns, references_table=parent.name, references_columns=refs
    )


def _column(
    column: DraftColumn, table: str, key: bool, today: date | None, constrained: bool = False
) -> Column:
    model = Column(
        name=column.name,
        type=column.type,
        nullable=column.nullable,
        default=column.default,
        identity=column.identity,
        comment=column.comment,
        encode=column.encode,
    )
    name = snake(column.name)
    if column.categories is not None and column.identity is None:
        rule = GenerationRule(
            kind=RuleKind.CATEGORICAL,
            source=RuleSource.DDL,
            values=column.categories,
            weights=None if key else skew.weights(name, column.categories),
        )
    elif column.range is not None and column.identity is None:
        low, high = column.range
        rule = GenerationRule(
            kind=RuleKind.RANGE, source=RuleSource.DDL, min=low, max=high, unique=key
        )
        if not key and skew.is_money(name, skew.MONEY):  # prices skew low within their CHECK
            rule = skew.log_normal(rule)
    else:
        inferred = infer_rule(model, table=table, key=key, today=today, constrained=constrained)
        return model.model_copy(update={"rule": inferred})
    if column.nullable and not key and not constrained:
        rule.null_ratio = skew.null_ratio(name)
    return model.model_copy(update={"rule": rule})


def _translate(exc: ValidationError, draft: Draft) -> DDLError:
    """A contract check failed (e.g. a foreign-key cycle): the same message, with a position."""
    error = exc.errors()[0]
    original = error.get("ctx", {}).get("error")
    message = str(original) if original is not None else error["msg"]
    loc = error.get("loc", ())
    if (
        len(loc) > 1
        and loc[0] == "tables"
        and isinstance(loc[1], int)
        and loc[1] < len(draft.tables)
    ):
        table = draft.tables[loc[1]]  # a check on one table: name it and point at its CREATE
        if not re.search(rf"\b{re.escape(table.name)}\b", message):
            message = f"table {table.name}: {message}"
        return DDLError(message, table.token.line, table.token.col)
    cycle = re.search(r": (.+? -> .+?)(?: \(|$)", message)
    if cycle:
        names = cycle.group(1).split(" -> ")
        child = draft.find(names[0])
        fk = (
            next((f for f in child.foreign_keys if f.table.lower() == names[1].lower()), None)
            if child
            else None
        )
        if fk is not None:
            return DDLError(message, fk.token.line, fk.token.col)
    return DDLError(message)
