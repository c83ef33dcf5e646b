"""DDL import groups a table's address and person columns (geo / person rules, inferred), so
their values agree; what cannot be one address or one person keeps its own rule."""

from dwsim_shared.contracts.enums import Dialect
from dwsim_shared.ddl import import_ddl


def _rules(ddl: str) -> dict[str, dict]:
    exp = import_ddl(ddl, dialect=Dialect.POSTGRES, name="t")
    return {
        f"{t.name}.{c.name}": c.rule.model_dump(include={"kind", "field", "group", "locale"})
        for t in exp.tables
        for c in t.columns
    }


def geo(field: str, group: str | None = None, locale: str | None = None) -> dict:
    return {"kind": "geo", "field": field, "group": group, "locale": locale}


def test_prefixes_make_separate_addresses_and_phones_join_the_main_one():
    rules = _rules("""CREATE TABLE accounts (id INT PRIMARY KEY,
        billing_city VARCHAR(40), billing_country VARCHAR(40), billing_postal_code VARCHAR(12),
        shipping_city VARCHAR(40), shipping_country_code CHAR(3), city VARCHAR(40),
        country_code CHAR(2), mobile_phone VARCHAR(20), currency_code CHAR(3))""")
    assert rules["accounts.billing_city"] == geo("city", "billing")
    assert rules["accounts.billing_country"] == geo("country", "billing")
    assert rules["accounts.billing_postal_code"] == geo("postcode", "billing")
    assert rules["accounts.shipping_country_code"] == geo("country_code3", "shipping")
    assert rules["accounts.city"] == geo("city")
    assert rules["accounts.mobile_phone"] == geo("phone")
    assert rules["accounts.currency_code"] == geo("currency")


def test_us_shaped_addresses_draw_us_places():
    rules = _rules("""CREATE TABLE users (userid INT PRIMARY KEY, city VARCHAR(30),
        state CHAR(2), zip INTEGER, phone CHAR(14));
        CREATE TABLE stores (id INT PRIMARY KEY, city VARCHAR(30), region VARCHAR(30),
        zip VARCHAR(5), country VARCHAR(30))""")
    assert rules["users.state"] == geo("state_code", locale="US")
    assert rules["users.zip"] == geo("postcode", locale="US")
    assert rules["users.phone"] == geo("phone", locale="US")
    assert rules["stores.region"] == geo("state", locale="US")  # a 5-digit ZIP: the US
    assert rules["stores.country"] == geo("country", locale="US")


def test_what_is_not_an_address_keeps_its_own_rule():
    rules = _rules("""CREATE TABLE countries (country_code CHAR(2) PRIMARY KEY,
        country_name VARCHAR(40), currency CHAR(3));
        CREATE TABLE events (id INT PRIMARY KEY, city VARCHAR(30), phone CHAR(10),
        state VARCHAR(20) CHECK (state IN ('open', 'closed')));
        CREATE TABLE products (id INT PRIMARY KEY, title VARCHAR(60))""")
    # a lookup of countries lists them, each once: row i is the i-th ISO country, its currency
    assert rules["countries.country_code"] == geo("country_code")
    assert rules["countries.country_name"] == geo("country")
    assert rules["countries.currency"] == geo("currency")
    assert rules["events.city"]["kind"] == "faker"  # alone: the phone is too narrow
    assert rules["events.state"]["kind"] == "categorical"  # the DDL's own values win
    assert rules["products.title"]["kind"] == "faker"  # a product's title, not a person's


def test_a_person_gets_one_gender_title_and_first_name():
    exp = import_ddl(
        """CREATE TABLE customers (id INT PRIMARY KEY, salutation VARCHAR(8),
        first_name VARCHAR(30), middle_name VARCHAR(30), sex CHAR(1))""",
        dialect=Dialect.POSTGRES,
        name="t",
    )
    rules = {c.name: c.rule for c in exp.tables[0].columns}
    assert (rules["salutation"].kind, rules["salutation"].field) == ("person", "title")
    assert (rules["first_name"].kind, rules["first_name"].field) == ("person", "first_name")
    assert rules["middle_name"].kind == "faker"
    assert (rules["sex"].kind, rules["sex"].values) == ("person", ["F", "M", "N"])
    assert rules["sex"].source == "inferred"


def _geo_rules(ddl: str) -> dict[str, dict]:
    exp = import_ddl(ddl, dialect=Dialect.POSTGRES, name="t")
    return {
        f"{t.name}.{c.name}": c.rule.model_dump(include={"kind", "group", "locale", "ref", "via"})
        for t in exp.tables
        for c in t.columns
        if c.rule is not None and c.rule.kind == "geo"
    }


def test_a_child_takes_its_parents_place_only_when_one_parent_is_clear():
    rules = _geo_rules("""CREATE TABLE users (id INT PRIMARY KEY, city VARCHAR(40),
        country VARCHAR(40));
        CREATE TABLE stores (id INT PRIMARY KEY, city VARCHAR(40), country VARCHAR(40));
        CREATE TABLE visits (id INT PRIMARY KEY, user_id INT REFERENCES users(id),
        store_id INT REFERENCES stores(id), city VARCHAR(40), country VARCHAR(40),
        store_city VARCHAR(40), store_country VARCHAR(40), ship_city VARCHAR(40),
        ship_country VARCHAR(40), phone VARCHAR(30));
        CREATE TABLE transfers (id INT PRIMARY KEY, from_id INT REFERENCES users(id),
        to_id INT REFERENCES users(id), to_city VARCHAR(40), to_country VARCHAR(40));
        CREATE TABLE parcels (id INT PRIMARY KEY, user_id INT REFERENCES users(id),
        city VARCHAR(40), state CHAR(2), zip VARCHAR(5))""")
    # the prefix names the key; a shipping address is the buyer's; unprefixed: the buyer's too
    assert rules["visits.store_city"]["ref"] == "stores.city"
    assert rules["visits.ship_country"]["ref"] == "users.city"
    assert rules["visits.city"]["ref"] == "users.city"
    assert rules["visits.phone"]["ref"] == "users.city"  # the phone joins the unprefixed address
    # two keys to the same parent: the prefix picks one, named in via
    assert rules["transfers.to_city"] == {"kind": "geo", "group": "to", "locale": None,
                                          "ref": "users.city", "via": ["to_id"]}  # fmt: skip
    # a US-shaped address (2-letter state, ZIP) cannot follow a worldwide user: its own places
    assert rules["parcels.city"] == {"kind": "geo", "group": None, "locale": "US", "ref": None,
                                     "via": None}  # fmt: skip


def test_a_foreign_key_into_a_list_joins_the_address_of_its_prefix():
    rules = _geo_rules("""CREATE TABLE country (id INT PRIMARY KEY, iso_code CHAR(2) NOT NULL,
        name VARCHAR(80) NOT NULL);
        CREATE TABLE people (id INT PRIMARY KEY, city VARCHAR(40),
        home_country_id INT REFERENCES country(id), birth_country_id INT REFERENCES country(id),
        home_city VARCHAR(40))""")
    assert rules["country.iso_code"]["kind"] == "geo"
    assert rules["people.home_country_id"]["group"] == "home"
    assert rules["people.home_city"]["group"] == "home"
    assert rules["people.birth_country_id"]["group"] == "birth"  # alone: drawn by population
    assert "people.city" not in rules  # a lone city: nothing to agree with
