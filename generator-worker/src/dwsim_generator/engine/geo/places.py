"""The hidden per-row draw of a correlated group: a place index (or a person's sex), a pure
function of (seed, table, group, row), shared by every column of the group so they agree.

Draws are weighted (population, or the gender column's weights) with Walker's alias method:
one hash per row, two gathers, no search, so a group's columns cost little more than one
dictionary column each.
"""

from functools import lru_cache

import numpy as np

from dwsim_generator.engine.geo.dataset import geo_data
from dwsim_generator.engine.geo.levels import Level, allowed
from dwsim_generator.engine.streams import mix64

_LOW32 = np.uint64(0xFFFFFFFF)


class AliasTable:
    """Draws index i with probability weights[i] / sum(weights), from 64 hash bits."""

    def __init__(self, weights: np.ndarray):
        n = len(weights)
        scaled = weights.astype(np.float64) * (n / weights.sum())
        self.prob = np.ones(n, dtype=np.float64)
        self.alias = np.arange(n, dtype=np.int64)
        small = [i for i in range(n) if scaled[i] < 1.0]
        large = [i for i in range(n) if scaled[i] >= 1.0]
        while small and large:
            s, g = small.pop(), large.pop()
            self.prob[s], self.alias[s] = scaled[s], g
            scaled[g] -= 1.0 - scaled[s]
            (small if scaled[g] < 1.0 else large).append(g)
        self.n = np.uint64(n)

    def draw(self, bits: np.ndarray) -> np.ndarray:
        column = ((bits >> np.uint64(32)) * self.n >> np.uint64(32)).astype(np.int64)
        coin = (bits & _LOW32).astype(np.float64) * (1.0 / 2**32)
        return np.where(coin < self.prob[column], column, self.alias[column])


def parse_countries(locale: str | None) -> tuple[str, ...] | None:
    """``US``, ``US,CA,GB`` or a Faker locale such as ``en_GB`` -> ISO codes (None: all)."""
    if locale is None or not locale.strip():
        return None
    known = set(geo_data().countries)
    out = []
    for token in locale.split(","):
        code = token.strip().replace("-", "_").rpartition("_")[2].upper()
        if code not in known:
            raise ValueError(
                f"geo locale {locale!r}: no places in {token.strip()!r}; use ISO country codes "
                f"such as US,GB (known: {', '.join(sorted(known))})"
            )
        if code not in out:
            out.append(code)
    return tuple(sorted(out))


Restriction = tuple[tuple[int, tuple[int, ...]], ...]


@lru_cache(maxsize=16)
def allowed_places(countries: tuple[str, ...] | None, limits: Restriction = ()) -> np.ndarray:
    """The places a group draws from: in ``countries`` (None: all), and for each limit
    (level, keys a lookup table lists) one whose entry of that level is listed there (a
    foreign key into that table can point at it)."""
    data = geo_data()
    if countries is None:
        subset = np.arange(len(data.population), dtype=np.int64)
    else:
        wanted = np.array([data.countries.index(c) for c in countries])
        subset = np.flatnonzero(np.isin(data.place_country, wanted))
    return subset[allowed(subset, Level.PLACE, limits)] if limits else subset


@lru_cache(maxsize=16)
def _places(countries: tuple[str, ...] | None, limits: Restriction = ()) -> tuple:
    subset = allowed_places(countries, limits)
    if not len(subset):
        return subset, None
    return subset, AliasTable(geo_data().population[subset])


class RowDraw:
    """One weighted draw per row for a group (``subset`` maps it, e.g. to place indices):
    the same for every column of the group that asks, computed once per chunk."""

    def __init__(self, subset: np.ndarray | None, table: AliasTable, salt: np.uint64):
        self.subset, self.table, self.salt = subset, table, salt
        self._last: tuple[np.ndarray, np.ndarray] | None = None  # the chunk just made

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        last = self._last
        if last is not None and len(last[0]) == len(rows) and np.array_equal(last[0], rows):
            return last[1]
        drawn = self.table.draw(mix64(rows, self.salt))
        if self.subset is not None:
            drawn = self.subset[drawn]
        self._last = (rows.copy(), drawn)
        return drawn


_DRAWS: dict[tuple, RowDraw] = {}


def row_draw(key: tuple, subset: np.ndarray | None, table: AliasTable, salt: np.uint64) -> RowDraw:
    """One ``RowDraw`` per (key, salt) and process, so a group's columns share its draws."""
    full = (*key, int(salt))
    if full not in _DRAWS:
        if len(_DRAWS) >= 256:
            _DRAWS.clear()
        _DRAWS[full] = RowDraw(subset, table, salt)
    return _DRAWS[full]


def place_index(countries: tuple[str, ...] | None, salt: np.uint64,
                limits: Restriction = ()) -> RowDraw:  # fmt: skip
    """The place of each row of a geo group (an index into ``geo_data()``'s places)."""
    subset, table = _places(countries, limits)
    if table is None:
        raise ValueError("no place is left to draw from")
    return row_draw(("places", countries, limits), subset, table, salt)
