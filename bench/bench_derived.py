"""Cost of derived columns: order_lines with a lookup (unit_price = products.price), an
expression (line_total) and time order, orders with aggregates (total = sum of the lines,
item_count) and time order, against the same TPC-H-like tables whose columns are plain random
rules, measured in the same run.

    .venv/bin/python bench/bench_derived.py [--orders 1000000] [--rounds 3]

One process (no workers), generate + Parquet write of every chunk of a table; plain and
derived alternate for a few rounds and the best round of each counts (by CPU seconds of this
process, which other work on a shared machine does not inflate as it does wall time).
Goal: derived / plain under 1.5x.
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

from dwsim_generator.engine import plan_run
from dwsim_generator.engine.writer import write_part
from dwsim_shared.contracts.schema import Experiment

LINES_PER_ORDER = 3.5


def _col(name: str, type_: str, rule: dict | None = None) -> dict:
    column = {"name": name, "type": type_, "nullable": False}
    return {**column, "rule": rule} if rule else column


def schema(orders: int, derived: bool) -> Experiment:
    """A TPC-H-like shop (orders and lines with statuses, clerks, comments...); ``derived``:
    lines and orders computed from each other, else the same columns with plain rules."""
    money = {
        "kind": "distribution",
        "distribution": "lognormal",
        "params": {"mean": 3.5, "sigma": 1},
        "min": 1,
        "max": 5000,
    }
    stamp = {"kind": "range", "min": "2023-01-01T00:00:00", "max": "2025-12-31T23:59:59"}
    pick = lambda rule, plain: rule if derived else plain  # noqa: E731
    fk = {"columns": ["order_id"], "references_table": "orders", "references_columns": ["id"],
          "fanout": {"distribution": "poisson", "params": {"lam": 2.5, "min": 1}}}  # fmt: skip
    tables = [
        {"name": "customers", "rows": orders // 5, "primary_key": ["id"],
         "columns": [_col("id", "INTEGER"), _col("signed_up_at", "TIMESTAMP", stamp)]},
        {"name": "products", "rows": 100_000, "primary_key": ["id"],
         "columns": [_col("id", "INTEGER"), _col("price", "DECIMAL(10,2)", money)]},
        {"name": "orders", "rows": orders, "primary_key": ["id"],
         "foreign_keys": [{"columns": ["customer_id"], "references_table": "customers",
                           "references_columns": ["id"]}],
         "columns": [
             _col("id", "BIGINT"), _col("customer_id", "INTEGER"),
             _col("status", "CHAR(1)", {"kind": "categorical", "values": ["F", "O", "P"]}),
             _col("total", "DECIMAL(14,2)", pick({"kind": "aggregate", "function": "sum",
                                                  "ref": "order_lines.line_total"}, money)),
             _col("ordered_at", "TIMESTAMP", pick({"kind": "after", "ref": "customers.signed_up_at"}, stamp)),
             _col("priority", "VARCHAR(15)", {"kind": "categorical", "values": ["1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"]}),
             _col("clerk", "CHAR(15)", {"kind": "pattern", "pattern": "Clerk##########"}),
             _col("item_count", "INTEGER", pick({"kind": "aggregate", "function": "count",
                                                 "ref": "order_lines"}, {"kind": "range", "min": 1, "max": 9})),
             _col("comment", "VARCHAR(79)", {"kind": "text", "min_length": 19, "max_length": 78}),
         ]},
        {"name": "order_lines", "rows": int(orders * LINES_PER_ORDER),
         "primary_key": ["order_id", "line_no"],
         "foreign_keys": [fk, {"columns": ["product_id"], "references_table": "products",
                               "references_columns": ["id"]}],
         "columns": [
             _col("order_id", "BIGINT"), _col("line_no", "SMALLINT"), _col("product_id", "INTEGER"),
             _col("quantity", "INTEGER", {"kind": "range", "min": 1, "max": 50}),
             _col("unit_price", "DECIMAL(10,2)", pick({"kind": "lookup", "ref": "products.price"}, money)),
             _col("discount", "DECIMAL(4,2)", {"kind": "range", "min": 0, "max": 0.1}),
             _col("line_total", "DECIMAL(12,2)", pick({"kind": "expression",
                                                       "expression": "quantity * unit_price"}, money)),
             _col("return_flag", "CHAR(1)", {"kind": "categorical", "values": ["A", "N", "R"]}),
             _col("shipped_at", "TIMESTAMP", pick({"kind": "after", "ref": "orders.ordered_at",
                                                   "distribution": "exponential", "params": {"scale": 2}}, stamp)),
             _col("ship_mode", "CHAR(10)", {"kind": "categorical", "values": ["AIR", "MAIL", "RAIL", "SHIP", "TRUCK", "REG AIR", "FOB"]}),
             _col("comment", "VARCHAR(44)", {"kind": "text", "min_length": 10, "max_length": 43}),
         ]},
    ]  # fmt: skip
    return Experiment.model_validate({"name": "shop", "warehouse": "redshift", "tables": tables})


def seconds(orders: int, derived: bool, table: str, out: Path) -> tuple[float, float]:
    """(wall, CPU) seconds to generate + write every chunk of ``table``, planning excluded."""
    plan = plan_run(schema(orders, derived), seed=1)
    started, cpu = time.perf_counter(), time.process_time()
    for chunk in range(plan.chunk_count(table)):
        write_part(plan.generate_chunk(table, chunk), out, table, chunk)
    return time.perf_counter() - started, time.process_time() - cpu


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    best: dict[tuple[str, bool], tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.rounds):
            for table in ("order_lines", "orders"):
                for derived in (False, True):
                    took = seconds(args.orders, derived, table, Path(tmp))
                    key = (table, derived)
                    best[key] = min(best.get(key, took), took, key=lambda t: t[1])
    lines = int(args.orders * LINES_PER_ORDER)
    print(f"derived columns, one process, {args.orders:,} orders and {lines:,} lines, generate + "
          f"snappy Parquet, best of {args.rounds} alternating rounds by CPU time (wall beside)")  # fmt: skip
    what = {"order_lines": "unit_price lookup, line_total expression, shipped_at after the order",
            "orders": "total = sum(lines), item_count = count(lines), ordered_at after signup"}  # fmt: skip
    worst = 0.0
    for table, rows in (("order_lines", lines), ("orders", args.orders)):
        (plain_wall, plain), (derived_wall, derived) = best[(table, False)], best[(table, True)]
        worst = max(worst, derived / plain)
        print(f"  {table:<12} plain {plain:5.2f} CPU s ({plain_wall:5.2f} s wall, "
              f"{rows / plain:>10,.0f} rows/CPU s)   derived {derived:5.2f} CPU s "
              f"({derived_wall:5.2f} s wall, {rows / derived:>10,.0f} rows/CPU s)   "
              f"ratio {derived / plain:.2f}x")  # fmt: skip
        print(f"  {'':<12} [{what[table]}]")
    print("  verdict:", "meets the 1.5x goal" if worst < 1.5 else "ABOVE the 1.5x goal")
    return 0


if __name__ == "__main__":
    sys.exit(main())
