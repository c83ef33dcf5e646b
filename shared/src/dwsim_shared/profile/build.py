"""``dwsim profile``: a database's own statistics written into an experiment's rules.

The schema comes from the catalog (through DDL import, so types, keys and the rules statistics
do not cover are inferred as ``dwsim schema import`` does) or from an experiment given; then
row counts, ``pg_stats`` and the measured fan-out of each foreign key override its sizes and
rules. No table row leaves the database: only catalog rows, statistics and counts.
"""

from dataclasses import dataclass, field

from dwsim_shared.contracts.enums import Dialect, RuleSource, Warehouse
from dwsim_shared.contracts.schema import Experiment, ForeignKey, SchemaWarning, Table
from dwsim_shared.ddl import import_ddl
from dwsim_shared.profile.catalog import (
    CatalogKey,
    CatalogTable,
    enum_labels,
    read_catalog,
    to_ddl,
)
from dwsim_shared.profile.column_rules import profile_rule
from dwsim_shared.profile.connection import ProfileError, Session, connect
from dwsim_shared.profile.fanouts import profile_fanout
from dwsim_shared.profile.stats import (
    ColumnStats,
    check_analyzed,
    fanout_counts,
    read_stats,
    row_counts,
)


@dataclass
class ProfileResult:
    experiment: Experiment
    rows: dict[str, int] = field(default_factory=dict)  # per profiled table
    columns: int = 0  # columns whose rule was written from statistics


@dataclass
class _Source:
    """What was read from the database, by table name as the experiment spells it."""

    schema: str
    session: Session
    db: dict[str, CatalogTable]  # experiment table name -> catalog table
    rows: dict[str, int]
    stats: dict[str, dict[str, ColumnStats]]
    notes: list[SchemaWarning]


def _lower(names: dict[str, object]) -> dict[str, str]:
    return {n.lower(): n for n in names}


def profile_database(
    dsn: str,
    *,
    schema: str | None = None,
    tables: list[str] | None = None,
    base: Experiment | None = None,
    name: str | None = None,
    warehouse: Warehouse | None = None,
    estimate_rows: bool = False,
) -> ProfileResult:
    """Profile ``schema`` (default: the session's current schema) into an experiment."""
    with connect(dsn) as session:
        database, current = session.rows("SELECT current_database(), current_schema()")[0]
        schema = schema or current or "public"
        found, warnings = read_catalog(session, schema, tables)
        notes = [SchemaWarning(message=w) for w in warnings]
        if base is None:
            ddl = to_ddl(found, enum_labels(session, found))
            default = schema if schema != "public" else database
            base = import_ddl(ddl, dialect=Dialect.POSTGRES, name=name or default,
                              warehouse=warehouse or Warehouse.REDSHIFT)  # fmt: skip
        else:
            given = {"name": name, "warehouse": warehouse}
            base = base.model_copy(update={k: v for k, v in given.items() if v})
        db = _match(base, found, schema, notes)
        rows = row_counts(session, schema, list(db.values()), estimate_rows)
        stats = read_stats(session, schema, list(db.values()))
        check_analyzed(stats, rows, schema)
        source = _Source(schema, session, db, {n: rows[t.name] for n, t in db.items()},
                         {n: stats[t.name] for n, t in db.items()}, notes)  # fmt: skip
        out = [_table(t, base, source) if t.name in db else t for t in base.tables]
    data = base.model_dump(mode="json", exclude_none=True)
    data["tables"] = [t.model_dump(mode="json", exclude_none=True) for t in out]
    data["warnings"] = [w.model_dump(mode="json", exclude_none=True)
                        for w in [*base.warnings, *notes]]  # fmt: skip
    experiment = Experiment.model_validate(data)
    written = sum(
        1 for t in experiment.tables if t.name in db
        for c in t.columns if c.rule is not None and c.rule.source == RuleSource.PROFILED
    )  # fmt: skip
    return ProfileResult(experiment, source.rows, written)


