"""The cost model (``dwsim_shared.cost``): each column's kind as the engine makes it, and
predictions that grow with rows and columns and shrink with workers. No timing is measured
here; ``bench/bench_cost_model.py --check`` compares predictions with real runs."""

import json

import pytest

from dwsim_shared.contracts.enums import Dialect
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.contracts.sizing import resolve_rows
from dwsim_shared.cost.kinds import CostKind, column_kind
from dwsim_shared.cost.predict import coefficients, format_estimate, predict
from dwsim_shared.ddl import import_ddl
from tests.fixtures.servers import REPO
from tests.generator.shop_ddl import SHOP_DDL

TPCH = Experiment.model_validate_json((REPO / "bench" / "tpch_sf1.json").read_text())
SHOP = import_ddl(SHOP_DDL, dialect=Dialect.POSTGRES, name="shop")


def kinds(experiment: Experiment, table: str) -> dict[str, CostKind]:
    found = experiment.table(table)
    return {c.name: column_kind(found, c) for c in found.columns}


def test_key_columns_cost_what_their_key_does() -> None:
    lineitem = kinds(TPCH, "lineitem")
    assert lineitem["l_orderkey"] == CostKind.FOREIGN_KEY  # laid out order by order
    assert lineitem["l_linenumber"] == CostKind.COMPOSITE_KEY  # numbered within its order
    assert lineitem["l_partkey"] == CostKind.COMPOSITE_FOREIGN_KEY  # a two-column foreign key
    assert lineitem["l_comment"] == CostKind.TEXT
    assert lineitem["l_extendedprice"] == CostKind.DECIMAL
    assert lineitem["l_shipdate"] == CostKind.DATE
    partsupp = kinds(TPCH, "partsupp")
    assert partsupp["ps_partkey"] == partsupp["ps_suppkey"] == CostKind.COMPOSITE_KEY  # a grid
    assert kinds(TPCH, "orders")["o_orderkey"] == CostKind.SEQUENCE_KEY
    lines = kinds(SHOP, "order_lines")
    assert lines["order_id"] == CostKind.FOREIGN_KEY
    assert lines["product_id"] == CostKind.SKEWED_FOREIGN_KEY  # drawn: the layout is order_id's
    assert lines["unit_price"] == CostKind.LOOKUP
    customers = kinds(SHOP, "customers")
    assert customers["email"] == CostKind.EMAIL
    assert customers["public_id"] == CostKind.UUID
    assert customers["first_name"] == CostKind.POOL_STRING
    assert customers["phone"] == CostKind.GEO
    assert kinds(SHOP, "orders")["total"] == CostKind.AGGREGATE
    assert kinds(SHOP, "products")["sku"] == CostKind.UNIQUE_STRING


def test_every_kind_has_measured_coefficients() -> None:
    model = coefficients()
    assert set(model["kinds"]) == {k.value for k in CostKind}
    for kind, cost in model["kinds"].items():
        assert min(cost["seconds"], cost["bytes"]) >= 0, kind
    assert model["row"]["seconds"] > 0
    assert model["row"]["bytes"] > 0
    assert json.loads(json.dumps(model)) == model  # plain data the gateway reads


def test_more_rows_and_wider_tables_predict_more() -> None:
    rows = resolve_rows(TPCH)
    whole = predict(TPCH, rows)
    double = predict(TPCH, resolve_rows(TPCH, scale=2))
    assert double.cpu_seconds > 1.8 * whole.cpu_seconds
    assert double.bytes > 1.8 * whole.bytes
    by_table = {t.table: t for t in whole.tables}
    assert by_table["lineitem"].rows == 6_000_000
    assert by_table["lineitem"].chunks == 6
    # partsupp has fewer rows than orders, but each row is wider (a 199-character comment)
    per_row = {t.table: t.bytes / t.rows for t in whole.tables}
    assert per_row["partsupp"] > per_row["orders"] > per_row["nation"] / 100
    assert sum(t.bytes for t in whole.tables) == whole.bytes
    assert whole.rows_total == sum(rows.values())


def test_workers_share_the_chunks() -> None:
    rows = resolve_rows(TPCH)
    one, two = predict(TPCH, rows, workers=1), predict(TPCH, rows, workers=2)
    assert two.cpu_seconds == one.cpu_seconds
    assert one.seconds / 2 <= two.seconds < one.seconds * 0.6
    # one chunk cannot be shared: a single part takes as long on any number of workers
    single = {name: (n if name == "orders" else 0) for name, n in rows.items()}
    alone = predict(TPCH, single, workers=1, chunk_rows=10_000_000)
    assert predict(TPCH, single, workers=4, chunk_rows=10_000_000).seconds == alone.seconds


@pytest.mark.parametrize(("workers", "word"), [(1, "process"), (3, "processes")])
def test_the_printed_estimate_has_a_line_per_table(workers: int, word: str) -> None:
    text = format_estimate(predict(SHOP, resolve_rows(SHOP), workers=workers))
    lines = text.splitlines()
    assert lines[0].split() == ["table", "rows", "parts", "CPU", "s", "Parquet"]
    assert [line.split()[0] for line in lines[1:-1]] == [t.name for t in SHOP.tables]
    assert f" on {workers} {word} " in lines[-1]
    assert lines[-1].endswith(" of Parquet")
