"""CREATE TABLE statements for an experiment, in each warehouse's own dialect.

Rendered: column types (see ``typemap``), NOT NULL, primary, unique and foreign keys, Redshift
IDENTITY/ENCODE/DISTSTYLE/DISTKEY/SORTKEY/BACKUP and Snowflake IDENTITY/CLUSTER BY; which clause a
warehouse takes, and how, is in its profile (``profiles``). Every name is a validated, quoted
identifier and every keyword comes from a fixed list.

Left out on purpose: DEFAULT expressions and CHECK constraints (free user text that would be
pasted into SQL; loads supply every column, so neither changes the data), and the DDL's
TEMPORARY / OR REPLACE / IF NOT EXISTS / TRANSIENT flags (dw-sim owns the tables' lifecycle).
"""

from collections.abc import Callable
from dataclasses import dataclass

from dwsim_shared.contracts.enums import SortKeyStyle, TypeKind, Warehouse
from dwsim_shared.contracts.graph import load_order
from dwsim_shared.contracts.schema import Column, Experiment, ForeignKey, Table
from dwsim_shared.warehouses.base import WarehouseError
from dwsim_shared.warehouses.profiles import TableOption, WarehouseProfile, profile
from dwsim_shared.warehouses.typemap import ident, render_type

IDENTITY_KINDS = {TypeKind.SMALLINT, TypeKind.INTEGER, TypeKind.BIGINT, TypeKind.DECIMAL}
SORTKEY_STYLES = {SortKeyStyle.INTERLEAVED: "INTERLEAVED ", SortKeyStyle.COMPOUND: "COMPOUND "}


@dataclass(frozen=True)
class SchemaDDL:
    """Statements that create an experiment's tables, in order.

    ``creates`` come parents first; ``foreign_keys`` add the foreign keys that point at a table
    created later (cycles), once every table exists.
    """

    creates: list[str]
    foreign_keys: list[str]

    @property
    def statements(self) -> list[str]:
        return [*self.creates, *self.foreign_keys]


def render_schema(
    experiment: Experiment, warehouse: Warehouse, prefix: str, *, foreign_keys: bool = True
) -> SchemaDDL:
    """Every table of ``experiment`` for ``warehouse``; ``prefix`` qualifies table names
    (already quoted and ending with a dot, e.g. ``"shop".``; empty for SQLite).
    ``foreign_keys=False`` leaves foreign keys out altogether."""
    order = load_order(experiment)
    inline_forward = profile(warehouse).inline_forward_foreign_keys
    created: set[str] = set()
    creates: list[str] = []
    deferred: list[str] = []
    for name in order:
        table = experiment.table(name)
        inline: list[ForeignKey] = []
        for fk in table.foreign_keys if foreign_keys else []:
            parent = experiment.table(_resolve(experiment, fk.references_table))
            if inline_forward or parent.name in created or parent.name == name:
                inline.append(fk)
            else:
                deferred.append(_alter_add_fk(experiment, table, fk, warehouse, prefix))
        creates.append(render_create_table(experiment, table, warehouse, prefix, inline))
        created.add(name)
    return SchemaDDL(creates=creates, foreign_keys=deferred)


def render_create_table(
    experiment: Experiment,
    table: Table,
    warehouse: Warehouse,
    prefix: str,
    foreign_keys: list[ForeignKey] | None = None,
) -> str:
    """One CREATE TABLE statement; ``foreign_keys`` defaults to every foreign key of the table."""
    q = _quoter(warehouse)
    parts = [_column(experiment, table, col, warehouse) for col in table.columns]
    if table.primary_key:
        parts.append(f"PRIMARY KEY ({_names(table.primary_key, warehouse)})")
    for unique in table.unique:
        parts.append(f"UNIQUE ({_names(unique.columns, warehouse)})")
    fks = table.foreign_keys if foreign_keys is None else foreign_keys
    parts.extend(_fk_clause(experiment, fk, warehouse, prefix) for fk in fks)
    body = ",\n  ".join(parts)
    suffix = _table_suffix(table, warehouse)
    return f"CREATE TABLE {prefix}{q(table.name)} (\n  {body}\n){suffix}"


def _quoter(warehouse: Warehouse):
    return lambda name: ident(name, warehouse)


def _names(columns: list[str], warehouse: Warehouse) -> str:
    return ", ".join(ident(c, warehouse) for c in columns)


def _resolve(experiment: Experiment, name: str) -> str:
    for table in experiment.tables:
        if table.name.lower() == name.lower():
            return table.name
    return name


