"""One table's plan: which producer makes each column, with every impossible request refused.

Keys are decided here: foreign keys laid out parent by parent (fan-out), one-to-one, drawn at
random or mapped onto a grid of two parents; unique columns and tuples built from the index.
"""

from dataclasses import replace

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dwsim_generator.engine.arrow_types import INTEGER_BOUNDS, INTEGER_KINDS, arrow_schema
from dwsim_generator.engine.columns import ColumnContext, Maker, build_maker, default_rule
from dwsim_generator.engine.columns.geo import GeoValues
from dwsim_generator.engine.derived import PRODUCERS as DERIVED
from dwsim_generator.engine.derived import Derived
from dwsim_generator.engine.errors import GenerationError
from dwsim_generator.engine.fanout import Fanout, fanout_ends, fanout_problem
from dwsim_generator.engine.keys import tuple_capacities
from dwsim_generator.engine.pinned import pinned_parents
from dwsim_generator.engine.producers import (
    ForeignKey as ForeignKeyProducer,
)
from dwsim_generator.engine.producers import (
    Grid,
    KeyColumn,
    NullColumns,
    ParentKeys,
    Producer,
    RandomColumn,
    TupleKey,
)
from dwsim_generator.engine.rows import Rows
from dwsim_generator.engine.streams import name_key
from dwsim_generator.engine.table_derived import DerivedColumns
from dwsim_generator.engine.table_geo import GeoColumns, InheritedGeo
from dwsim_generator.engine.writer import encoded
from dwsim_shared.contracts.enums import Distribution, RuleKind, RuleSource, TypeKind, Warehouse
from dwsim_shared.contracts.graph import fk_is_nullable
from dwsim_shared.contracts.rules import GenerationRule
from dwsim_shared.contracts.schema import Column, Experiment, ForeignKey, Table
from dwsim_shared.warehouses.profiles import PROFILES, LengthUnit

# How ``_fit`` measures a string array, in the unit the warehouse counts lengths in.
_MEASURE = {LengthUnit.BYTES: pc.binary_length, LengthUnit.CHARACTERS: pc.utf8_length}


DERIVED = {**DERIVED, "geo": InheritedGeo}


