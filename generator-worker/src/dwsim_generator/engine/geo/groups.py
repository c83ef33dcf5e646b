"""A table's geo group: the columns sharing one hidden unit per row, and where it comes from.

- places: a real place per row, weighted by population (a pure function of seed, table,
  group, row), limited to the group's countries and to what its foreign keys into lookup
  tables can point at;
- entries: a group with a unique column lists each entry of its level once, in order (a
  countries table: row i is the i-th ISO country; regions, currencies alike);
- inherited (``ref``): the place of the parent row's group, through a foreign key, except
  for a share of rows (``params.independent``, and rows whose key is NULL) drawing their own.

A foreign key column with a geo rule points at the row of its unit's entry in the lookup
table it references (``GeoLink``): the customer's ``country_code`` is its city's country.
"""

from typing import TYPE_CHECKING

import numpy as np

from dwsim_generator.engine.geo.levels import FIELD_LEVEL, NAMES, Level, allowed, entries, keys
from dwsim_generator.engine.geo.levels import positions as entry_rows
from dwsim_generator.engine.geo.places import allowed_places, parse_countries, place_index
from dwsim_generator.engine.streams import mix64, name_key
from dwsim_shared.contracts.enums import GeoField, RuleKind

if TYPE_CHECKING:
    from dwsim_generator.engine.rows import Rows
    from dwsim_generator.engine.table_plan import TablePlan

_MASK64 = (1 << 64) - 1


class GeoGroup:
    def __init__(self, plan: "TablePlan", name: str | None):
        self.plan, self.name = plan, name
        table = plan.table
        self.label = f"{table.name}'s geo group" + (f" {name!r}" if name else "")
        self.what = f"group {name!r}" if name else "the table's geo group"
        members = [c for c in table.columns
                   if c.rule is not None and c.rule.kind == RuleKind.GEO and c.rule.group == name]  # fmt: skip
        fk_of = {c: fk for fk in table.foreign_keys for c in fk.columns}
        self.fks = {c.name: fk_of[c.name] for c in members if c.name in fk_of}
        self.own = [c for c in members if c.name not in fk_of]
        self.countries = self._common(members, "locale", lambda r: self._parse(r.locale),
                                      lambda r: r.locale)  # fmt: skip
        self.ref = self._common(
            members, "ref", lambda r: (r.ref, tuple(r.via or ()), r.params.get("independent", 0.0)),
            lambda r: r.ref if not r.params.get("independent") else
            f"{r.ref} (independent {r.params['independent']})",
        )  # fmt: skip
        self.enumerating = any(c.name in plan.singles for c in self.own)
        self.level = Level.PLACE
        if self.enumerating:
            self.level = min(FIELD_LEVEL[GeoField(c.rule.field)] for c in self.own)  # type: ignore[union-attr]
        self.links = {c: GeoLink(self, fk) for c, fk in self.fks.items()}
        self.limits = tuple(sorted({link.limit for link in self.links.values()}))
        self.parent: GeoGroup | None = None
        self._build()

    def error(self, message: str, column: str | None = None):  # type: ignore[no-untyped-def]
        column = column or (self.own or [self.plan.table.column(next(iter(self.fks)))])[0].name
        return self.plan.error(f"{self.label}: {message}", column)

    def _parse(self, locale):  # type: ignore[no-untyped-def]
        try:
            return parse_countries(locale)
        except ValueError as exc:
            raise self.plan.error(str(exc), self.own[0].name if self.own else None) from None

    def _common(self, columns, what: str, value, shown):  # type: ignore[no-untyped-def]
        """The one ``value`` every column of the group has for ``what`` (locale, ref)."""
        seen: dict = {}
        for column in columns:
            seen.setdefault(value(column.rule), (column.name, shown(column.rule)))
        if len(seen) > 1:
            (first, a), (second, b) = list(seen.values())[:2]
            raise self.plan.error(
                f"geo columns of {self.what} must share one {what}, but {first} has {a!r} and "
                f"{second} has {b!r}; give them the same {what} or different groups",
                second,
            )
        return next(iter(seen), None)

    def _build(self) -> None:
        salt = name_key(self.plan.seed, self.plan.table.name, "geo-place", self.name or "")
        self.salt = np.uint64(salt & _MASK64)
        if self.enumerating:
            if self.ref and self.ref[0]:
                raise self.error("a group with a unique column lists entries; it takes no ref")
            if self.level == Level.PLACE:
                raise self.error(
                    "a unique geo column lists countries, regions or currencies, each once; "
                    "a city, postcode or phone cannot be listed that way"
                )
            listed = entries(self.level, self.countries)
            self.listed = listed[allowed(listed, self.level, self.limits)]
            if self.plan.rows > len(self.listed):
                raise self.error(
                    f"it lists each {NAMES[self.level]} once: {len(self.listed)} entries, but "
                    f"{self.plan.rows} rows are requested; ask for at most {len(self.listed)}"
                )
            return
        self.subset = allowed_places(self.countries, self.limits)
        if not len(self.subset):
            raise self.error("no place lies in its countries and in the lookup rows its "
                             "foreign keys can point at")  # fmt: skip
        self.draw = place_index(self.countries, self.salt, self.limits)

    def link(self) -> None:
        """Find the parent group an inherited group takes its places from."""
        if not self.ref or not self.ref[0] or self.parent is not None:
            return
        first = (self.own or [self.plan.table.column(c) for c in self.fks])[0]
        derivation = self.plan.derivations[first.name]
        parent = self.plan.registry[derivation.parent or ""]
        source = parent.table.column(derivation.source or "")
        assert source.rule is not None
        self.fk_columns = derivation.link.columns  # type: ignore[union-attr]
        self.parent = parent.geo_group(source.rule.group)
        self.share = float(self.ref[2])
        self.coin = np.uint64(name_key(self.plan.seed, self.plan.table.name, "geo-own",
                                       self.name or "") & _MASK64)  # fmt: skip
        if self.parent.level != Level.PLACE:
            raise self.error(f"it takes its places from {self.parent.label}, which lists "
                             "entries; point a foreign key at that table instead")  # fmt: skip
        theirs = self.parent.places_allowed()
        if not np.isin(theirs, self.subset).all():
            raise self.error(
                f"it takes its places from {self.parent.label}, whose places are not all among "
                f"its own (locale {self.countries and ','.join(self.countries)!r}, and the "
                "lookup rows its foreign keys can point at); drop its locale or its ref"
            )

    def places_allowed(self) -> np.ndarray:
        return self.subset

    def units_at(self, index: np.ndarray) -> np.ndarray:
        """The unit of each row by index alone (groups that inherit nothing)."""
        if self.enumerating:
            return self.listed[index]
        return self.draw(index)

    def units(self, rows: "Rows") -> np.ndarray:
        """The unit (a place, or an entry of the group's level) of each of ``rows``."""
        if self.parent is None:
            return rows.remember(("geo", self.name), lambda: self.units_at(rows.index))
        return rows.remember(("geo", self.name), lambda: self._inherited(rows))

    def _inherited(self, rows: "Rows") -> np.ndarray:
        from dwsim_generator.engine.rows import Rows

        assert self.parent is not None
        plan = self.plan
        parent_rows = plan.parent_rows(rows, self.fk_columns)
        units = self.parent.units(Rows(self.parent.plan, index=parent_rows))
        own = plan.by_column[self.fk_columns[0]]
        alone = own.null_rows(rows) if hasattr(own, "null_rows") else None
        if self.share > 0:
            top = min(int(self.share * 2.0**64), _MASK64)
            coin = mix64(rows.index, self.coin) < np.uint64(top)
            alone = coin if alone is None else alone | coin
        if alone is not None and alone.any():  # NULL keys and the independent share
            units = np.where(alone, self.draw(rows.index), units)
        return units


