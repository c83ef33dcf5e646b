"""The shared contracts: legacy JSON, identifier safety, type parsing and the key graph."""

import re

import pytest
from pydantic import ValidationError

from dwsim_shared.contracts.enums import Dialect, TypeKind, Warehouse
from dwsim_shared.contracts.graph import load_order
from dwsim_shared.contracts.identifiers import InvalidIdentifierError, validate_identifier
from dwsim_shared.contracts.rules import GenerationRule
from dwsim_shared.contracts.s3layout import RunLayout
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.contracts.tasks import TaskName
from dwsim_shared.contracts.types import UnknownTypeError, parse_type

LEGACY = {
    "name": "shop",
    "target_warehouse": "sqlite",
    "tables": [
        {
            "name": "customers",
            "target_rows": 100,
            "composite_keys": [["region", "customer_id"]],
            "columns": [
                {"name": "customer_id", "data_type": "INT", "is_unique": True, "required": True},
                {"name": "region", "data_type": "VARCHAR", "varchar_length": 8, "required": True},
                {
                    "name": "email",
                    "data_type": "VARCHAR",
                    "varchar_length": 100,
                    "faker_rule": "email",
                },
                {
                    "name": "signup",
                    "data_type": "DATE",
                    "date_start": "2024-01-01",
                    "date_end": "2024-12-31",
                },
            ],
        },
        {
            "name": "orders",
            "target_rows": 250,
            "columns": [
                {"name": "order_id", "data_type": "INT", "unique": True},
                {
                    "name": "customer_id",
                    "data_type": "INT",
                    "foreign_key": {
                        "references_table": "customers",
                        "references_column": "customer_id",
                        "nullable": False,
                    },
                },
                {
                    "name": "amount",
                    "data_type": "FLOAT",
                    "distribution": {"type": "normal", "parameters": {"mean": 50, "stddev": 10}},
                },
            ],
        },
    ],
}


def test_legacy_dw_simulator_json_loads_unchanged():
    exp = Experiment.model_validate(LEGACY)
    assert exp.warehouse == Warehouse.SQLITE
    customers, orders = exp.tables
    assert customers.rows == 100
    assert customers.primary_key == ["region", "customer_id"]
    assert customers.column("region").type.length == 8
    assert customers.column("customer_id").nullable is False
    assert customers.column("email").rule.provider == "email"
    assert customers.column("signup").rule.min == "2024-01-01"
    assert [u.columns for u in customers.unique] == [["customer_id"]]
    fk = orders.foreign_keys[0]
    assert (fk.columns, fk.references_table, fk.references_columns) == (
        ["customer_id"],
        "customers",
        ["customer_id"],
    )
    assert orders.column("customer_id").nullable is False
    assert orders.column("amount").rule.params == {"mean": 50.0, "std": 10.0}


def test_experiment_json_round_trips():
    exp = Experiment.model_validate(LEGACY)
    again = Experiment.model_validate_json(exp.model_dump_json())
    assert again == exp
    assert again.schema_hash() == exp.schema_hash()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ('a"b', "contains the character '\"'"),
        ("x\x00", "contains the character"),
        ("", "non-empty"),
        (" padded", "whitespace"),
        ("a" * 128, "the limit is 127"),
        ("a/b", "contains the character '/'"),
        ("..", "only dots"),
        ("invoice\u202etxt", "U+202E (RIGHT-TO-LEFT OVERRIDE)"),
        ("cust\u200bomers", "U+200B (ZERO WIDTH SPACE)"),
        ("x\x85y", "U+0085"),
    ],
)
def test_unsafe_identifiers_are_rejected(name, message):
    with pytest.raises(InvalidIdentifierError) as err:
        validate_identifier(name, "table name")
    assert message in str(err.value)


@pytest.mark.parametrize(
    "name",
    ["données", "select", "a.b", "e;drop", "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"],
)
def test_unusual_but_safe_identifiers_are_kept(name):
    """Quoted everywhere, these are safe: letters of any script (a Persian zero-width
    non-joiner too), reserved words, dots and semicolons inside a name."""
    assert validate_identifier(name, "table name") == name


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"kind": "range", "min": 10, "max": 1}, "'min' (10) is above its 'max' (1)"),
        ({"kind": "text", "min_length": 5, "max_length": 2}, "'min_length' (5) is above"),
    ],
)
def test_rules_with_bounds_the_wrong_way_round_are_rejected(rule, message):
    with pytest.raises(ValidationError, match=re.escape(message)):
        GenerationRule.model_validate(rule)


