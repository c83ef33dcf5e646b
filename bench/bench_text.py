"""Text columns (rule kind ``text``): whole-word lorem values, 1M rows in blocks of 65,536 as the
engine draws them, against a baseline measured in the same run: rows cut from the same lorem text
at random lengths, mid-word (how the engine made text before values became whole words).

    .venv/bin/python bench/bench_text.py [--rows 1000000] [--rounds 7]

Engine and baseline alternate and the best round of each counts.
"""

import argparse
import sys
import time
from functools import partial

import numpy as np
import pyarrow as pa

from dwsim_generator.engine.columns.base import ColumnContext
from dwsim_generator.engine.columns.text import LOREM_BYTES, Text, _circular
from dwsim_generator.engine.pools import lorem_buffer
from dwsim_generator.engine.streams import BLOCK_ROWS
from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.contracts.schema import Experiment


def text_maker(max_length: int, rows: int) -> Text:
    rule = {"kind": "text", "max_length": max_length}
    column = {"name": "c", "type": "VARCHAR(256)", "rule": rule}
    experiment = Experiment.model_validate(
        {"name": "b", "warehouse": "redshift", "tables": [{"name": "t", "columns": [column]}]}
    )
    table = experiment.tables[0]
    column_ = table.columns[0]
    return Text(ColumnContext(table, column_, column_.rule, rows, 1, Warehouse.REDSHIFT))


def raw_cuts(rng: np.random.Generator, n: int, low: int, high: int) -> pa.Array:
    """The baseline: consecutive stretches of the lorem text at random lengths."""
    buffer, starts = lorem_buffer(LOREM_BYTES)
    lengths = rng.integers(low, high, size=n, endpoint=True)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    data = _circular(buffer, int(starts[rng.integers(0, len(starts))]), int(offsets[-1]))
    array = pa.Array.from_buffers(
        pa.large_string(), n, [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    )
    return array.cast(pa.string())


def timed(sample, rows: int) -> float:
    started = time.perf_counter()
    for block, first in enumerate(range(0, rows, BLOCK_ROWS)):
        sample(np.random.default_rng(block), min(BLOCK_ROWS, rows - first))
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    print(f"text columns, {args.rows:,} rows in blocks of {BLOCK_ROWS:,}, best of {args.rounds}")
    for max_length in (40, 79, 117):
        maker = text_maker(max_length, args.rows)
        low, high = maker.min_length, maker.max_length
        words, cuts = [], []
        for _ in range(args.rounds):
            cuts.append(timed(partial(raw_cuts, low=low, high=high), args.rows))
            words.append(timed(maker.sample, args.rows))
        print(f"  lengths {low}..{high}: whole words {min(words) * 1000:6.1f} ms, "
              f"mid-word cuts (baseline) {min(cuts) * 1000:6.1f} ms, "
              f"ratio {min(words) / min(cuts):.2f}x")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
