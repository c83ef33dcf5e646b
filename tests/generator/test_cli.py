"""``dwsim generate``: the folder layout, manifests, progress and summary, errors without tracebacks."""

import hashlib
import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from dwsim_cli.main import main
from dwsim_shared.contracts.jobs import RunManifest
from dwsim_shared.contracts.schema import Experiment
from tests.generator.helpers import plain
from tests.generator.schemas import SHOP

REPO = Path(__file__).resolve().parents[2]
CUSTOMERS = REPO / "bench" / "customers.json"


@pytest.fixture(scope="module")
def shop_json(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("schema") / "shop.json"
    path.write_text(SHOP.model_dump_json())
    return path


def run(*args: object) -> int:
    return main(["generate", *map(str, args)])


def test_writes_parts_manifests_and_a_summary(tmp_path, capsys):
    out = tmp_path / "run"
    code = run(
        CUSTOMERS, "--out", out, "--rows", "customers=5000", "--seed", 3, "--chunk-rows", 2000
    )
    assert code == 0
    parts = sorted(p.name for p in (out / "customers").iterdir())
    assert parts == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    manifest = RunManifest.model_validate_json((out / "manifest.json").read_text())
    experiment = Experiment.model_validate_json(CUSTOMERS.read_text())
    assert (manifest.seed, manifest.chunk_rows, manifest.tables["customers"].rows) == (
        3,
        2000,
        5000,
    )
    assert manifest.schema_hash == experiment.schema_hash()
    files = manifest.tables["customers"].files
    assert [f.rows for f in files] == [2000, 2000, 1000]
    assert all((out / f.key).stat().st_size == f.bytes for f in files)
    redshift = json.loads((out / "manifests" / "customers.manifest").read_text())
    assert [e["url"].rsplit("/", 2)[-2:] for e in redshift["entries"]] == [
        ["customers", p] for p in parts
    ]
    assert all(e["mandatory"] and e["meta"]["content_length"] > 0 for e in redshift["entries"])
    err = capsys.readouterr().err
    assert "customers: 5,000 rows" in err
    assert "rows/s" in err
    assert "total (wall clock)" in err
    read = pq.read_table(out / "customers")
    assert read.num_rows == 5000
    assert read.column_names == [c.name for c in experiment.tables[0].columns]


def _digests(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*.parquet"))
    }


def test_workers_give_byte_identical_parts_and_chunking_gives_identical_rows(tmp_path, shop_json):
    one, two, other = tmp_path / "one", tmp_path / "two", tmp_path / "other"
    assert (
        run(
            shop_json,
            "--out",
            one,
            "--seed",
            9,
            "--chunk-rows",
            40_000,
            "--scale",
            0.5,
            "--rows",
            "partsupp=2000",
        )
        == 0
    )
    assert run(shop_json, "--out", two, "--seed", 9, "--chunk-rows", 40_000, "--scale", 0.5, "--rows", "partsupp=2000",
               "--workers", 2) == 0  # fmt: skip
    assert _digests(one) == _digests(two)
    assert len(_digests(one)) > 11  # several tables have more than one part
    assert (
        run(
            shop_json,
            "--out",
            other,
            "--seed",
            9,
            "--chunk-rows",
            9_999,
            "--scale",
            0.5,
            "--rows",
            "partsupp=2000",
        )
        == 0
    )
    for table in ("orders", "order_lines", "shipments"):
        assert plain(pq.read_table(one / table)).equals(plain(pq.read_table(other / table)))


def test_rejection_is_a_message_and_no_work_is_done(tmp_path, capsys):
    schema = tmp_path / "bad.json"
    data = json.loads(CUSTOMERS.read_text())
    data["tables"][0]["columns"][3]["type"] = "VARCHAR(2)"  # unique emails in two characters
    schema.write_text(json.dumps(data))
    out = tmp_path / "out"
    assert run(schema, "--out", out, "--rows", "customers=10000") == 2
    err = capsys.readouterr().err
    assert err.startswith("dwsim generate: error: customers.email: unique values for 10000 rows")
    assert "Traceback" not in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--rows", "customers"], "--rows expects TABLE=N (e.g. orders=1000) or a TOTAL"),
        (["--rows", "10", "20"], "--rows takes one TOTAL, not 10 and '20'"),
        (["--rows", "10", "--scale", "2"], "give --scale or a --rows TOTAL, not both"),
        (["--rows", "nope=5"], "rows given for unknown table 'nope' (tables: customers)"),
        (["--workers", "0"], "--workers must be at least 1"),
        (["--chunk-rows", "0"], "chunk rows must be at least 1"),
        (["--scale", "-1"], "scale must be a non-negative number"),
    ],
)
def test_bad_options_are_named(tmp_path, capsys, args, message):
    assert run(CUSTOMERS, "--out", tmp_path / "o", *args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err


def test_invalid_schema_json_is_reported(tmp_path, capsys):
    schema = tmp_path / "broken.json"
    schema.write_text('{"name": "x", "tables": [{"name": "t", "columns": []}]}')
    assert run(schema, "--out", tmp_path / "o") == 2
    assert "invalid schema" in capsys.readouterr().err


def test_ddl_file_needs_a_dialect(tmp_path, capsys):
    assert run(REPO / "tests" / "ddl" / "redshift" / "tpch.sql", "--out", tmp_path / "o") == 2
    assert "looks like DDL: pass --dialect" in capsys.readouterr().err


def test_progress_line_counts_tables_rows_pace_and_size_in_flight():
    import io
    import re

    from dwsim_generator.engine.writer import PartResult
    from dwsim_generator.progress import Progress

    pace = r", [\d,]+ rows/s, ETA \d+s, "
    progress = Progress({"a": 10, "b": 300}, {"a": 1, "b": 3}, stream=io.StringIO())
    progress(PartResult("a", 0, "a/part-00000.parquet", 10, 100, 0.1))
    progress(PartResult("b", 0, "b/part-00000.parquet", 100, 100, 0.1))
    # 200 bytes for 110 rows: the 310-row run will stage about 563
    assert re.fullmatch("1/2 tables, 110/310 rows" + pace + "200 B of ~563 B; b 100/300",
                        progress.line())  # fmt: skip
    progress.EVERY = 0.0  # not a terminal: a status line now and then, between tables
    progress(PartResult("b", 1, "b/part-00001.parquet", 100, 100, 0.1))
    lines = progress.stream.getvalue().splitlines()
    assert lines[0] == "a: 10 rows"
    assert re.fullmatch("1/2 tables, 210/310 rows" + pace + "300 B of ~442 B; b 200/300", lines[1])
    assert progress.summary().splitlines()[1].split()[:3] == ["a", "10", "1"]


def test_an_empty_table_gets_one_empty_part_with_its_columns(tmp_path):
    out = tmp_path / "zero"
    assert run(CUSTOMERS, "--out", out, "--rows", "customers=0") == 0
    part = pq.read_table(out / "customers" / "part-00000.parquet")
    assert (part.num_rows, part.column_names[:2]) == (0, ["id", "first_name"])
    manifest = RunManifest.model_validate_json((out / "manifest.json").read_text())
    assert manifest.tables["customers"].rows == 0