class GeoLink:
    """A foreign key with a geo rule: its parent row is the one listing its group's entry."""

    def __init__(self, group: GeoGroup, fk):  # type: ignore[no-untyped-def]
        self.group, self.fk, self.plan = group, fk, group.plan
        column = fk.columns[0]
        if len(fk.columns) != 1:
            raise group.error("a foreign key with a geo rule has one column", column)
        parent = self.plan.registry[_canonical(self.plan, fk.references_table)]
        listing = [g for g in parent.geo_groups() if g.enumerating]
        if len(listing) != 1:
            raise group.error(
                f"foreign key ({column}) has a geo rule, so it points at the row listing its "
                f"place's entry in {parent.table.name}; but {parent.table.name} has "
                f"{len(listing)} geo groups with a unique column, not one",
                column,
            )
        self.target = listing[0]
        rule = self.plan.table.column(column).rule
        assert rule is not None
        level = FIELD_LEVEL[GeoField(rule.field)]
        if level != self.target.level:
            raise group.error(
                f"foreign key ({column}) holds a {NAMES[level]} ({rule.field}), but "
                f"{parent.table.name} lists {NAMES[self.target.level]} entries",
                column,
            )
        listed = tuple(self.target.listed[: self.target.plan.rows].tolist())
        self.limit = (int(level), listed)
        self.rows = entry_rows(level, listed)
        if self.group.level > self.target.level:
            raise self.group.error(
                f"a {NAMES[self.group.level]} list cannot point at a "
                f"{NAMES[self.target.level]} row", self.fk.columns[0]
            )  # fmt: skip

    def __call__(self, rows: "Rows") -> np.ndarray:
        """The parent row of each of ``rows``: the lookup row of its unit's entry."""
        key = keys(self.group.units(rows), self.group.level, self.target.level)
        return self.rows[key]


def _canonical(plan: "TablePlan", name: str) -> str:
    return next(t.name for t in plan.experiment.tables if t.name.lower() == name.lower())
