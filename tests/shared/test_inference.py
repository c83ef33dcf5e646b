"""Zero-config rules: what a column's name and type make the importer guess."""

from datetime import date
from pathlib import Path

import pytest
from faker import Faker

from dwsim_shared.contracts.enums import Dialect, Distribution, RuleKind, RuleSource
from dwsim_shared.contracts.schema import Column
from dwsim_shared.contracts.types import parse_type
from dwsim_shared.ddl import import_ddl, vocabulary
from dwsim_shared.ddl.inference import infer_rule, snake

TODAY = date(2026, 1, 15)
CORPUS = Path(__file__).resolve().parents[1] / "ddl"


def rule_for(name, raw, *, table="t", key=False, nullable=True, dialect=Dialect.REDSHIFT):
    column = Column(name=name, type=parse_type(raw, dialect), nullable=nullable)
    return infer_rule(column, table=table, key=key, today=TODAY)


@pytest.mark.parametrize(
    ("name", "raw", "expected"),
    [
        ("email", "VARCHAR(255)", {"kind": RuleKind.FAKER, "provider": "email"}),
        ("CustomerEmail", "VARCHAR(100)", {"kind": RuleKind.FAKER, "provider": "email"}),
        ("first_name", "VARCHAR(50)", {"provider": "first_name"}),
        ("lastName", "VARCHAR(50)", {"provider": "last_name"}),
        ("full_name", "VARCHAR(100)", {"provider": "name"}),
        ("phone_number", "VARCHAR(30)", {"provider": "phone_number"}),
        ("phone", "CHAR(12)", {"kind": RuleKind.PATTERN, "pattern": "###-###-####"}),
        ("street_address", "VARCHAR(100)", {"provider": "street_address"}),
        ("address_line2", "VARCHAR(100)", {"provider": "secondary_address", "null_ratio": 0.5}),
        ("city", "VARCHAR(50)", {"provider": "city"}),
        ("state", "VARCHAR(30)", {"provider": "state"}),
        ("state", "VARCHAR(2)", {"provider": "state_abbr"}),
        ("country", "VARCHAR(60)", {"provider": "country"}),
        ("country", "CHAR(2)", {"provider": "country_code"}),
        ("country_code", "CHAR(3)", {"provider": "country_code"}),
        ("zip", "VARCHAR(10)", {"provider": "postcode"}),
        ("postal_code", "VARCHAR(10)", {"provider": "postcode"}),
        ("company_name", "VARCHAR(100)", {"provider": "company"}),
        ("job_title", "VARCHAR(100)", {"provider": "job"}),
        ("website_url", "VARCHAR(200)", {"provider": "url"}),
        ("ip_address", "VARCHAR(45)", {"provider": "ipv4"}),
        ("currency", "CHAR(3)", {"provider": "currency_code"}),
        ("user_agent", "VARCHAR(512)", {"provider": "user_agent"}),
        ("request_uuid", "CHAR(36)", {"kind": RuleKind.UUID}),
        ("external_id", "VARCHAR(20)", {"kind": RuleKind.PATTERN, "pattern": "??-#########"}),
        ("description", "VARCHAR(500)", {"kind": RuleKind.TEXT, "min_length": 10, "max_length": 200}),
        ("notes", "VARCHAR(40)", {"kind": RuleKind.TEXT, "max_length": 40}),
        ("status", "VARCHAR(20)", {"kind": RuleKind.CATEGORICAL, "values": ["active", "inactive", "pending", "suspended"]}),
        ("status", "CHAR(1)", {"kind": RuleKind.CATEGORICAL, "values": ["A", "I", "P", "S"]}),
        ("gender", "CHAR(1)", {"values": ["F", "M", "N"]}),
        ("payment_status", "VARCHAR(10)", {"values": ["paid", "pending", "failed", "refunded"]}),
        ("category", "VARCHAR(40)", {"kind": RuleKind.CATEGORICAL}),
        ("created_at", "TIMESTAMP", {"kind": RuleKind.RANGE, "min": "2023-01-15T00:00:00", "max": "2026-01-15T23:59:59"}),
        ("order_date", "DATE", {"kind": RuleKind.RANGE, "min": "2023-01-15", "max": "2026-01-15"}),
        ("birth_date", "DATE", {"kind": RuleKind.RANGE, "min": "1940-01-01", "max": "2008-01-15"}),
        ("expires_at", "TIMESTAMPTZ", {"min": "2026-01-15T00:00:00", "max": "2028-01-15T23:59:59"}),
        ("deleted_at", "TIMESTAMP", {"kind": RuleKind.RANGE, "null_ratio": 0.9}),
        ("start_time", "TIME", {"kind": RuleKind.RANGE, "min": "00:00:00", "max": "23:59:59"}),
        # money is log-normal between the range's ends (median at their geometric mean)
        ("price", "DECIMAL(10,2)", {"kind": RuleKind.DISTRIBUTION, "distribution": Distribution.LOGNORMAL, "min": 1.0, "max": 1000.0}),
        ("price", "DECIMAL(4,2)", {"kind": RuleKind.DISTRIBUTION, "min": 1.0, "max": 99.99}),
        ("total_amount", "NUMERIC(12,2)", {"kind": RuleKind.DISTRIBUTION, "min": 10.0, "max": 100000.0, "params": {"mean": 6.9078, "sigma": 1.3158}}),
        ("unit_cost", "FLOAT8", {"kind": RuleKind.DISTRIBUTION, "min": 1.0, "max": 1000.0}),
        ("discount_rate", "DECIMAL(5,4)", {"kind": RuleKind.RANGE, "min": 0.0, "max": 0.1}),
        ("tax_rate", "DECIMAL(5,4)", {"min": 0.0, "max": 0.1}),
        ("latitude", "DOUBLE PRECISION", {"min": -90.0, "max": 90.0}),
        ("quantity", "INTEGER", {"kind": RuleKind.RANGE, "min": 1, "max": 50}),
        ("qty", "SMALLINT", {"min": 1, "max": 50}),
        ("age", "SMALLINT", {"min": 18, "max": 90}),
        ("customer_id", "BIGINT", {"kind": RuleKind.RANGE, "min": 1, "max": 1000}),
        ("population", "SMALLINT", {"min": 1000, "max": 32767}),  # SMALLINT caps it
        ("is_active", "BOOLEAN", {"kind": RuleKind.BOOLEAN, "probability": 0.85}),
        ("has_churned", "BOOLEAN", {"probability": 0.05}),
        ("opted", "BOOLEAN", {"probability": 0.5}),
        ("is_deleted", "SMALLINT", {"kind": RuleKind.CATEGORICAL, "values": [0, 1]}),
        ("payload", "SUPER", {"kind": RuleKind.JSON}),
        ("avatar", "VARBYTE(64)", {"kind": RuleKind.TEXT, "max_length": 32}),
        ("mystery", "VARCHAR(8)", {"kind": RuleKind.PATTERN, "pattern": "????????"}),
        ("mystery", "VARCHAR(100)", {"kind": RuleKind.TEXT, "min_length": 5, "max_length": 40}),
    ],
)  # fmt: skip
def test_rule_from_name_and_type(name, raw, expected):
    rule = rule_for(name, raw).model_dump()
    assert rule["source"] == RuleSource.INFERRED
    assert {k: rule[k] for k in expected} == expected


