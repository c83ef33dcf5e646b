"""The per-table row limit (DWSIM_MAX_ROWS), and parts written to memory as they are to disk."""

import pyarrow as pa
import pytest

from dwsim_cli.main import main
from dwsim_generator.engine import GenerationError, plan_run
from dwsim_generator.engine.writer import part_bytes, used_only, write_part
from tests.generator.schemas import SHOP

LIMIT_MESSAGE = (
    "orders: 60,000 rows were requested, above the limit of 50,000 rows per table "
    "(DWSIM_MAX_ROWS); ask for fewer rows or raise the limit"
)


def test_a_table_over_the_row_limit_is_refused_before_any_work():
    with pytest.raises(GenerationError) as info:
        plan_run(SHOP, max_rows=50_000)  # orders asks 60,000; order_lines 150,000
    assert str(info.value).startswith("orders: 60,000 rows were requested")
    assert "order_lines" not in str(info.value)  # the first table over the limit is named
    with pytest.raises(GenerationError, match="order_lines: 150,000 rows"):
        plan_run(SHOP, rows={"orders": 50_000}, max_rows=50_000)
    assert plan_run(SHOP, max_rows=150_000).rows["order_lines"] == 150_000  # the limit itself


def test_dwsim_generate_refuses_a_request_over_the_row_limit(tmp_path, monkeypatch, capsys):
    schema = tmp_path / "shop.json"
    schema.write_text(SHOP.model_dump_json())
    monkeypatch.setenv("DWSIM_MAX_ROWS", "50000")
    code = main(["generate", str(schema), "--out", str(tmp_path / "out"), "--scale", "1"])
    assert code == 2
    assert capsys.readouterr().err.strip() == f"dwsim generate: error: {LIMIT_MESSAGE}"
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_a_part_in_memory_has_the_bytes_of_the_part_on_disk(tmp_path):
    plan = plan_run(SHOP, seed=5, rows={"customers": 3000, "orders": 5000, "profiles": 2000},
                    chunk_rows=700)  # fmt: skip
    for table in ("customers", "orders", "accounts"):
        data = plan.generate_chunk(table, 1)
        key, size = write_part(data, tmp_path, table, 1)
        memory = part_bytes(data)
        assert memory.size == size
        assert memory.to_pybytes() == (tmp_path / key).read_bytes()


def test_a_dictionary_with_a_repeated_value_is_written_the_same_every_time():
    """pyarrow writes uninitialised bytes into the dictionary page of a dictionary that holds
    a value twice (Faker pools do); the writer keeps each value once."""
    pool = pa.array(["ann@example.org", "bob@example.org", "ann@example.org", "cy@example.org"])
    column = pa.chunked_array(
        [pa.DictionaryArray.from_arrays(pa.array([2, 0, 1, 3, None, 2], pa.int32()), pool)]
    )
    compact = used_only(column)
    assert compact.chunk(0).dictionary.to_pylist() == [
        "ann@example.org", "bob@example.org", "cy@example.org"
    ]  # fmt: skip
    assert compact.to_pylist() == column.to_pylist()
    table = pa.table({"email": column, "n": pa.array(range(6))})
    assert len({part_bytes(table).to_pybytes() for _ in range(20)}) == 1
