"""CREATE TABLE rendering per warehouse (pure functions: no server needed)."""

import pytest

from dwsim_shared.contracts.enums import Dialect, TypeKind, Warehouse
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.contracts.types import ColumnType, parse_type
from dwsim_shared.warehouses import WarehouseError
from dwsim_shared.warehouses.render import render_create_table, render_schema
from dwsim_shared.warehouses.typemap import render_type
from tests.adapters.staging import experiment

R, S, L = Warehouse.REDSHIFT, Warehouse.SNOWFLAKE, Warehouse.SQLITE


@pytest.mark.parametrize(
    ("raw", "dialect", "redshift", "snowflake", "sqlite"),
    [
        ("SMALLINT", None, "SMALLINT", "SMALLINT", "SMALLINT"),
        ("INT", None, "INTEGER", "INTEGER", "INTEGER"),
        ("INT8", None, "BIGINT", "BIGINT", "BIGINT"),
        ("NUMERIC(10, 3)", None, "DECIMAL(10,3)", "NUMBER(10,3)", "DECIMAL(10,3)"),
        ("FLOAT4", None, "REAL", "FLOAT", "REAL"),
        ("DOUBLE PRECISION", None, "DOUBLE PRECISION", "DOUBLE", "DOUBLE"),
        ("CHAR(2)", None, "CHAR(2)", "CHAR(2)", "CHAR(2)"),
        ("VARCHAR(70000)", None, "VARCHAR(65535)", "VARCHAR(70000)", "VARCHAR(70000)"),
        ("TEXT", None, "VARCHAR(65535)", "VARCHAR", "TEXT"),
        ("DATE", None, "DATE", "DATE", "DATE"),
        ("TIME", None, "TIME", "TIME", "TIME"),
        ("TIMESTAMP", None, "TIMESTAMP", "TIMESTAMP_NTZ", "TIMESTAMP"),
        ("TIMESTAMPTZ", None, "TIMESTAMPTZ", "TIMESTAMP_TZ", "TIMESTAMPTZ"),
        ("BOOLEAN", None, "BOOLEAN", "BOOLEAN", "BOOLEAN"),
        ("UUID", Dialect.POSTGRES, "VARCHAR(36)", "VARCHAR(36)", "UUID"),
        ("JSONB", Dialect.POSTGRES, "SUPER", "VARIANT", "JSON"),
        ("OBJECT", Dialect.SNOWFLAKE, "SUPER", "OBJECT", "JSON"),
        ("ARRAY", Dialect.SNOWFLAKE, "SUPER", "ARRAY", "JSON"),
        ("BYTEA", Dialect.POSTGRES, "VARBYTE", "BINARY", "BLOB"),
        # the warehouse's own text is kept when the experiment is in its dialect
        ("VARCHAR(MAX)", Dialect.REDSHIFT, "VARCHAR(MAX)", "VARCHAR(65535)", "VARCHAR(65535)"),
        ("timestamp with time zone", Dialect.REDSHIFT, "TIMESTAMP WITH TIME ZONE",
         "TIMESTAMP_TZ", "TIMESTAMPTZ"),
        ("NUMBER(38,0)", Dialect.SNOWFLAKE, "DECIMAL(38,0)", "NUMBER(38,0)", "DECIMAL(38,0)"),
        ("STRING", Dialect.SNOWFLAKE, "VARCHAR(65535)", "STRING", "VARCHAR(16777216)"),
        ("TIMESTAMP_LTZ(9)", Dialect.SNOWFLAKE, "TIMESTAMPTZ", "TIMESTAMP_LTZ(9)", "TIMESTAMPTZ"),
        # a type the warehouse does not have is rebuilt from its kind even in its dialect
        ("UUID", Dialect.REDSHIFT, "VARCHAR(36)", "VARCHAR(36)", "UUID"),
        ("BINARY(16)", Dialect.SNOWFLAKE, "VARBYTE(16)", "BINARY", "BLOB"),
    ],
)  # fmt: skip
def test_every_type_renders_in_every_warehouse(raw, dialect, redshift, snowflake, sqlite):
    column_type = parse_type(raw, dialect)
    rendered = {w: render_type(column_type, w, dialect) for w in (R, S, L)}
    assert rendered == {R: redshift, S: snowflake, L: sqlite}


def test_every_type_kind_has_a_rendering_in_every_warehouse():
    for kind in TypeKind:
        for warehouse in (R, S, L):
            assert render_type(ColumnType(kind=kind, raw=kind.value), warehouse, None)


def test_declared_text_that_is_not_a_type_never_reaches_the_warehouse():
    evil = ColumnType(kind=TypeKind.INTEGER, raw='INT); DROP TABLE "x"; --')
    assert render_type(evil, R, Dialect.REDSHIFT) == "INTEGER"
    lying = ColumnType(kind=TypeKind.INTEGER, raw="VARCHAR(10)")  # raw disagrees with kind
    assert render_type(lying, S, Dialect.SNOWFLAKE) == "INTEGER"