@pytest.mark.parametrize(
    ("table", "column", "provider"),
    [
        ("customers", "name", "name"),
        ("supplier", "s_name", "company"),
        ("nation", "n_name", "country"),
        ("products", "name", "catch_phrase"),
        ("widgets", "name", "word"),
    ],
)
def test_a_bare_name_column_is_read_in_the_light_of_its_table(table, column, provider):
    assert rule_for(column, "VARCHAR(100)", table=table).provider == provider


def test_glued_names_are_split_at_a_known_word_only_when_the_name_says_nothing():
    assert rule_for("venuestate", "CHAR(2)").provider == "state_abbr"
    assert rule_for("billingcity", "VARCHAR(40)").provider == "city"
    assert rule_for("surname", "VARCHAR(40)").provider == "last_name"  # matched as written
    assert rule_for("username", "VARCHAR(40)").provider == "user_name"


def test_table_prefixes_are_stripped_only_when_they_abbreviate_the_table():
    assert rule_for("c_phone", "VARCHAR(30)", table="customer").provider == "phone_number"
    assert rule_for("ps_supplycost", "DECIMAL(15,2)", table="partsupp").max == 1000.0
    assert rule_for("ip_address", "VARCHAR(40)", table="events").provider == "ipv4"
    assert snake("OrderLineID") == "order_line_id"


def test_keys_get_unique_rules():
    assert rule_for("id", "INTEGER", key=True).model_dump(include={"kind", "start", "unique"}) == {
        "kind": RuleKind.SEQUENCE,
        "start": 1,
        "unique": True,
    }
    email = rule_for("email", "VARCHAR(200)", key=True)
    assert (email.kind, email.provider, email.unique) == (RuleKind.FAKER, "email", True)
    code = rule_for("code", "CHAR(6)", key=True)
    assert (code.kind, code.pattern, code.unique) == (RuleKind.PATTERN, "??-###", True)
    assert rule_for("guid", "UUID", key=True, dialect=Dialect.POSTGRES).unique is True