def test_unsafe_table_name_is_rejected_in_a_schema():
    bad = {
        "name": "e",
        "tables": [{"name": 'x"; drop table y; --', "columns": [{"name": "a", "type": "INT"}]}],
    }
    with pytest.raises(ValidationError, match="table name"):
        Experiment.model_validate(bad)


@pytest.mark.parametrize(
    ("raw", "dialect", "kind", "length", "precision", "scale"),
    [
        ("NUMBER(38,0)", Dialect.SNOWFLAKE, TypeKind.DECIMAL, None, 38, 0),
        ("decimal(12, 2)", Dialect.REDSHIFT, TypeKind.DECIMAL, None, 12, 2),
        ("VARCHAR(MAX)", Dialect.REDSHIFT, TypeKind.VARCHAR, 65535, None, None),
        ("TEXT", Dialect.REDSHIFT, TypeKind.VARCHAR, 256, None, None),
        ("STRING", Dialect.SNOWFLAKE, TypeKind.VARCHAR, 16777216, None, None),
        ("TEXT", Dialect.POSTGRES, TypeKind.TEXT, None, None, None),
        ("TIMESTAMP_NTZ(9)", Dialect.SNOWFLAKE, TypeKind.TIMESTAMP, None, 9, None),
        ("timestamp with time zone", Dialect.POSTGRES, TypeKind.TIMESTAMPTZ, None, None, None),
        ("DOUBLE PRECISION", Dialect.REDSHIFT, TypeKind.DOUBLE, None, None, None),
        ("CHAR(2)", Dialect.REDSHIFT, TypeKind.CHAR, 2, None, None),
        ("VARBYTE(64)", Dialect.REDSHIFT, TypeKind.BINARY, 64, None, None),
        ("SUPER", Dialect.REDSHIFT, TypeKind.JSON, None, None, None),
    ],
)
def test_type_text_is_parsed_and_kept(raw, dialect, kind, length, precision, scale):
    parsed = parse_type(raw, dialect)
    assert (parsed.kind, parsed.length, parsed.precision, parsed.scale) == (
        kind,
        length,
        precision,
        scale,
    )
    assert parsed.raw == " ".join(raw.split())


def test_unknown_type_is_an_error():
    with pytest.raises(UnknownTypeError, match="GEOGRAPHY"):
        parse_type("GEOGRAPHY")


def _fk_table(name, parent, nullable):
    return {
        "name": name,
        "columns": [
            {"name": "id", "type": "INT", "nullable": False},
            {"name": "ref", "type": "INT", "nullable": nullable},
        ],
        "primary_key": ["id"],
        "foreign_keys": [
            {"columns": ["ref"], "references_table": parent, "references_columns": ["id"]}
        ],
    }


def test_cycle_without_nullable_edge_is_rejected_naming_the_tables():
    with pytest.raises(ValidationError, match="a -> b -> a"):
        Experiment.model_validate(
            {"name": "c", "tables": [_fk_table("a", "b", False), _fk_table("b", "a", False)]}
        )


def test_cycle_is_broken_at_the_nullable_edge():
    exp = Experiment.model_validate(
        {"name": "c", "tables": [_fk_table("a", "b", True), _fk_table("b", "a", False)]}
    )
    assert load_order(exp) == ["a", "b"]


def test_foreign_key_to_unknown_table_or_column_is_rejected():
    with pytest.raises(ValidationError, match="unknown table nowhere"):
        Experiment.model_validate({"name": "c", "tables": [_fk_table("a", "nowhere", True)]})
    bad = _fk_table("a", "a", True)
    bad["foreign_keys"][0]["references_columns"] = ["missing"]
    with pytest.raises(ValidationError, match=r"unknown column a\.missing"):
        Experiment.model_validate({"name": "c", "tables": [bad]})


def test_run_layout_keys():
    layout = RunLayout("shop", "r1")
    assert layout.part_key("orders", 3) == "experiments/shop/runs/r1/orders/part-00003.parquet"
    assert layout.table_prefix("orders").endswith("/orders/")
    assert layout.manifest_key == "experiments/shop/runs/r1/manifest.json"
    assert TaskName.GENERATE_CHUNK.queue.value == "dwsim.generator"
