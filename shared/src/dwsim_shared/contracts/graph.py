"""The foreign-key graph: reference checks, cycle detection and parents-first ordering."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from dwsim_shared.contracts.schema import Experiment, ForeignKey, Table


class SchemaGraphError(ValueError):
    pass


def fk_is_nullable(table: "Table", fk: "ForeignKey") -> bool:
    """A foreign key can be left NULL when every one of its columns is nullable."""
    return all(table.column(c).nullable for c in fk.columns)


def check_references(experiment: "Experiment") -> None:
    """Raise if a foreign key names an unknown table or column, or if a cycle has no nullable edge."""
    by_name = {}
    for table in experiment.tables:
        if table.name.lower() in by_name:
            raise SchemaGraphError(f"table {table.name} is declared twice")
        by_name[table.name.lower()] = table
    for table in experiment.tables:
        for fk in table.foreign_keys:
            parent = by_name.get(fk.references_table.lower())
            if parent is None:
                raise SchemaGraphError(
                    f"table {table.name}: foreign key ({', '.join(fk.columns)}) references "
                    f"unknown table {fk.references_table}"
                )
            parent_cols = {c.name.lower(): c.name for c in parent.columns}
            for col in fk.references_columns:
                if col.lower() not in parent_cols:
                    raise SchemaGraphError(
                        f"table {table.name}: foreign key ({', '.join(fk.columns)}) references "
                        f"unknown column {parent.name}.{col}"
                    )
    load_order(experiment)


def _resolve(experiment: "Experiment", name: str) -> "Table":
    for table in experiment.tables:
        if table.name.lower() == name.lower():
            return table
    raise SchemaGraphError(f"unknown table {name}")


def parents(experiment: "Experiment", table: "Table", *, required_only: bool) -> list[str]:
    """Names of the tables ``table`` references (self-references excluded)."""
    out: list[str] = []
    for fk in table.foreign_keys:
        parent = _resolve(experiment, fk.references_table)
        if parent.name == table.name or parent.name in out:
            continue
        if required_only and fk_is_nullable(table, fk):
            continue
        out.append(parent.name)
    return out


def load_order(experiment: "Experiment") -> list[str]:
    """Table names, parents before children; cycles are broken at nullable foreign keys.

    Raises ``SchemaGraphError`` naming the tables of a cycle whose foreign keys are all NOT NULL.
    """
    required = {t.name: parents(experiment, t, required_only=True) for t in experiment.tables}
    every = {t.name: parents(experiment, t, required_only=False) for t in experiment.tables}
    _raise_on_cycle(required)
    order: list[str] = []
    done: set[str] = set()
    pending = [t.name for t in experiment.tables]
    while pending:
        # Prefer a table whose every parent (nullable edges included) is placed; else only the
        # NOT NULL parents, which breaks a cycle at its nullable edge.
        pick = next((n for n in pending if all(p in done for p in every[n])), None)
        if pick is None:
            pick = next(n for n in pending if all(p in done for p in required[n]))
        order.append(pick)
        done.add(pick)
        pending.remove(pick)
    return order


def _raise_on_cycle(edges: dict[str, list[str]]) -> None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in edges.get(node, []):
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt]
                raise SchemaGraphError(
                    "foreign-key cycle with no nullable foreign key to break it: "
                    + " -> ".join(cycle)
                    + " (make one of these foreign-key columns nullable)"
                )
            if state.get(nxt) is None:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in edges:
        if state.get(node) is None:
            visit(node)