def _match(
    base: Experiment, found: list[CatalogTable], schema: str, notes: list[SchemaWarning]
) -> dict[str, CatalogTable]:
    """The experiment's tables found in the database, by the experiment's name for them."""
    by_lower = {t.name.lower(): t for t in found}
    db = {}
    for table in base.tables:
        match = by_lower.get(table.name.lower())
        if match is None:
            notes.append(SchemaWarning(table=table.name, message=(
                f"not in schema {schema} (or not among --tables): kept as it was")))  # fmt: skip
        else:
            db[table.name] = match
    if not db:
        raise ProfileError(
            f"none of the experiment's tables ({', '.join(t.name for t in base.tables)}) is "
            f"in schema {schema}"
        )
    return db


def _key_columns(table: Table, experiment: Experiment) -> tuple[set[str], set[str]]:
    """(columns unique on their own: one-column keys and referenced columns, columns of any
    key or referenced group)."""
    groups = [table.primary_key] + [u.columns for u in table.unique]
    for other in experiment.tables:
        for fk in other.foreign_keys:
            if fk.references_table.lower() == table.name.lower():
                groups.append(fk.references_columns)
    names = _lower({c.name: c for c in table.columns})
    single = {names[g[0].lower()] for g in groups if len(g) == 1 and g[0].lower() in names}
    members = {names[c.lower()] for g in groups for c in g if c.lower() in names}
    return single, members


def _table(table: Table, experiment: Experiment, source: _Source) -> Table:
    rows = source.rows[table.name]
    stats = {k.lower(): v for k, v in source.stats[table.name].items()}
    unique, keyed = _key_columns(table, experiment)
    foreign = {c for fk in table.foreign_keys for c in fk.columns}
    columns = []
    for column in table.columns:
        found = stats.get(column.name.lower())
        if found is None:
            if rows > 0:
                source.notes.append(SchemaWarning(table=table.name, column=column.name, message=(
                    "no statistics for this column (statistics turned off, or added after "
                    "the last ANALYZE): its rule is kept")))  # fmt: skip
            columns.append(column)
            continue
        rule = profile_rule(column, found, rows, unique=column.name in unique,
                            keyed=column.name in keyed, foreign=column.name in foreign)  # fmt: skip
        columns.append(column.model_copy(update={"rule": rule}))
    fks = [_foreign_key(table, fk, experiment, source, stats) for fk in table.foreign_keys]
    sizing = table.sizing
    if sizing is not None:
        per_parent = sizing.per_parent
        if source.rows.get(sizing.parent):
            per_parent = round(rows / source.rows[sizing.parent], 4)
        sizing = sizing.model_copy(update={"source": RuleSource.PROFILED, "per_parent": per_parent})
    update = {"columns": columns, "foreign_keys": fks, "rows": rows, "sizing": sizing}
    return table.model_copy(update=update)


def _foreign_key(
    table: Table, fk: ForeignKey, experiment: Experiment, source: _Source,
    stats: dict[str, ColumnStats],
) -> ForeignKey:  # fmt: skip
    parent = next((t for t in experiment.tables
                   if t.name.lower() == fk.references_table.lower()), None)  # fmt: skip
    if parent is None or parent.name not in source.db:
        return fk
    child_db, parent_db = source.db[table.name], source.db[parent.name]
    child_names = _lower({c.name: c for c in child_db.columns})
    parent_names = _lower({c.name: c for c in parent_db.columns})
    try:
        columns = [child_names[c.lower()] for c in fk.columns]
        ref_columns = [parent_names[c.lower()] for c in fk.references_columns]
    except KeyError:
        return fk
    validated = next((k.validated for k in child_db.keys
                      if k.kind == "f" and k.columns == columns), True)  # fmt: skip
    key = CatalogKey("f", columns, parent_db.name, ref_columns, validated)
    counts = fanout_counts(source.session, source.schema, child_db.name, key)
    first = stats.get(fk.columns[0].lower())
    single = len(fk.columns) == 1 and first is not None
    kind = table.column(fk.columns[0]).type.kind
    fanout = profile_fanout(counts, first if single else None, kind if single else None)
    update: dict = {"fanout": fanout or fk.fanout}
    if first is not None and all(table.column(c).nullable for c in fk.columns):
        update["null_ratio"] = round(first.null_frac, 6)
    if counts.orphans:
        label = f"({', '.join(fk.columns)})"
        source.notes.append(SchemaWarning(table=table.name, message=(
            f"foreign key {label}: {counts.orphans} rows hold a key no row of {parent.name} "
            "has (the key is not validated); generated rows always reference a parent")))  # fmt: skip
    return fk.model_copy(update=update)
