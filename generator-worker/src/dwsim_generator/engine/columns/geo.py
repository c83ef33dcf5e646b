"""Geo columns: city, region, postcode, country, phone and currency of one real place per row.

The columns of a table's geo group share a hidden unit per row (``geo/groups.py``): a place
index, a pure function of (seed, table, group, row), or in a lookup table listing entries the
row's country, region or currency; each column maps it to its field, so a row's city, state,
postcode and country always belong together. The values are a function of the row like a
sequence's (``sequential``): the plan makes them by row index, never permuted, and can read
them at any row. A group inheriting its parent row's places is made by ``InheritedGeo``.
"""

import numpy as np
import pyarrow as pa

from dwsim_generator.engine.arrays import with_nulls
from dwsim_generator.engine.arrow_types import INTEGER_KINDS, STRING_KINDS
from dwsim_generator.engine.columns.base import UNBOUNDED, ColumnContext, Maker
from dwsim_generator.engine.geo.dataset import GeoData, geo_data
from dwsim_generator.engine.geo.groups import GeoGroup
from dwsim_generator.engine.geo.levels import FIELD_LEVEL, NAMES, Level, field_strings, keys
from dwsim_generator.engine.geo.templates import Templates
from dwsim_generator.engine.streams import mix64
from dwsim_shared.contracts.enums import GeoField


def _dictionary_field(data: GeoData, field: GeoField) -> tuple[np.ndarray, list[str]] | None:
    """(code per place, the strings the codes index) of a field taken whole from the place."""
    country = data.place_country
    return {
        GeoField.CITY: (data.city, data.cities),
        GeoField.STATE: (data.state, data.states),
        GeoField.STATE_CODE: (data.state_code, data.state_codes),
        GeoField.COUNTRY: (country, data.country_names),
        GeoField.COUNTRY_CODE: (country, data.countries),
        GeoField.COUNTRY_CODE3: (country, data.alpha3),
        GeoField.CURRENCY: (country, data.currencies),
    }.get(field)


