"""What a table's plan does for its geo groups: build each once, give its columns their maker,
lay out a foreign key with a geo rule by its place, and make inherited groups' columns."""

from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa

from dwsim_generator.engine.arrays import with_nulls
from dwsim_generator.engine.columns.base import ColumnContext
from dwsim_generator.engine.columns.geo import GeoValues
from dwsim_generator.engine.derived import Derived
from dwsim_generator.engine.geo.groups import GeoGroup, GeoLink
from dwsim_generator.engine.producers import Arrays
from dwsim_generator.engine.rows import Rows
from dwsim_shared.contracts.derived import Derivation
from dwsim_shared.contracts.enums import RuleKind
from dwsim_shared.contracts.schema import ForeignKey

if TYPE_CHECKING:
    from dwsim_generator.engine.table_plan import TablePlan


class GeoColumns:
    """Mixed into ``TablePlan``."""

    def geo_group(self: "TablePlan", name: str | None) -> GeoGroup:
        groups = self.__dict__.setdefault("_geo_groups", {})
        if name not in groups:
            groups[name] = GeoGroup(self, name)
        return groups[name]

    def geo_groups(self: "TablePlan") -> list[GeoGroup]:
        names = dict.fromkeys(c.rule.group for c in self.table.columns
                              if c.rule is not None and c.rule.kind == RuleKind.GEO)  # fmt: skip
        return [self.geo_group(name) for name in names]

    def geo_link(self: "TablePlan", fk: ForeignKey, layout: str) -> GeoLink | None:
        """The place-driven parent of a foreign key whose column has a geo rule (or None)."""
        rule = self.table.column(fk.columns[0]).rule
        if rule is None or rule.kind != RuleKind.GEO:
            return None
        label = f"({', '.join(fk.columns)})"
        if layout == "one_to_one" or fk.fanout is not None:
            why = "is unique" if layout == "one_to_one" else "has a fanout"
            raise self.error(
                f"foreign key {label} has a geo rule (its parent is the lookup row of the row's "
                f"place) but {why}; drop one of the two",
                fk.columns[0],
            )
        return self.geo_group(rule.group).links[fk.columns[0]]


class InheritedGeo(Derived):
    """A geo column of a group taking its places from its parent row's group (``ref``)."""

    def __init__(self, ctx: ColumnContext, plan: "TablePlan", derivation: Derivation):
        super().__init__(ctx, plan, derivation)
        self.numeric = False  # made whole below, numbers (an integer ZIP) included
        self.group = plan.geo_group(ctx.rule.group)
        self.maker = GeoValues(ctx, self.group)

    def link(self) -> None:
        self.plan.check_link(self.derivation.link, self.ctx)
        self.group.link()

    def compute(self, rows: Rows) -> pa.Array:
        return self.maker.values(rows.index.astype(np.int64), self.group.units(rows))

    def produce(self, rows: Rows) -> Arrays:
        return {self.ctx.column.name: with_nulls(self.compute(rows), self.own_nulls(rows))}
