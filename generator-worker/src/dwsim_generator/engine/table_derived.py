"""What a table's plan does for its derived columns: resolve them, lay out the foreign keys
aggregates read, link each to the producers it reads, and read parent rows for them."""

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from dwsim_generator.engine.columns import ColumnContext
from dwsim_generator.engine.derived import Derived
from dwsim_generator.engine.errors import GenerationError
from dwsim_generator.engine.producers import ForeignKey as ForeignKeyProducer
from dwsim_generator.engine.producers import Grid, NullColumns
from dwsim_generator.engine.rows import Rows
from dwsim_shared.contracts.derived import Derivation, DerivedRuleError, is_derived, resolve
from dwsim_shared.contracts.enums import RuleKind
from dwsim_shared.contracts.schema import Column, ForeignKey, Table

if TYPE_CHECKING:
    from dwsim_generator.engine.table_plan import TablePlan


class DerivedColumns:
    """Mixed into ``TablePlan``."""

    def _resolve(self: "TablePlan", table: Table, column: Column) -> Derivation:
        try:
            return resolve(self.experiment, table, column)
        except DerivedRuleError as exc:
            raise GenerationError(str(exc)) from None

    def _derivations(self: "TablePlan") -> dict[str, Derivation]:
        return {c.name: self._resolve(self.table, c) for c in self.table.columns if is_derived(c)}

    def _aggregated(self: "TablePlan") -> list[tuple[str, ...]]:
        """This table's foreign keys a parent aggregates over: laid out parent by parent."""
        return [
            tuple(d.link.columns)
            for other in self.experiment.tables
            for c in other.columns
            if c.rule is not None and c.rule.kind == RuleKind.AGGREGATE
            for d in [self._resolve(other, c)]
            if d.child == self.table.name and d.link is not None
        ]

    def link(self: "TablePlan") -> None:
        """Resolve what derived columns read (every table is built); refuse what cannot be."""
        for group in self.geo_groups():  # groups taking their places from a parent's
            group.link()
        derived = [p for p in self.producers if isinstance(p, Derived)]
        for producer in derived:
            producer.link()
        for producer in derived:
            if not producer.ctx.column.nullable and producer.may_be_null():
                raise self.error(
                    "is NOT NULL, but its rule reads values that can be NULL; give the columns "
                    "it reads no null_ratio, or use coalesce(...)",
                    producer.ctx.column.name,
                )
        self.has_derived = bool(derived)

    def may_be_null(self: "TablePlan", column: str) -> bool:
        producer = self.by_column[column]
        if isinstance(producer, Derived):
            return producer.may_be_null()
        if isinstance(producer, NullColumns):
            return True
        if isinstance(producer, ForeignKeyProducer):
            position = producer.position
            return producer.null_ratio > 0 and (position is None or position.column.name != column)
        return getattr(producer, "null_ratio", 0.0) > 0

    def check_link(self: "TablePlan", fk: ForeignKey | None, ctx: ColumnContext) -> None:
        """A derived column reads its parent row through ``fk``: the parent must have rows."""
        assert fk is not None
        if isinstance(self.by_column.get(fk.columns[0]), NullColumns) and self.rows:
            raise ctx.error(
                f"reads {fk.references_table} through ({', '.join(fk.columns)}), but "
                f"{fk.references_table} has 0 rows"
            )

    def parent_rows(self: "TablePlan", rows: Rows, fk_columns: list[str]) -> np.ndarray:
        """The parent row index each of ``rows`` has through the foreign key ``fk_columns``."""
        producer = self.by_column[fk_columns[0]]
        if isinstance(producer, Grid):
            return producer.parent_index(rows, 0 if fk_columns[0] in producer.sides[0] else 1)[0]
        assert isinstance(producer, ForeignKeyProducer)
        return producer.parent_index(rows)[0]

    def fit_text(self: "TablePlan", column: Column, array: pa.Array) -> pa.Array:
        from dwsim_generator.engine.table_plan import _fit

        return _fit(column, array, self.measure)
