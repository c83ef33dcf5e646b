"""Same schema, rules and seed: the same data row for row, whatever the chunking or workers."""

import hashlib

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from dwsim_generator.engine import plan_run
from tests.generator.helpers import check_integrity, generate, plain
from tests.generator.schemas import SHOP


@pytest.fixture(scope="module")
def reference():
    return {name: plain(t) for name, t in generate(SHOP, seed=5, chunk_rows=1 << 20).items()}


@pytest.mark.parametrize("chunk_rows", [7_777, 65_536, 100_003])
def test_same_rows_whatever_the_chunk_size(reference, chunk_rows):
    again = generate(SHOP, seed=5, chunk_rows=chunk_rows)
    for name, data in again.items():
        assert plain(data).equals(reference[name]), name


def test_a_chunk_computed_alone_equals_the_same_rows_of_the_whole(reference):
    plan = plan_run(SHOP, seed=5, chunk_rows=10_000)  # a fresh plan: nothing generated before
    for table, chunk in [("order_lines", 11), ("shipments", 2), ("orders", 5)]:
        alone = plain(plan.generate_chunk(table, chunk))
        assert alone.equals(reference[table].slice(chunk * 10_000, 10_000))


def test_any_row_range_matches(reference):
    plan = plan_run(SHOP, seed=5)
    rows = plain(plan.generate_rows("order_lines", 65_530, 65_545))
    assert rows.num_rows == 15  # across a block boundary
    assert rows.equals(reference["order_lines"].slice(65_530, 15))
    middle = plain(plan.generate_rows("customers", 12_345, 12_400))
    assert middle.equals(reference["customers"].slice(12_345, 55))


def test_a_different_seed_gives_different_data(reference):
    other = generate(SHOP, seed=6)
    assert not plain(other["customers"]).equals(reference["customers"])
    assert not plain(other["orders"]).equals(reference["orders"])


def test_integrity_holds_for_the_whole_shop(reference):
    check_integrity(SHOP, reference)


def test_chunks_serialise_to_identical_bytes():
    plan = plan_run(SHOP, seed=5, chunk_rows=20_000)
    sink_a, sink_b = pa.BufferOutputStream(), pa.BufferOutputStream()
    pq.write_table(plan.generate_chunk("orders", 1), sink_a)
    pq.write_table(plan_run(SHOP, seed=5, chunk_rows=20_000).generate_chunk("orders", 1), sink_b)
    digest = [hashlib.sha256(s.getvalue().to_pybytes()).hexdigest() for s in (sink_a, sink_b)]
    assert digest[0] == digest[1]
