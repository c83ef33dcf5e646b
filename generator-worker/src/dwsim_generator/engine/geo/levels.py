"""Levels of geography a geo group's row stands for, and what each level knows.

A place-based group draws a place (a city) per row; a group that lists entries (a lookup
table: countries, regions, currencies) stands for one entry of its level per row. Every unit
maps to the coarser levels (a place to its region, country and currency; a region to its
country), and each level's fields are strings indexed by its keys: the engine turns a row's
unit into any field it is coarse enough for, and a foreign key into a lookup into that
lookup's row of the same entry.
"""

from enum import IntEnum
from functools import lru_cache

import numpy as np

from dwsim_generator.engine.geo.dataset import geo_data
from dwsim_shared.contracts.enums import GeoField


class Level(IntEnum):
    """Finest first: a unit of a level knows every coarser level."""

    PLACE = 0
    STATE = 1
    COUNTRY = 2
    CURRENCY = 3


FIELD_LEVEL = {
    GeoField.CITY: Level.PLACE, GeoField.POSTCODE: Level.PLACE, GeoField.PHONE: Level.PLACE,
    GeoField.STATE: Level.STATE, GeoField.STATE_CODE: Level.STATE,
    GeoField.COUNTRY: Level.COUNTRY, GeoField.COUNTRY_CODE: Level.COUNTRY,
    GeoField.COUNTRY_CODE3: Level.COUNTRY, GeoField.CURRENCY: Level.CURRENCY,
    GeoField.CURRENCY_NAME: Level.CURRENCY, GeoField.CURRENCY_SYMBOL: Level.CURRENCY,
}  # fmt: skip
NAMES = {Level.PLACE: "city", Level.STATE: "region", Level.COUNTRY: "country",
         Level.CURRENCY: "currency"}  # fmt: skip


def keys(units: np.ndarray, unit: Level, level: Level) -> np.ndarray:
    """The key at ``level`` of each unit of level ``unit`` (-1: none, Antarctica's currency)."""
    if level == unit:
        return units
    if level < unit:
        raise ValueError(f"a {NAMES[unit]} has no {NAMES[level]}")
    catalog = geo_data().catalog
    if unit == Level.PLACE:
        units = catalog.place_state[units] if level == Level.STATE else catalog.place_iso[units]
        unit = Level.STATE if level == Level.STATE else Level.COUNTRY
    elif unit == Level.STATE:
        units, unit = catalog.state_iso[units], Level.COUNTRY
    if level == Level.CURRENCY and unit == Level.COUNTRY:
        units = catalog.iso_currency[units]
    return units


def key_count(level: Level) -> int:
    data = geo_data()
    catalog = data.catalog
    return {Level.PLACE: len(data.population), Level.STATE: len(catalog.state_iso),
            Level.COUNTRY: len(catalog.iso_codes),
            Level.CURRENCY: len(catalog.currency_codes)}[level]  # fmt: skip


def field_strings(level: Level, field: GeoField) -> tuple[np.ndarray, list[str]]:
    """(code per key of ``level``, the strings) of a field of that level (not a place's)."""
    data = geo_data()
    catalog = data.catalog
    count = key_count(level)
    if level == Level.STATE:
        if field == GeoField.STATE:
            return catalog.state_name, data.states
        return catalog.state_abbr, data.state_codes
    if level == Level.COUNTRY:
        strings = {GeoField.COUNTRY: catalog.iso_names, GeoField.COUNTRY_CODE: catalog.iso_codes,
                   GeoField.COUNTRY_CODE3: catalog.iso_alpha3}[field]  # fmt: skip
        return np.arange(count, dtype=np.int32), strings
    strings = {GeoField.CURRENCY: catalog.currency_codes,
               GeoField.CURRENCY_NAME: catalog.currency_names,
               GeoField.CURRENCY_SYMBOL: catalog.currency_symbols}[field]  # fmt: skip
    return np.arange(count, dtype=np.int32), strings


@lru_cache(maxsize=64)
def entries(level: Level, countries: tuple[str, ...] | None) -> np.ndarray:
    """The keys a list of ``level`` holds, in order (countries by ISO code, regions by country
    code and name, currencies by code), limited to ``countries`` (None: all)."""
    data = geo_data()
    catalog = data.catalog
    count = key_count(level)
    if countries is None:
        return np.arange(count, dtype=np.int64)
    wanted = np.array([catalog.iso_codes.index(c) for c in countries], dtype=np.int64)
    if level == Level.COUNTRY:
        return np.sort(wanted)
    if level == Level.STATE:
        return np.flatnonzero(np.isin(catalog.state_iso, wanted))
    used = catalog.iso_currency[wanted]
    return np.unique(used[used >= 0]).astype(np.int64)


@lru_cache(maxsize=64)
def positions(level: Level, listed: tuple[int, ...]) -> np.ndarray:
    """Per key of ``level``: its row in a list holding the keys ``listed`` (-1: absent)."""
    out = np.full(key_count(level), -1, dtype=np.int64)
    out[np.array(listed, dtype=np.int64)] = np.arange(len(listed), dtype=np.int64)
    return out


def allowed(units: np.ndarray, unit: Level, limits: tuple) -> np.ndarray:
    """True where a unit's entry of each limit's level (level, keys listed) is listed."""
    ok = np.ones(len(units), dtype=bool)
    for level, listed in limits:
        key = keys(units, unit, Level(level))
        where = positions(Level(level), listed)[np.maximum(key, 0)]
        ok &= (key >= 0) & (where >= 0)
    return ok
