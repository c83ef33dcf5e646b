"""The on-disk cache of Faker pools and geo tables: a second run reads them instead of building
them, and never changes a byte of the data; it is keyed by Faker's version, safe with several
processes writing at once, and a damaged or unwritable cache only costs the build."""

import multiprocessing
import time

import pytest

from dwsim_cli.main import main
from dwsim_generator.engine import cache, pools
from dwsim_generator.engine.columns import person
from dwsim_generator.engine.geo import dataset, places
from tests.generator.helpers import col, experiment, table

FAKER = ("first_name", "last_name", "email", "street_address", "company", "job", "date")
SCHEMA = experiment(
    table("customers", 3_000, [
        col("id", "INTEGER", {"kind": "sequence"}, nullable=False),
        *[col(p, "VARCHAR(80)", {"kind": "faker", "provider": p}) for p in FAKER],
        col("city", "VARCHAR(40)", {"kind": "geo", "field": "city"}),
        col("country", "CHAR(2)", {"kind": "geo", "field": "country_code"}),
        col("phone", "VARCHAR(24)", {"kind": "geo", "field": "phone"}),
        col("title", "VARCHAR(6)", {"kind": "person", "field": "title"}),
    ]),
    table("orders", 5_000, [col("note", "VARCHAR(60)", {"kind": "faker", "provider": "sentence"})]),
)  # fmt: skip


def _fresh_process() -> None:
    """Forget what this process built, as a new ``dwsim generate`` would start."""
    pools._POOLS.clear()
    pools._faker.cache_clear()
    dataset.geo_data.cache_clear()
    person.person_lists.cache_clear()
    places._places.cache_clear()
    places._DRAWS.clear()


def _run(tmp_path, name: str) -> tuple[dict[str, bytes], float]:
    _fresh_process()
    schema = tmp_path / "schema.json"
    schema.write_text(SCHEMA.model_dump_json())
    out = tmp_path / name
    started = time.perf_counter()
    assert main(["generate", str(schema), "--out", str(out), "--seed", "3"]) == 0
    seconds = time.perf_counter() - started
    return {
        str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.parquet"))
    }, seconds


def test_a_cache_hit_gives_the_same_bytes_and_runs_no_faker(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DWSIM_CACHE_DIR", "off")
    off, off_s = _run(tmp_path, "off")
    monkeypatch.setenv("DWSIM_CACHE_DIR", str(tmp_path / "cache"))
    cold, cold_s = _run(tmp_path, "cold")
    assert {p.parent.name for p in (tmp_path / "cache").rglob("*.pkl")} == {
        "faker-pools", "geo", "person"}  # fmt: skip

    def no_build(*args, **kwargs):
        raise AssertionError("built although the cache holds it")

    monkeypatch.setattr(pools, "_build", no_build)
    monkeypatch.setattr(dataset, "build", no_build)
    warm, warm_s = _run(tmp_path, "warm")
    assert pools._faker.cache_info().currsize == 0  # no Faker instance was even made
    assert len(off) == 2
    assert off == cold == warm
    with capsys.disabled():  # the figure for the record; timing is not asserted
        print(f"\n  3,000 + 5,000 rows: no cache {off_s:.2f} s, cold {cold_s:.2f} s, "
              f"warm {warm_s:.2f} s")  # fmt: skip


def test_a_faker_upgrade_reads_new_entries(tmp_path, monkeypatch):
    monkeypatch.setenv("DWSIM_CACHE_DIR", str(tmp_path))
    pools._POOLS.clear()
    first = pools.faker_pool("email", "en_US", (), 7, pools.POOL_SIZE)
    assert pools.stored_pool(("email", "en_US", (), 7, pools.POOL_SIZE)) == first
    monkeypatch.setattr(pools, "faker_version", lambda: "999.0.0")
    assert pools.stored_pool(("email", "en_US", (), 7, pools.POOL_SIZE)) is None
    pools._POOLS.clear()
    assert pools.faker_pool("email", "en_US", (), 7, pools.POOL_SIZE) == first  # rebuilt
    assert len(list((tmp_path / "faker-pools").glob("*.pkl"))) == 2


def test_a_damaged_entry_is_rebuilt_and_an_unwritable_cache_is_no_error(tmp_path, monkeypatch):
    monkeypatch.setenv("DWSIM_CACHE_DIR", str(tmp_path / "c"))
    key = ("job", "en_US", (), 11, pools.POOL_SIZE)
    pools._POOLS.clear()
    pool = pools.faker_pool(*key)
    path = cache.entry_path("faker-pools", pools._disk_key(key))
    path.write_bytes(path.read_bytes()[:100])  # a truncated file
    assert pools.stored_pool(key) is None
    pools._POOLS.clear()
    assert pools.faker_pool(*key) == pool
    assert pools.stored_pool(key) == pool  # replaced by a whole one
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    monkeypatch.setenv("DWSIM_CACHE_DIR", str(blocker / "cache"))  # cannot be a folder
    pools._POOLS.clear()
    assert pools.faker_pool(*key) == pool


def _writer(args) -> list:
    folder, value, rounds = args
    import os

    os.environ["DWSIM_CACHE_DIR"] = folder
    seen = []
    for _ in range(rounds):
        cache.store("race", ("key", 1), value)
        got = cache.load("race", ("key", 1))
        seen.append(got == value)
    return seen


def test_processes_writing_the_same_entry_at_once_leave_one_whole_file(tmp_path):
    value = tuple(f"value number {i}" * 20 for i in range(5_000))  # ~1.5 MB: slow writes
    with multiprocessing.get_context("fork").Pool(4) as workers:
        results = workers.map(_writer, [(str(tmp_path), value, 15)] * 4)
    assert all(all(r) for r in results)  # every read saw a whole entry, never a torn one
    assert [p.name for p in (tmp_path / "race").iterdir() if p.suffix != ".pkl"] == []
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DWSIM_CACHE_DIR", str(tmp_path))
        assert cache.load("race", ("key", 1)) == value
