"""A process that keeps freed memory for its next chunk (engine/memory.py) makes the same
parts, byte for byte, as one on the default allocators."""

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

PARTS = """
import hashlib, json, sys
import pyarrow as pa
from dwsim_generator.engine import plan_run
from dwsim_generator.engine.memory import reuse_freed_memory
from dwsim_generator.engine.writer import part_bytes
from dwsim_shared.contracts.schema import Experiment

tuned = reuse_freed_memory() if sys.argv[1] == "tuned" else False
schema = Experiment.model_validate_json(open(sys.argv[2]).read())
plan = plan_run(schema, seed=3, rows={t.name: min(t.rows, 150_000) for t in schema.tables},
                chunk_rows=1 << 16)
digests = {f"{t}/{c}": hashlib.sha256(part_bytes(plan.generate_chunk(t, c)).to_pybytes()).hexdigest()
           for t, c in plan.tasks()}
print(json.dumps({"pool": pa.default_memory_pool().backend_name, "tuned": tuned,
                  "parts": digests}))
"""


def _parts(mode: str) -> dict:
    # snowflake-connector-python sets ARROW_DEFAULT_MEMORY_POOL=system in os.environ when it is
    # imported beside pandas (as other tests here do): not for these processes
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    done = subprocess.run(
        [sys.executable, "-c", PARTS, mode, str(REPO / "bench" / "tpch_sf1.json")],
        capture_output=True, text=True, check=True, timeout=300, env=env,
    )  # fmt: skip
    return json.loads(done.stdout)


def test_parts_are_the_same_bytes_with_freed_memory_kept():
    default, tuned = _parts("default"), _parts("tuned")
    assert default["pool"] != "system"
    assert tuned["tuned"]  # glibc took the settings
    assert tuned["pool"] == "system"
    assert len(tuned["parts"]) > 10
    assert tuned["parts"] == default["parts"]
