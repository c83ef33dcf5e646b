"""The reference lists a lookup table is filled from, each entry once: ISO 3166-1 countries
(alpha-2 and alpha-3 codes, English name, currency), ISO 4217 currencies in use (code, English
name, symbol) and the first-level regions places lie in (name, abbreviation, country).

From babel's CLDR data (territories, their aliases and currencies) and the places of
``dataset.py``; built with it and kept in the same disk cache.
"""

from dataclasses import dataclass

import numpy as np

# Two-letter codes CLDR names that ISO 3166-1 does not assign to a country: exceptionally
# reserved (EU, UN...) and user-assigned (AA, QM-QZ, XA-XZ, ZZ) codes.
_NOT_ISO = {"AC", "CP", "CQ", "DG", "EA", "EU", "EZ", "FX", "IC", "SU", "TA", "UK", "UN", "AA",
            "ZZ"}  # fmt: skip


@dataclass(frozen=True)
class Catalog:
    """Reference entries by level; every ``*_iso`` array indexes ``iso_codes``."""

    iso_codes: list[str]  # the 249 ISO 3166-1 alpha-2 codes, sorted
    iso_names: list[str]
    iso_alpha3: list[str]
    iso_currency: np.ndarray  # int32 index into ``currency_codes`` (-1: none, Antarctica)
    currency_codes: list[str]  # ISO 4217 codes some country uses, sorted
    currency_names: list[str]
    currency_symbols: list[str]
    state_iso: np.ndarray  # int32 per region: its country
    state_name: np.ndarray  # int32 per region: code into GeoData.states
    state_abbr: np.ndarray  # int32 per region: code into GeoData.state_codes
    place_iso: np.ndarray  # int32 per place: its country
    place_state: np.ndarray  # int32 per place: its region


def iso_countries() -> list[str]:
    """ISO 3166-1 alpha-2 codes: CLDR territories with a numeric and an alpha-3 alias."""
    from babel import Locale
    from babel.core import get_global

    aliases = get_global("territory_aliases")
    numeric = {t[0] for a, t in aliases.items() if a.isdigit() and len(t) == 1}
    alpha3 = {t[0] for a, t in aliases.items() if len(a) == 3 and a.isalpha() and len(t) == 1}
    return sorted(
        code
        for code in Locale("en").territories
        if len(code) == 2 and code.isalpha() and code in numeric and code in alpha3
        and code not in _NOT_ISO and not code.startswith("X") and not "QM" <= code <= "QZ"
    )  # fmt: skip


def _symbol(code: str, territory: str) -> str:
    """The English symbol (``$``, ``€``), else the one of the territory's main language."""
    from babel import Locale, UnknownLocaleError
    from babel.core import get_global
    from babel.numbers import get_currency_symbol

    symbol = _plain(get_currency_symbol(code, "en"))
    if symbol != code:
        return symbol
    languages = get_global("territory_languages").get(territory, {})
    ranked = sorted(languages.items(), key=lambda kv: -kv[1].get("population_percent", 0))
    for language, _ in ranked:
        try:
            found = get_currency_symbol(code, Locale.parse(f"{language}_{territory}"))
        except (UnknownLocaleError, ValueError):
            continue
        if _plain(found) != code:
            return _plain(found)
    return code


def _plain(symbol: str) -> str:
    """Without the invisible direction marks CLDR puts around right-to-left symbols."""
    return symbol.replace("\u200f", "").replace("\u200e", "").replace("\u061c", "")


def build_catalog(info: dict, countries: list[str], place_country: np.ndarray,
                  place_state: np.ndarray, place_abbr: np.ndarray,
                  state_names: list[str]) -> Catalog:  # fmt: skip
    """``info``: ``_country_info`` of the ISO codes (names, alpha-3, currencies)."""
    from babel import Locale

    codes = iso_countries()
    english = Locale("en").currencies
    used = sorted({c for c in info["currencies"] if c})
    first_user = {}
    for country, currency in zip(codes, info["currencies"], strict=True):
        if currency:
            first_user.setdefault(currency, country)
    iso_index = {c: i for i, c in enumerate(codes)}
    currency_index = {c: i for i, c in enumerate(used)}
    place_iso = np.array([iso_index[c] for c in countries], dtype=np.int32)[place_country]
    # regions: (country, name) pairs of the places, ordered by country code then name
    pairs = sorted({(int(i), int(s)) for i, s in zip(place_iso, place_state, strict=True)},
                   key=lambda p: (codes[p[0]], state_names[p[1]]))  # fmt: skip
    region = {pair: k for k, pair in enumerate(pairs)}
    abbr = {(int(i), int(s)): int(a) for i, s, a in zip(place_iso, place_state, place_abbr,
                                                        strict=True)}  # fmt: skip
    return Catalog(
        iso_codes=codes, iso_names=info["names"], iso_alpha3=info["alpha3"],
        iso_currency=np.array([currency_index.get(c, -1) for c in info["currencies"]],
                              dtype=np.int32),
        currency_codes=used, currency_names=[english.get(c, c) for c in used],
        currency_symbols=[_symbol(c, first_user[c]) for c in used],
        state_iso=np.array([p[0] for p in pairs], dtype=np.int32),
        state_name=np.array([p[1] for p in pairs], dtype=np.int32),
        state_abbr=np.array([abbr[p] for p in pairs], dtype=np.int32),
        place_iso=place_iso,
        place_state=np.array([region[(int(i), int(s))] for i, s in
                              zip(place_iso, place_state, strict=True)], dtype=np.int32),
    )  # fmt: skip