def test_redshift_table_keeps_encode_dist_sort_backup_and_keys():
    exp = experiment("shop", R, Dialect.REDSHIFT)
    sql = render_create_table(exp, exp.table("orders"), R, '"shop".')
    assert sql == (
        'CREATE TABLE "shop"."orders" (\n'
        '  "order_id" BIGINT ENCODE AZ64 NOT NULL,\n'
        '  "region" VARCHAR(40) ENCODE ZSTD NOT NULL,\n'
        '  "customer_id" INTEGER NOT NULL,\n'
        '  "amount" DECIMAL(12,2),\n'
        '  PRIMARY KEY ("order_id"),\n'
        '  FOREIGN KEY ("region", "customer_id") REFERENCES "shop"."customers" '
        '("region", "customer_id")\n'
        ') BACKUP NO DISTSTYLE KEY DISTKEY ("customer_id") COMPOUND SORTKEY ("region", "order_id")'
    )


def test_snowflake_names_are_upper_case_with_cluster_by_and_foreign_keys_optional():
    exp = experiment("shop", S, Dialect.SNOWFLAKE)
    ddl = render_schema(exp, S, '"DWSIM"."SHOP".', foreign_keys=False)
    orders = next(s for s in ddl.statements if '"ORDERS"' in s)
    assert orders.startswith('CREATE TABLE "DWSIM"."SHOP"."ORDERS" (\n  "ORDER_ID" BIGINT NOT NULL')
    assert orders.endswith(') CLUSTER BY ("REGION")')
    assert "FOREIGN KEY" not in "".join(ddl.statements)
    assert "ENCODE" not in orders
    assert "DISTKEY" not in orders
    with_fks = render_schema(exp, S, '"DWSIM"."SHOP".')
    assert "FOREIGN KEY" in "".join(with_fks.statements)


def _cycle(warehouse: Warehouse) -> Experiment:
    """a.b_id -> b (nullable) and b.a_id -> a (NOT NULL): a is created first."""
    return Experiment.model_validate(
        {
            "name": "cyc",
            "warehouse": warehouse,
            "tables": [
                {
                    "name": "a",
                    "columns": [
                        {"name": "id", "type": "INT", "nullable": False},
                        {"name": "b_id", "type": "INT"},
                    ],
                    "primary_key": ["id"],
                    "foreign_keys": [
                        {"columns": ["b_id"], "references_table": "b", "references_columns": ["id"]}
                    ],
                },
                {
                    "name": "b",
                    "columns": [
                        {"name": "id", "type": "INT", "nullable": False},
                        {"name": "a_id", "type": "INT", "nullable": False},
                    ],
                    "primary_key": ["id"],
                    "foreign_keys": [
                        {"columns": ["a_id"], "references_table": "a", "references_columns": ["id"]}
                    ],
                },
            ],
        }
    )


def test_a_foreign_key_cycle_is_closed_after_every_table_exists():
    ddl = render_schema(_cycle(R), R, '"cyc".')
    assert [s.split("(")[0] for s in ddl.creates] == [
        'CREATE TABLE "cyc"."a" ',
        'CREATE TABLE "cyc"."b" ',
    ]
    assert "FOREIGN KEY" not in ddl.creates[0]
    assert ddl.foreign_keys == [
        'ALTER TABLE "cyc"."a" ADD FOREIGN KEY ("b_id") REFERENCES "cyc"."b" ("id")'
    ]
    sqlite = render_schema(_cycle(L), L, "")
    assert sqlite.foreign_keys == []
    assert 'FOREIGN KEY ("b_id") REFERENCES "b" ("id")' in sqlite.creates[0]


def test_identity_renders_per_warehouse_and_defaults_and_checks_are_left_out():
    exp = Experiment.model_validate(
        {
            "name": "ids",
            "tables": [
                {
                    "name": "t",
                    "columns": [
                        {"name": "id", "type": "BIGINT", "identity": {"seed": 5, "step": 2}},
                        {"name": "n", "type": "INT", "default": "1); DROP TABLE t; --"},
                    ],
                    "checks": [{"expression": "n > 0"}],
                }
            ],
        }
    )
    table = exp.table("t")
    redshift = render_create_table(exp, table, R, "")
    assert '"id" BIGINT GENERATED BY DEFAULT AS IDENTITY(5,2)' in redshift
    assert '"ID" BIGINT IDENTITY(5,2)' in render_create_table(exp, table, S, "")
    assert "IDENTITY" not in render_create_table(exp, table, L, "")
    for warehouse in (R, S, L):
        sql = render_create_table(exp, table, warehouse, "")
        assert "DROP" not in sql
        assert "CHECK" not in sql
        assert "DEFAULT" not in sql.replace("BY DEFAULT", "")


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"diststyle": "random"}, "DISTSTYLE 'random' is not one of ALL, AUTO, EVEN, KEY"),
        ({"distkey": "nope"}, "DISTKEY names unknown column nope"),
        ({"sortkey": ["id", "nope"]}, "SORTKEY names unknown column nope"),
    ],
)
def test_bad_redshift_attributes_are_errors_naming_the_table(options, message):
    exp = Experiment.model_validate(
        {
            "name": "bad",
            "tables": [
                {"name": "t", "columns": [{"name": "id", "type": "INT"}], "warehouse": options}
            ],
        }
    )
    with pytest.raises(WarehouseError, match=f"redshift, table t: {message}"):
        render_create_table(exp, exp.table("t"), R, "")


def test_unknown_encoding_is_an_error_naming_table_and_column():
    exp = Experiment.model_validate(
        {
            "name": "bad",
            "tables": [{"name": "t", "columns": [{"name": "id", "type": "INT", "encode": "gzip"}]}],
        }
    )
    with pytest.raises(WarehouseError, match=r"table t: column id has ENCODE 'gzip'"):
        render_create_table(exp, exp.table("t"), R, "")
