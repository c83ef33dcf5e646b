"""Every good file of the DDL corpus (tests/ddl/<dialect>/) imports exactly as expected:
tables, columns with their declared type text, keys, foreign keys, warehouse metadata, rules.
The expectations are in tests/ddl/expected_*.py."""

from pathlib import Path

import pytest

from dwsim_shared.contracts.enums import IdentityKind
from dwsim_shared.ddl import import_ddl
from tests.ddl.case import TODAY, Case
from tests.ddl.expected_other import POSTGRES, SNOWFLAKE
from tests.ddl.expected_redshift import MESSY, TPCH
from tests.ddl.expected_tickit import TICKIT

CORPUS = Path(__file__).resolve().parents[1] / "ddl"

CASES = [
    pytest.param(TPCH, id="redshift-tpch"),
    pytest.param(SNOWFLAKE, id="snowflake-ecommerce"),
    pytest.param(POSTGRES, id="postgres-app"),
    pytest.param(MESSY, id="redshift-messy-dump"),
    pytest.param(TICKIT, id="redshift-tickit"),
]


def _import(case: Case):
    text = (CORPUS / case.path).read_text()
    return import_ddl(text, dialect=case.dialect, name="corpus", today=TODAY)


@pytest.mark.parametrize("case", CASES)
def test_tables_columns_and_types(case):
    exp = _import(case)
    assert exp.warehouse == case.warehouse
    assert [t.name for t in exp.tables] == list(case.columns)
    for table in exp.tables:
        got = [(c.name, c.type.kind, c.type.raw, c.nullable) for c in table.columns]
        assert got == case.columns[table.name], table.name


@pytest.mark.parametrize("case", CASES)
def test_keys_and_foreign_keys(case):
    exp = _import(case)
    assert {t.name: t.primary_key for t in exp.tables if t.primary_key} == case.primary_keys
    got = [
        (t.name, fk.columns, fk.references_table, fk.references_columns)
        for t in exp.tables
        for fk in t.foreign_keys
    ]
    assert got == case.foreign_keys


@pytest.mark.parametrize("case", CASES)
def test_warehouse_options(case):
    exp = _import(case)
    for table, expected in case.warehouse_options.items():
        options = exp.table(table).warehouse.model_dump(mode="json")
        assert {k: options[k] for k in expected} == expected, table


@pytest.mark.parametrize("case", CASES)
def test_every_column_has_a_rule_and_spot_checks_hold(case):
    exp = _import(case)
    for table in exp.tables:
        for column in table.columns:
            assert column.rule is not None, f"{table.name}.{column.name}"
    for table, column, expected in case.rules:
        rule = exp.table(table).column(column).rule.model_dump()
        assert {k: rule[k] for k in expected} == expected, f"{table}.{column}"


@pytest.mark.parametrize("case", CASES)
def test_warnings_name_what_was_not_imported(case):
    exp = _import(case)
    messages = [str(w) for w in exp.warnings]
    for expected in case.warnings:
        assert any(expected in m for m in messages), (expected, messages)


def test_tpch_physical_design_and_encodings_are_kept():
    exp = _import(TPCH)
    assert exp.table("region").column("r_name").encode == "LZO"
    assert exp.table("lineitem").column("l_orderkey").encode == "AZ64"
    assert exp.table("lineitem").column("l_partkey").encode is None


def test_snowflake_identity_comments_and_qualified_names():
    exp = _import(SNOWFLAKE)
    customers = exp.table("customers")
    assert customers.schema_name == "analytics.public"
    assert customers.comment == "one row per registered customer"
    assert customers.column("email").comment == "login e-mail, unique"
    assert [u.columns for u in customers.unique] == [["email"]]
    assert exp.table("products").unique[0].name == "uq_products_sku"
    identity = exp.table("products").column("product_id").identity
    assert (identity.kind, identity.seed, identity.step) == (IdentityKind.AUTOINCREMENT, 1000, 10)
    assert exp.table("Orders").column("OrderId").identity.kind == IdentityKind.IDENTITY
    assert customers.column("created_at").default == "CURRENT_TIMESTAMP()"
    assert exp.table("Orders").column("order_status").default == "'pending'"


def test_postgres_comments_defaults_checks_and_serials():
    exp = _import(POSTGRES)
    accounts, users = exp.table("accounts"), exp.table("users")
    assert accounts.schema_name == "public"
    assert accounts.comment == "Tenants: one row per paying organisation"
    assert accounts.column("seats").comment == "licensed seats"
    assert users.column("email").comment == "login; it's unique per account"
    assert accounts.column("created_at").default == "now()"
    assert users.column("settings").default == "'{}'::jsonb"
    assert accounts.column("id").identity.kind == IdentityKind.SERIAL
    assert (
        exp.table("invoices").column("id").default == "nextval('public.invoices_id_seq'::regclass)"
    )
    assert [c.expression for c in accounts.checks] == [
        "status IN ('active', 'suspended', 'closed')",
        "seats BETWEEN 1 AND 500",
    ]
    assert users.checks[0].name == "users_role_check"
    assert [u.columns for u in accounts.unique] == [["public_id"]]


def test_messy_dump_keeps_quoted_case_and_schemas():
    exp = _import(MESSY)
    dim, fact = exp.table("DimCustomer"), exp.table("fact_sales")
    assert dim.schema_name == "Sales"
    assert fact.schema_name == "prod_dw.Sales"
    assert fact.column("SaleAmount").name == "SaleAmount"  # unquoted: case as written
    assert dim.column("LoadedAt").default == "getdate()"
    assert dim.column("EmailAddress").type.length == 65535
    assert fact.column("payload_bytes").type.length == 1024
    assert exp.table("staging_sales").primary_key == []  # LIKE copies columns, not keys


@pytest.mark.parametrize("case", CASES)
def test_default_sizes_follow_the_key_graph(case):
    exp = _import(case)
    for table, (rows, role) in case.sizes.items():
        got = exp.table(table)
        assert (got.rows, got.sizing.role.value) == (rows, role), table
        assert got.sizing.source == "inferred"
