"""The staged-size estimate a run shows before it starts (the cost model), and the
extrapolation while it runs."""

import json
import subprocess
from pathlib import Path

import pytest

from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.contracts.sizing import extrapolate_bytes, human_bytes
from dwsim_shared.cost.predict import predict
from tests.fixtures.servers import REPO, bin_path

TPCH = REPO / "tests" / "ddl" / "redshift" / "tpch.sql"


@pytest.fixture(scope="module")
def tpch_run(tmp_path_factory) -> tuple[Path, str]:
    out = tmp_path_factory.mktemp("tpch")
    done = subprocess.run(
        [bin_path("dwsim"), "generate", str(TPCH), "--dialect", "redshift", "--out", str(out),
         "--scale", "15"],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return out, done.stderr


def test_generate_announces_rows_and_size_before_it_starts(tpch_run):
    _, stderr = tpch_run
    first = stderr.splitlines()[0]
    assert first.startswith("generating 384,254 rows in 8 tables, about ")  # lookups not scaled
    assert " s, about " in first
    assert first.endswith(" MB of Parquet")


def test_estimate_is_within_half_of_what_was_staged(tpch_run):
    out, _ = tpch_run
    experiment = Experiment.model_validate_json((out / "experiment.json").read_text())
    manifest = json.loads((out / "manifest.json").read_text())
    rows = {name: t["rows"] for name, t in manifest["tables"].items()}
    staged = sum(f["bytes"] for t in manifest["tables"].values() for f in t["files"])
    estimate = predict(experiment, rows).bytes
    assert staged / 1.5 <= estimate <= staged * 1.5, (estimate, staged)


def test_extrapolation_and_units():
    assert extrapolate_bytes(0, 0, 1000) is None
    assert extrapolate_bytes(5_000, 100, 1_000) == 50_000
    assert human_bytes(512) == "512 B"
    assert human_bytes(40_200_000) == "40.2 MB"
    assert human_bytes(4.2e12) == "4.2 TB"