def _providers_in_vocabulary():
    for _, providers, _ in vocabulary.TEXT_PROVIDERS:
        for provider, _ in providers:
            if "#" not in provider:
                yield provider
    for _, provider, _ in vocabulary.NAME_BY_TABLE:
        yield provider


def test_every_faker_provider_named_is_a_real_faker_method():
    fake = Faker("en_US")
    fake.seed_instance(1)
    for provider in {*_providers_in_vocabulary(), "date", "word", "first_name"}:
        assert callable(getattr(fake, provider, None)), provider
        assert getattr(fake, provider)() is not None


def test_faker_values_mostly_fit_the_width_the_vocabulary_claims():
    """A provider is chosen only when the column is as wide as its stated width, which at least
    80% of its values fit in (the generator cuts the rest to the column's width)."""
    fake = Faker("en_US")
    fake.seed_instance(7)
    for _, providers, _ in vocabulary.TEXT_PROVIDERS:
        for provider, width in providers:
            if "#" in provider:
                assert len(provider) == width, provider
                continue
            values = [str(getattr(fake, provider)()) for _ in range(200)]
            fitting = sum(len(v) <= width for v in values)
            assert fitting >= 0.8 * len(values), (provider, width, max(values, key=len))


@pytest.mark.parametrize("width", [1, 2, 3, 5, 8, 12, 20])
def test_categorical_values_always_fit_the_column(width):
    for pattern, _, _ in vocabulary.CATEGORIES:
        name = (
            pattern.split("|")[0]
            .replace("(^|_)", "")
            .replace("_?", "_")
            .strip("$")
            .replace("\\", "")
        )
        rule = rule_for(name, f"VARCHAR({width})")
        if rule.kind == RuleKind.CATEGORICAL:
            assert all(len(str(v)) <= width for v in rule.values), (name, rule.values)
            assert len(set(rule.values)) == len(rule.values)
            if rule.weights:
                assert len(rule.weights) == len(rule.values)


@pytest.mark.parametrize(
    ("path", "dialect"),
    [
        ("redshift/tpch.sql", Dialect.REDSHIFT),
        ("redshift/messy_dump.sql", Dialect.REDSHIFT),
        ("redshift/tickit.sql", Dialect.REDSHIFT),
        ("snowflake/ecommerce.sql", Dialect.SNOWFLAKE),
        ("postgres/app.sql", Dialect.POSTGRES),
    ],
)
def test_every_inferred_rule_in_the_corpus_fits_its_column(path, dialect):
    exp = import_ddl((CORPUS / path).read_text(), dialect=dialect, name="x", today=TODAY)
    fake = Faker("en_US")
    for table in exp.tables:
        for column in table.columns:
            rule, ctype = column.rule, column.type
            where = f"{table.name}.{column.name}"
            if rule.kind == RuleKind.FAKER:
                assert callable(getattr(fake, rule.provider, None)), where
            if rule.kind == RuleKind.PATTERN and ctype.length:
                assert len(rule.pattern) <= ctype.length, where
            if rule.kind == RuleKind.TEXT and ctype.length:
                assert rule.max_length <= ctype.length, where
            if rule.kind == RuleKind.CATEGORICAL and ctype.length:
                assert all(len(str(v)) <= ctype.length for v in rule.values), where
            if rule.kind == RuleKind.RANGE and ctype.precision and ctype.scale is not None:
                assert abs(rule.max) < 10 ** (ctype.precision - ctype.scale), where
            assert rule.null_ratio == 0 or column.nullable, where


@pytest.mark.parametrize("default", ["DB.SCHEMA.SEQ.NEXTVAL", "nextval('t_id_seq'::regclass)"])
def test_a_sequence_default_makes_a_sequence(default):
    column = Column(name="n", type=parse_type("BIGINT"), default=default)
    rule = infer_rule(column, today=TODAY)
    assert (rule.kind, rule.source, rule.start, rule.unique) == (
        RuleKind.SEQUENCE,
        RuleSource.DDL,
        1,
        True,
    )


def test_inferred_date_ranges_do_not_depend_on_the_day_of_the_import():
    """Same DDL and seed, same data: inferred ranges end on a fixed anchor, not on today."""
    from dwsim_shared.ddl.inference import INFERENCE_ANCHOR

    ddl = "CREATE TABLE orders (id INT PRIMARY KEY, created_at TIMESTAMP, ship_date DATE);"
    first = import_ddl(ddl, dialect=Dialect.REDSHIFT, name="x")
    again = import_ddl(ddl, dialect=Dialect.REDSHIFT, name="x")
    assert first.schema_hash() == again.schema_hash()
    created = first.table("orders").column("created_at").rule
    assert str(created.max).startswith(INFERENCE_ANCHOR.isoformat())
    assert str(created.min) < str(created.max)
