"""dbt's sample shop project runs unchanged on both emulators: dbt-redshift against the Redshift
emulator, dbt-snowflake against the Snowflake emulator.

One project (tests/dbt/project): seeds, staging views, marts tables configured per warehouse
(dist/sort on Redshift, cluster_by/transient on Snowflake), an incremental model run twice (merge
on Snowflake, delete+insert on Redshift), a check-strategy snapshot taken, the source changed and
taken again, schema and unit tests, a custom macro, and the docs catalog. Each command must
succeed; the tests then read what dbt built.
"""

import json
from collections.abc import Iterator

import pytest

pytest.importorskip("dbt.adapters.redshift")
pytest.importorskip("dbt.adapters.snowflake")

from tests.dbt.runner import DbtProject
from tests.dbt.targets import TARGETS

MODELS = [
    "stg_customers",
    "stg_orders",
    "stg_payments",
    "customers",
    "orders",
    "payments_incremental",
]
VIEWS = ["stg_customers", "stg_orders", "stg_payments"]
SEEDS = {"raw_customers": 11, "raw_orders": 15, "raw_payments": 18}
# the row changed and the row added between the two snapshots (raw_customers: 10 rows, then 11)
CHANGED = ("3,Kathleen,P.", "3,Kathleen,Q.")
ADDED = "11,Ann,T."


def _change_customers(project: DbtProject) -> None:
    seed = project.root / "seeds" / "raw_customers.csv"
    text = seed.read_text()
    assert CHANGED[0] in text
    seed.write_text(text.replace(CHANGED[0], CHANGED[1]) + ADDED + "\n")


@pytest.fixture(scope="module", params=sorted(TARGETS))
def project(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[DbtProject]:
    """The whole dbt workflow, run once per adapter; the tests read its steps and results."""
    with TARGETS[request.param](request) as target, pytest.MonkeyPatch.context() as env:
        for name, value in {**target.env, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false"}.items():
            env.setenv(name, value)
        project = DbtProject.copy(target, tmp_path_factory.mktemp(f"dbt-{target.adapter}"))
        steps = [
            ("debug", ["debug"]),
            ("seed", ["seed"]),
            ("run", ["run"]),
            ("run again", ["run"]),
            ("snapshot", ["snapshot"]),
            ("seed changed", ["seed", "--select", "raw_customers"]),
            ("snapshot again", ["snapshot"]),
            ("test", ["test"]),
            ("docs generate", ["docs", "generate"]),
        ]
        for name, args in steps:
            if name == "seed changed":
                _change_customers(project)
            if not project.dbt(name, *args).ok:
                break
        print(f"\ndbt on {target.adapter}: " + ", ".join(
            f"{s.name} {s.seconds:.1f}s{'' if s.ok else ' FAILED'}" for s in project.steps
        ))  # fmt: skip
        yield project


def test_every_dbt_command_succeeds(project: DbtProject):
    failed = [s for s in project.steps if not s.ok]
    assert not failed, (
        f"dbt {failed[0].name} failed on {project.target.adapter}:\n{failed[0].message}"
    )
    assert [s.name for s in project.steps][-1] == "docs generate"


def test_seeds_and_models_hold_the_shop(project: DbtProject):
    project.step("run again")
    query, rel = project.target.query, project.target.relation
    for seed, rows in SEEDS.items():
        assert query(f"select count(*) from {rel(seed)}") == [(rows,)], seed
    assert query(f"select count(*) from {rel('stg_orders')}") == [(15,)]
    # the custom macro turned cents into dollars; the mart sums them per customer
    rows = query(
        f"select customer_id, number_of_orders, customer_lifetime_value from {rel('customers')} "
        "where customer_id in (1, 3, 10) order by customer_id"
    )
    assert [(r[0], r[1], None if r[2] is None else float(r[2])) for r in rows] == [
        (1, 2, 27.0),
        (3, 3, 65.0),
        (10, None, None),
    ]
    # the payment methods pivoted by the Jinja loop
    assert query(
        f"select coupon_amount, credit_card_amount, amount from {rel('orders')} where order_id = 2"
    ) == [(5, 20, 25)]


def test_incremental_rerun_replaces_rows_by_key(project: DbtProject):
    project.step("run again")
    query, rel = project.target.query, project.target.relation
    assert query(
        f"select count(*), count(distinct payment_id) from {rel('payments_incremental')}"
    ) == [(18, 18)]
    # the second run re-read the last four payments and replaced them by key
    rows = query(
        f"select payment_id from {rel('payments_incremental')} "
        "where from_incremental_run order by payment_id"
    )
    assert [r[0] for r in rows] == [15, 16, 17, 18]


def test_snapshot_closes_the_changed_row_and_opens_new_versions(project: DbtProject):
    project.step("snapshot again")
    query, rel = project.target.query, project.target.relation
    rows = query(
        f"select id, last_name, dbt_valid_to is null from {rel('customers_snapshot')} "
        "where id in (3, 11) order by id, dbt_valid_from"
    )
    assert rows == [(3, "P.", False), (3, "Q.", True), (11, "T.", True)]
    assert query(
        f"select count(*), sum(case when dbt_valid_to is null then 1 else 0 end) "
        f"from {rel('customers_snapshot')}"
    ) == [(12, 11)]


def test_schema_and_unit_tests_ran(project: DbtProject):
    run = project.step("test").run_results
    ids = {r["unique_id"]: r["status"] for r in run["results"]}
    kinds = {uid.split(".")[0] for uid in ids}
    assert kinds == {"test", "unit_test"}
    for name in ("unique_", "not_null_", "relationships_", "accepted_values_"):
        assert any(name in uid for uid in ids), f"no {name} test ran"
    assert set(ids.values()) == {"pass"}


def test_docs_catalog_lists_every_model_seed_and_snapshot(project: DbtProject):
    project.step("docs generate")
    catalog = json.loads((project.target_dir / "catalog.json").read_text())
    nodes = {uid.split(".")[-1]: node for uid, node in catalog["nodes"].items()}
    expected = [*MODELS, *SEEDS, "customers_snapshot"]
    assert sorted(n for n in expected if n not in nodes) == [], catalog.get("errors")
    for view in VIEWS:
        assert nodes[view]["metadata"]["type"].upper() == "VIEW", view
    columns = {c.lower() for c in nodes["customers"]["columns"]}
    assert {"customer_id", "number_of_orders", "customer_lifetime_value"} <= columns
