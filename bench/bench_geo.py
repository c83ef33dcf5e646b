"""Geo columns (rule kind ``geo``): the cost of an address that agrees with itself, against the
same seven columns drawn independently from Faker pools, measured in the same run.

    .venv/bin/python bench/bench_geo.py [--rows 1048576] [--rounds 3]

Each side generates one chunk and writes it as Parquet; the best round of each counts (CPU
seconds, so load from other work on the machine hurts neither side). Pools and the geo
table are built before timing (the disk cache makes that once per machine).
"""

import argparse
import time

from dwsim_generator.engine import plan_run
from dwsim_generator.engine.writer import part_bytes
from dwsim_shared.contracts.schema import Experiment

FIELDS = [  # (column, type, geo field, Faker provider)
    ("city", "VARCHAR(40)", "city", "city"),
    ("state", "VARCHAR(40)", "state", "state"),
    ("postcode", "VARCHAR(10)", "postcode", "postcode"),
    ("country", "VARCHAR(40)", "country", "country"),
    ("country_code", "CHAR(2)", "country_code", "country_code"),
    ("phone", "VARCHAR(24)", "phone", "phone_number"),
    ("currency", "CHAR(3)", "currency", "currency_code"),
]


def schema(rows: int, geo: bool) -> Experiment:
    columns = [
        {"name": name, "type": type_,
         "rule": {"kind": "geo", "field": field} if geo else {"kind": "faker", "provider": faker}}
        for name, type_, field, faker in FIELDS
    ]  # fmt: skip
    table = {"name": "t", "rows": rows, "columns": columns}
    return Experiment.model_validate({"name": "b", "warehouse": "redshift", "tables": [table]})


def best_cpu(rows: int, geo: bool, rounds: int) -> tuple[float, float]:
    """(CPU seconds to generate, to generate and write) of the best round."""
    plan = plan_run(schema(rows, geo), seed=1, chunk_rows=rows)
    plan.generate_chunk("t", 0)  # pools and the geo table, outside the timing
    best = (float("inf"), float("inf"))
    for _ in range(rounds):
        started = time.process_time()
        chunk = plan.generate_chunk("t", 0)
        made = time.process_time()
        part_bytes(chunk)
        best = min(best, (made - started, time.process_time() - started))
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1 << 20)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    print(f"{args.rows:,} rows x {len(FIELDS)} address columns, best round (CPU s)")
    results = {}
    for geo in (False, True, False, True):  # alternating, the best of both passes counts
        results[geo] = min(
            results.get(geo, (float("inf"),) * 2), best_cpu(args.rows, geo, args.rounds)
        )
    for geo, label in ((False, "independent Faker pools"), (True, "geo (one place per row)")):
        made, total = results[geo]
        print(f"  {label:24s} generate {made:.2f} s, with the Parquet write {total:.2f} s")
    print(f"  geo / pools, end to end: {results[True][1] / results[False][1]:.1f}x")


if __name__ == "__main__":
    main()