class TablePlan(DerivedColumns, GeoColumns):
    def __init__(
        self,
        experiment: Experiment,
        table: Table,
        seed: int,
        rows: dict[str, int],
        referenced: list[tuple[str, ...]],
        registry: dict[str, "TablePlan"],
    ):
        self.experiment, self.table, self.seed = experiment, table, seed
        self.rows, self.all_rows = rows[table.name], rows
        self.referenced, self.registry = referenced, registry
        self.schema = arrow_schema(table)
        self.warehouse = experiment.warehouse or Warehouse.REDSHIFT
        self.measure = _MEASURE[PROFILES[self.warehouse].text_length_unit]
        self.producers: list[Producer] = []
        self.by_column: dict[str, Producer] = {}
        self.makers: list[Maker] = []
        self.has_derived = False
        self.singles: list[str] = []  # columns unique alone (a geo group with one lists entries)
        self.derivations = self._derivations()
        self.aggregated = self._aggregated()

    # -- building -----------------------------------------------------------------------------
    def error(self, message: str, column: str | None = None) -> GenerationError:
        return GenerationError(message, self.table.name, column)

    def _rule(self, column: Column, unique: bool = False) -> GenerationRule:
        if column.rule is not None:
            return column.rule
        if column.identity is not None:
            return GenerationRule(
                kind=RuleKind.SEQUENCE, start=column.identity.seed, step=column.identity.step
            )
        if unique and column.type.kind in INTEGER_KINDS:  # unique integers without a rule
            return GenerationRule(kind=RuleKind.SEQUENCE, start=1, step=1)
        return default_rule(column.type.kind)

    def _ctx(self, column: Column, unique: bool = False) -> ColumnContext:
        rule = self._rule(column, unique)
        if rule.null_ratio > 0 and not column.nullable:
            raise self.error(
                f"null_ratio {rule.null_ratio} is set on a NOT NULL column", column.name
            )
        return ColumnContext(self.table, column, rule, self.rows, self.seed, self.warehouse, unique)

    def _unique_sets(self) -> tuple[list[str], list[tuple[str, ...]]]:
        groups = [tuple(self.table.primary_key)] if self.table.primary_key else []
        groups += [tuple(u.columns) for u in self.table.unique]
        groups += list(self.referenced)
        groups += [(c.name,) for c in self.table.columns if c.rule is not None and c.rule.unique]
        singles: list[str] = []
        tuples: list[tuple[str, ...]] = []
        for group in groups:
            if len(group) == 1 and group[0] not in singles:
                singles.append(group[0])
            elif len(group) > 1 and group not in tuples:
                tuples.append(group)
        return singles, tuples

    def _keyed_maker(self, ctx: ColumnContext) -> Maker:
        maker = self._maker(ctx)
        if maker.capacity() < self.rows and ctx.rule.source == RuleSource.INFERRED:
            # A guessed rule too narrow for a key: number integers, code strings instead.
            fallback = _KEY_FALLBACK.get(ctx.column.type.kind)
            if fallback is not None:
                wider = replace(ctx, rule=fallback.model_copy(update={"unique": True}))
                candidate = build_maker(wider)
                if candidate.capacity() >= self.rows:
                    self.makers.append(candidate)
                    ctx.rule, maker = wider.rule, candidate
        if maker.capacity() == 0:
            raise self.error(
                f"a {ctx.rule.kind.value} rule cannot make unique {ctx.column.type.raw} values; "
                "use a sequence, range, pattern or text rule",
                ctx.column.name,
            )
        if maker.capacity() < self.rows:
            why = ""
            if any(ctx.column.name in group for group in self.referenced):
                why = " (a foreign key references this column, so its values must be unique)"
            raise self.error(
                f"unique values for {self.rows} rows were requested, but a {ctx.rule.kind.value} "
                f"rule on {ctx.column.type.raw} can make only {maker.capacity()} distinct values"
                + why,
                ctx.column.name,
            )
        return maker

    def _maker(self, ctx: ColumnContext) -> Maker:
        if ctx.rule.kind == RuleKind.GEO:
            maker: Maker = GeoValues(ctx, self.geo_group(ctx.rule.group))
        else:
            maker = build_maker(ctx)
        self.makers.append(maker)
        return maker

    def _add(self, producer: Producer) -> None:
        self.producers.append(producer)
        for name in producer.columns:
            self.by_column[name] = producer

    def build(self) -> None:
        singles, tuples = self._unique_sets()
        self.singles = singles
        referenced_cols = {c for group in self.referenced for c in group}
        satisfied = self._plan_foreign_keys(singles, tuples)
        for group in tuples:
            if group in satisfied or any(c in singles for c in group):
                continue
            self._plan_tuple(group, singles)
        for name in singles:
            if name not in self.by_column and name not in self.derivations:
                ctx = self._ctx(self.table.column(name), unique=True)
                ratio = 0.0 if name in referenced_cols else ctx.rule.null_ratio
                self._add(KeyColumn(ctx, self._keyed_maker(ctx), ratio))
        for column in self.table.columns:
            if column.name in self.by_column:
                continue
            derivation = self.derivations.get(column.name)
            if derivation is not None:
                ctx = self._ctx(column, unique=column.name in singles)
                self._add(DERIVED[derivation.kind.value](ctx, self, derivation))
                continue
            ctx = self._ctx(column)
            maker = self._maker(ctx)
            if maker.sequential:
                self._add(KeyColumn(ctx, maker, ctx.rule.null_ratio))
            else:
                self._add(RandomColumn(ctx, maker, ctx.rule.null_ratio))

    def _plan_tuple(self, group: tuple[str, ...], singles: list[str]) -> None:
        free = [c for c in group if c not in self.by_column]
        label = f"({', '.join(group)})"
        if not free:
            raise self.error(
                f"composite key {label} is made only of foreign keys drawn at random; "
                "make it the table's fan-out key plus one numbering column, or two foreign keys"
            )
        ctxs = [self._ctx(self.table.column(c), unique=True) for c in free]
        makers = [self._maker(ctx) for ctx in ctxs]
        capacities = [m.capacity() for m in makers]
        best = int(np.argmax(capacities))
        if capacities[best] >= self.rows:
            singles.append(free[best])
            return
        radices = tuple_capacities(capacities)
        total = int(np.prod(radices, dtype=object))
        if total < self.rows:
            raise self.error(
                f"composite key {label} can take only {total} distinct values but "
                f"{self.rows} rows are requested",
                free[0],
            )
        self._add(TupleKey(ctxs, makers, radices))

    # -- foreign keys -------------------------------------------------------------------------
    def _parent(self, fk: ForeignKey) -> tuple["TablePlan", list[str]]:
        parent = self.registry[canonical_table(self.experiment, fk.references_table)]
        names = {c.name.lower(): c.name for c in parent.table.columns}
        return parent, [names[c.lower()] for c in fk.references_columns]

    def _fk_null_ratio(self, fk: ForeignKey, label: str) -> float:
        first_rule = self.table.column(fk.columns[0]).rule
        ratio = (
            fk.null_ratio
            if fk.null_ratio is not None
            else (first_rule.null_ratio if first_rule else 0.0)
        )
        if ratio > 0 and not fk_is_nullable(self.table, fk):
            raise self.error(f"foreign key {label} has a null ratio but its columns are NOT NULL")
        return ratio

    def _plan_foreign_keys(self, singles: list[str], tuples: list[tuple[str, ...]]) -> list:
        satisfied: list[tuple[str, ...]] = []
        # a foreign key a parent aggregates over is laid out first (its children contiguous)
        fks = sorted(
            self.table.foreign_keys, key=lambda fk: tuple(fk.columns) not in self.aggregated
        )
        done: set[int] = set()
        for group in tuples:  # a key made of exactly two foreign keys: the grid
            for i, first in enumerate(fks):
                for j, second in enumerate(fks[i + 1 :], start=i + 1):
                    cols = set(first.columns) | set(second.columns)
                    if i in done or j in done or set(group) != cols:
                        continue
                    self._plan_grid(first, second, group)
                    done.update((i, j))
                    satisfied.append(group)
        laid_out = False
        for i, fk in enumerate(fks):
            if i in done:
                continue
            position = None
            for group in tuples:
                extra = [c for c in group if c not in fk.columns]
                if set(fk.columns) < set(group) and len(extra) == 1 and not laid_out:
                    position = extra[0]
                    satisfied.append(group)
                    break
            one_to_one = (len(fk.columns) == 1 and fk.columns[0] in singles) or tuple(
                fk.columns
            ) in tuples
            if one_to_one:
                satisfied.append(tuple(fk.columns))
            layout = "one_to_one" if one_to_one else "random"
            wanted = fk.fanout or tuple(fk.columns) in self.aggregated
            if not one_to_one and (position is not None or (wanted and not laid_out)):
                layout, laid_out = "fanout", True
            self._plan_fk(fk, layout, position)
        return satisfied

    def _plan_fk(self, fk: ForeignKey, layout: str, position: str | None) -> None:
        label = f"({', '.join(fk.columns)})"
        ctxs = [self._ctx(self.table.column(c)) for c in fk.columns]
        parent, ref_cols = self._parent(fk)
        parents = self.all_rows[parent.table.name]
        ratio = self._fk_null_ratio(fk, label)
        if self.rows and parents == 0:
            if fk_is_nullable(self.table, fk):
                self._add(NullColumns(ctxs))
                return
            raise self.error(
                f"foreign key {label} references {parent.table.name}, which has 0 rows; "
                f"give {parent.table.name} rows or make the foreign key nullable"
            )
        if layout == "one_to_one" and self.rows > parents:
            raise self.error(
                f"unique foreign key {label} needs a distinct parent per row: {self.rows} rows "
                f"but {parent.table.name} has {parents}"
            )
        keys = ParentKeys(parent, ref_cols, ctxs)
        geo = self.geo_link(fk, layout)
        if geo is not None:  # the lookup row of the row's place (its country, region...)
            self._add(ForeignKeyProducer(ctxs, keys, parents, "geo", ratio, geo=geo))
            return
        fanout = None  # uniform random draws need no counts
        if layout == "fanout" or (layout == "random" and fk.fanout is not None):
            pinned = pinned_parents(fk, parent, ref_cols, parents, self.seed, self.table.name)
            fanout = self._fanout(fk, label, parents, pinned)
        pos_ctx = None
        if position is not None:
            pos_ctx = self._position(position, label, fanout)
        self._add(ForeignKeyProducer(ctxs, keys, parents, layout, ratio, fanout, pos_ctx))

    def _fanout(
        self, fk: ForeignKey, label: str, parents: int, pinned: tuple = ()
    ) -> Fanout | None:
        spec = fk.fanout
        if parents == 0:  # no parent, so no child either (checked before)
            return Fanout(np.zeros(0, dtype=np.int64))
        if spec is None or self.rows == 0:
            return Fanout(fanout_ends(0, self.rows, parents, Distribution.UNIFORM, ()))
        issue = fanout_problem(spec.distribution, spec.params)
        if issue:
            raise self.error(f"foreign key {label} fan-out: {issue}")
        key = name_key(self.seed, self.table.name, "fanout", *fk.columns)
        params = tuple(sorted(spec.params.items()))
        bounds = tuple(spec.bounds or ())
        return Fanout(
            fanout_ends(key, self.rows, parents, spec.distribution, params, bounds, pinned)
        )

    def _position(self, name: str, label: str, fanout: Fanout | None) -> ColumnContext:
        column = self.table.column(name)
        if column.type.kind not in INTEGER_KINDS:
            raise self.error(
                f"composite key {label} + {name}: {name} numbers the children of each parent, "
                f"so it must be an integer column (it is {column.type.raw})",
                name,
            )
        most = fanout.children_bound() if fanout is not None and self.rows else 0
        if most > INTEGER_BOUNDS[column.type.kind][1]:  # maybe: count exactly
            most = fanout.max_children()
        if most > INTEGER_BOUNDS[column.type.kind][1]:
            raise self.error(f"a parent gets {most} children, beyond {column.type.raw}", name)
        return self._ctx(column, unique=True)

    def _plan_grid(self, first: ForeignKey, second: ForeignKey, group: tuple[str, ...]) -> None:
        label = f"({', '.join(group)})"
        sides = []
        for fk in (first, second):
            parent, ref_cols = self._parent(fk)
            ctxs = [self._ctx(self.table.column(c)) for c in fk.columns]
            size = self.all_rows[parent.table.name]
            sides.append((ParentKeys(parent, ref_cols, ctxs), size, ctxs))
        (keys_a, size_a, ctxs_a), (keys_b, size_b, ctxs_b) = sides
        if self.rows > size_a * size_b:
            raise self.error(
                f"{self.rows} rows of unique {label} need at most {size_a} x {size_b} = "
                f"{size_a * size_b} rows (one per pair of parents)"
            )
        salt = np.uint64(name_key(self.seed, self.table.name, "grid") & 0xFFFFFFFFFFFFFFFF)
        self._add(Grid(keys_a, keys_b, (size_a, size_b), (ctxs_a, ctxs_b), salt))

    # -- generating -----------------------------------------------------------------------------
    def values_at(self, columns: list[str], rows: np.ndarray) -> dict[str, pa.Array]:
        """Any columns at any rows (a child's foreign keys and lookups read these)."""
        at = Rows(self, index=rows)
        return {name: at.column(name) for name in columns}

    def check_keys(self) -> None:
        """Make the first row's foreign keys (proves each can read its parent's keys) and
        derived columns."""
        for producer in self.producers:
            if (producer.reads_parents or isinstance(producer, Derived)) and self.rows > 0:
                producer.chunk(0, 1)

    def chunk(self, start: int, end: int) -> pa.Table:
        if self.has_derived:  # columns read each other: made on demand, each once
            rows = Rows(self, start, end)
            arrays = {c.name: rows.column(c.name) for c in self.table.columns}
        else:
            arrays = {}
            for producer in self.producers:
                arrays.update(producer.chunk(start, end))
        columns = [_fit(c, arrays[c.name], self.measure) for c in self.table.columns]
        # Pool-drawn columns are dictionary arrays (the Parquet logical type is still the
        # declared one); the fields carry how the writer encodes each column.
        fields = [
            field.with_type(array.type) if pa.types.is_dictionary(array.type) else field
            for field, array in zip(encoded(self.schema, self.producers), columns, strict=True)
        ]
        return pa.Table.from_arrays(columns, schema=pa.schema(fields))


_SEQUENCE = GenerationRule(kind=RuleKind.SEQUENCE, start=1, step=1)
_CODES = GenerationRule(kind=RuleKind.TEXT)
_KEY_FALLBACK = {
    **dict.fromkeys((*INTEGER_KINDS, TypeKind.DECIMAL), _SEQUENCE),
    **dict.fromkeys((TypeKind.CHAR, TypeKind.VARCHAR, TypeKind.TEXT), _CODES),
}


def canonical_table(experiment: Experiment, name: str) -> str:
    return next(t.name for t in experiment.tables if t.name.lower() == name.lower())


def _fit(column: Column, array, measure):
    """Last guard on CHAR/VARCHAR lengths: cut any value beyond the declared length (as
    ``measure`` counts it: bytes or characters, per the warehouse's profile)."""
    limit = column.type.length if column.type.kind.value in ("char", "varchar") else None
    if limit is None or len(array) == 0 or not pa.types.is_string(array.type):  # pools are cut
        return array
    longest = pc.max(measure(array)).as_py()
    if longest is None or longest <= limit:
        return array
    return pc.utf8_slice_codeunits(array, 0, limit)
