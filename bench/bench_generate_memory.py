"""Peak RSS of `dwsim generate` on the customers table: 10,000,000 rows against 1,000,000 rows
measured in the same run (bounded memory: the ratio should stay near 1; target < 500 MiB).

    .venv/bin/python bench/bench_generate_memory.py [--rows 10000000] [--baseline-rows 1000000]
"""

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SCHEMA = Path(__file__).with_name("customers.json")
DWSIM = str(Path(sys.executable).with_name("dwsim"))

# Run in a fresh interpreter so RUSAGE_CHILDREN sees only this one generate process.
_MEASURE = """
import resource, subprocess, sys
subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def peak_rss_mib(rows: int, out: Path) -> tuple[float, float]:
    command = [DWSIM, "generate", str(SCHEMA), "--out", str(out), "--rows", f"customers={rows}"]
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _MEASURE, *command], check=True,
                          capture_output=True, text=True)  # fmt: skip
    return int(done.stdout.strip()) / 1024, time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--baseline-rows", type=int, default=1_000_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        base, base_s = peak_rss_mib(args.baseline_rows, Path(tmp) / "base")
        big, big_s = peak_rss_mib(args.rows, Path(tmp) / "big")
    print("dwsim generate bench/customers.json, one worker, chunks of 2^20 rows")
    print(f"  {args.baseline_rows:>12,} rows: peak RSS {base:7.1f} MiB ({base_s:.1f} s)")
    print(f"  {args.rows:>12,} rows: peak RSS {big:7.1f} MiB ({big_s:.1f} s)")
    print(f"  ratio: {big / base:.2f}x the memory for {args.rows / args.baseline_rows:.0f}x the rows; "
          f"target < 500 MiB: {'met' if big < 500 else 'NOT MET'}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