class GeoValues(Maker):
    """One field of the row's place; see the module docstring."""

    sequential = True  # a function of the row index: made by index, readable at any row

    def __init__(self, ctx: ColumnContext, group: GeoGroup):
        self.ctx, rule = ctx, ctx.rule
        self.field = GeoField(rule.field)
        self.arrow_type = ctx.arrow_type
        self.group, self.countries = group, group.countries
        self.data = data = geo_data()
        self.salt = ctx.stream("geo-fill").salt
        self.numeric = ctx.kind in INTEGER_KINDS
        if self.numeric and not (self.field == GeoField.POSTCODE and self.countries == ("US",)):
            raise ctx.error(
                f"a geo {self.field.value} rule fills text columns, not {ctx.column.type.raw} "
                "(an integer postcode needs locale US)"
            )
        if not self.numeric and ctx.kind not in STRING_KINDS:
            raise ctx.error(f"a geo rule fills text columns, not {ctx.column.type.raw}")
        self.level = FIELD_LEVEL[self.field]
        if group.level != Level.PLACE:  # a list of entries: the field of each row's entry
            if self.level < group.level:
                raise ctx.error(f"a list of {NAMES[group.level]} entries has no "
                                f"{self.field.value}")  # fmt: skip
            codes, strings = field_strings(self.level, self.field)
            self.codes, self.dictionary = self._distinct(codes, strings)
            self.blank = len(self.dictionary)  # a NOT NULL column's value where there is none
            self.dictionary = pa.concat_arrays([self.dictionary, pa.array([""])])
            return
        whole = _dictionary_field(data, self.field)
        if whole is not None:
            self.codes, self.dictionary = self._distinct(*whole)
        elif self.field == GeoField.POSTCODE:
            self.templates = Templates([*data.postcodes, ""])
        else:  # phone: per country, numbers in the international format, else the national one
            self._phones()

    def _distinct(self, codes: np.ndarray, values: list[str]) -> tuple[np.ndarray, pa.Array]:
        """The strings cut to the column, each once (cutting can make two the same)."""
        seen: dict[str, int] = {}
        remap = np.array([seen.setdefault(self.ctx.fit(v), len(seen)) for v in values])
        return remap[codes].astype(np.int32), pa.array(list(seen), pa.string())

    def _phones(self) -> None:
        data = self.data
        countries = range(len(data.countries))
        if self.countries is not None:
            countries = [data.countries.index(c) for c in self.countries]
        widest = max(len(t) for c in countries for t in data.phones[c])
        limit = self.ctx.max_chars
        chosen = data.phones if limit is None or widest <= limit else data.national_phones
        counts = np.array([len(t) for t in chosen], dtype=np.int64)
        self.phone_start = np.concatenate([[0], np.cumsum(counts)[:-1]])
        self.phone_count = counts.astype(np.uint64)
        self.templates = Templates([t for ts in chosen for t in ts])

    def capacity(self) -> int:
        if not self.ctx.unique:
            return UNBOUNDED
        if self.group.level == Level.PLACE:
            return 0  # places repeat: never a key
        # a list: each entry once, as long as the field's values do not repeat
        values = self.codes[keys(self.group.listed, self.group.level, self.level)]
        _, first = np.unique(values, return_index=True)
        repeats = np.setdiff1d(np.arange(len(values)), first)
        return int(repeats[0]) if len(repeats) else len(values)

    def sample(self, rng: np.random.Generator, n: int) -> pa.Array:
        return self.from_index(rng.integers(0, 2**62, size=n, dtype=np.int64))

    def from_index(self, index: np.ndarray) -> pa.Array:
        rows = index.astype(np.int64)
        return self.values(rows, self.group.units_at(rows))

    def values(self, rows: np.ndarray, units: np.ndarray) -> pa.Array:
        """The field of each row's unit (a place, or an entry of the group's level)."""
        if self.group.level != Level.PLACE:
            key = keys(units, self.group.level, self.level)
            codes = self.codes[np.maximum(key, 0)]
            none = key < 0  # Antarctica's currency
            if not none.any():
                return pa.DictionaryArray.from_arrays(pa.array(codes), self.dictionary)
            if not self.ctx.column.nullable:
                codes = np.where(none, self.blank, codes).astype(np.int32)
                return pa.DictionaryArray.from_arrays(pa.array(codes), self.dictionary)
            return pa.DictionaryArray.from_arrays(pa.array(codes, mask=none), self.dictionary)
        places = units
        if self.field == GeoField.POSTCODE:
            return self._postcodes(rows, places)
        if self.field == GeoField.PHONE:
            country = self.data.place_country[places]
            bits = mix64(rows, self.salt ^ np.uint64(0x5048))
            pick = self.phone_start[country] + (bits % self.phone_count[country]).astype(np.int64)
            return self.templates.fill(pick, rows, self.salt)
        return pa.DictionaryArray.from_arrays(pa.array(self.codes[places]), self.dictionary)

    def _postcodes(self, rows: np.ndarray, places: np.ndarray) -> pa.Array:
        data = self.data
        low = data.zip_low[places].astype(np.int64)
        span = (data.zip_high[places].astype(np.int64) - low + 1).clip(1)
        bits = mix64(rows, self.salt ^ np.uint64(0x5A49))
        numbers = np.where(low > 0, low + (bits % span.astype(np.uint64)).astype(np.int64), -1)
        if self.numeric:
            return pa.array(numbers).cast(self.arrow_type)
        template = data.postcode[places]
        none = template < 0
        template = np.where(none, len(data.postcodes), template)  # "": no postcode there
        values = self.templates.fill(template, rows, self.salt, numbers, data.first_letters[places])
        if none.any() and self.ctx.column.nullable:
            values = with_nulls(values, none)
        return values