def _column(experiment: Experiment, table: Table, col: Column, warehouse: Warehouse) -> str:
    facts = profile(warehouse)
    text = f"{ident(col.name, warehouse)} {render_type(col.type, warehouse, experiment.dialect)}"
    if col.identity is not None and col.type.kind in IDENTITY_KINDS:
        template = facts.identity.get(col.identity.kind)
        if template:
            text += " " + template.format(seed=col.identity.seed, step=col.identity.step)
    if facts.column_encodings and col.encode:
        encode = col.encode.upper()
        if encode not in facts.column_encodings:
            raise WarehouseError(
                f"column {col.name} has ENCODE {col.encode!r}; {facts.title} knows "
                + ", ".join(sorted(facts.column_encodings)),
                warehouse=warehouse,
                table=table.name,
            )
        text += f" ENCODE {encode}"
    if not col.nullable:
        text += " NOT NULL"
    return text


def _fk_clause(experiment: Experiment, fk: ForeignKey, warehouse: Warehouse, prefix: str) -> str:
    parent = experiment.table(_resolve(experiment, fk.references_table))
    refs = [parent.column(_column_name(parent, c)).name for c in fk.references_columns]
    return (
        f"FOREIGN KEY ({_names(fk.columns, warehouse)}) REFERENCES "
        f"{prefix}{ident(parent.name, warehouse)} ({_names(refs, warehouse)})"
    )


def _column_name(table: Table, name: str) -> str:
    for col in table.columns:
        if col.name.lower() == name.lower():
            return col.name
    return name


def _alter_add_fk(
    experiment: Experiment, table: Table, fk: ForeignKey, warehouse: Warehouse, prefix: str
) -> str:
    return (
        f"ALTER TABLE {prefix}{ident(table.name, warehouse)} "
        f"ADD {_fk_clause(experiment, fk, warehouse, prefix)}"
    )


def _table_suffix(table: Table, warehouse: Warehouse) -> str:
    facts = profile(warehouse)
    return "".join(_TABLE_OPTIONS[option](table, facts) for option in facts.table_options)


def _backup(table: Table, facts: WarehouseProfile) -> str:
    backup = table.warehouse.backup
    return "" if backup is None else (" BACKUP YES" if backup else " BACKUP NO")


def _diststyle(table: Table, facts: WarehouseProfile) -> str:
    if not table.warehouse.diststyle:
        return ""
    style = table.warehouse.diststyle.upper()
    if style not in facts.diststyles:
        raise WarehouseError(
            f"DISTSTYLE {table.warehouse.diststyle!r} is not one of "
            + ", ".join(sorted(facts.diststyles)),
            warehouse=facts.warehouse,
            table=table.name,
        )
    return f" DISTSTYLE {style}"


def _distkey(table: Table, facts: WarehouseProfile) -> str:
    distkey = table.warehouse.distkey
    if not distkey:
        return ""
    _check_columns(table, [distkey], "DISTKEY", facts.warehouse)
    return f" DISTKEY ({ident(distkey, facts.warehouse)})"


def _sortkey(table: Table, facts: WarehouseProfile) -> str:
    opts = table.warehouse
    if not opts.sortkey:
        return ""
    _check_columns(table, opts.sortkey, "SORTKEY", facts.warehouse)
    style = SORTKEY_STYLES.get(opts.sortkey_style, "")
    return f" {style}SORTKEY ({_names(opts.sortkey, facts.warehouse)})"


def _cluster_by(table: Table, facts: WarehouseProfile) -> str:
    columns = table.warehouse.cluster_by
    if not columns:
        return ""
    _check_columns(table, columns, "CLUSTER BY", facts.warehouse)
    return f" CLUSTER BY ({_names(columns, facts.warehouse)})"


# How each table option is written; which ones a warehouse takes is in its profile.
_TABLE_OPTIONS: dict[TableOption, Callable[[Table, WarehouseProfile], str]] = {
    TableOption.BACKUP: _backup,
    TableOption.DISTSTYLE: _diststyle,
    TableOption.DISTKEY: _distkey,
    TableOption.SORTKEY: _sortkey,
    TableOption.CLUSTER_BY: _cluster_by,
}


def _check_columns(table: Table, columns: list[str], what: str, warehouse: Warehouse) -> None:
    known = {c.name.lower() for c in table.columns}
    for col in columns:
        if col.lower() not in known:
            raise WarehouseError(
                f"{what} names unknown column {col}", warehouse=warehouse, table=table.name
            )
