"""dbt on each emulator against the same project on DuckDB (dbt-duckdb) as a reference.

Starts moto's S3 server, the Redshift emulator (over a scratch PostgreSQL database) and the
Snowflake emulator on free ports, then runs the dbt project of tests/dbt/project in-process
(dbtRunner, as tests/dbt does) on three targets: dbt-redshift -> Redshift emulator,
dbt-snowflake -> Snowflake emulator, dbt-duckdb -> a DuckDB file. Each round builds on a fresh
schema / database / file: ``seed``, ``run``, ``run`` again (the incremental model's second run).
The targets alternate (their order rotates each round); per command the median seconds over the
rounds and the ratio emulator / DuckDB are printed.

    .venv/bin/python bench/bench_dbt.py [--rounds 5] [--postgres-url URL]
"""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, ExitStack, contextmanager
from pathlib import Path

from common import bin_path, free_port, fresh_database, moto_s3, server

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository: tests.dbt
from tests.dbt.runner import DbtProject
from tests.dbt.targets import Target

ADMIN_URL = os.environ.get("DWSIM_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
COMMANDS = [("seed", ["seed"]), ("run", ["run"]), ("run again", ["run"])]
REFERENCE = "duckdb"
TargetFactory = Callable[[Path], AbstractContextManager[Target]]


def _redshift(s3: str, postgres_url: str, workdir: Path, stack: ExitStack) -> TargetFactory:
    port = free_port()
    data = workdir / "redshift-data"
    env = {
        "DWSIM_S3_ENDPOINT_URL": s3,
        "AWS_ACCESS_KEY_ID": "test",
        "AWS_SECRET_ACCESS_KEY": "test",
        "DWSIM_REDSHIFT_HOST": "127.0.0.1",
        "DWSIM_REDSHIFT_PORT": str(port),
        "DWSIM_POSTGRES_URL": postgres_url,
        "DWSIM_DATA_DIR": str(data),
        "DWSIM_REDSHIFT_LOG_LEVEL": "WARNING",
    }
    args = [sys.executable, "-m", "dwsim_redshift.main"]
    stack.enter_context(server(args, port, env, workdir / "redshift.log"))
    dbname = postgres_url.rpartition("/")[2]

    @contextmanager
    def target(_folder: Path) -> Iterator[Target]:
        import psycopg2

        schema = f"dbt_{uuid.uuid4().hex[:8]}"
        output = {
            "type": "redshift", "host": "127.0.0.1", "port": port, "dbname": dbname,
            "schema": schema, "user": "dwsim", "password": "dwsim", "sslmode": "verify-ca",
            "threads": 4,
        }  # fmt: skip
        ca = data / "redshift-emulator" / "tls" / "ca.pem"
        try:
            yield Target("redshift", output, {"SSL_CERT_FILE": str(ca)}, schema, lambda _: [])
        finally:
            conn = psycopg2.connect(f"{postgres_url}")
            conn.autocommit = True
            conn.cursor().execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
            conn.close()

    return target


def _snowflake(s3: str, workdir: Path, stack: ExitStack) -> TargetFactory:
    import snowflake.connector

    port = free_port()
    args = [
        bin_path("dwsim"), "snowflake-emulator", "--port", str(port),
        "--data-dir", str(workdir / "snowflake-data"), "--s3-endpoint", s3,
    ]  # fmt: skip
    stack.enter_context(server(args, port, {"DWSIM_S3_ENDPOINT_URL": s3}, workdir / "sf.log"))
    login = {
        "host": "127.0.0.1", "port": port, "protocol": "http", "account": "dwsim",
        "user": "dwsim", "password": "dwsim",
    }  # fmt: skip

    @contextmanager
    def target(_folder: Path) -> Iterator[Target]:
        database = f"DBT_{uuid.uuid4().hex[:8].upper()}"
        conn = snowflake.connector.connect(
            **login, session_parameters={"CLIENT_OUT_OF_BAND_TELEMETRY_ENABLED": False}
        )
        conn.cursor().execute(f"CREATE DATABASE {database}")
        output = {
            "type": "snowflake", **login, "role": "SYSADMIN", "warehouse": "COMPUTE_WH",
            "database": database, "schema": "ANALYTICS", "threads": 4,
        }  # fmt: skip
        try:
            yield Target("snowflake", output, {}, f"{database}.ANALYTICS", lambda _: [])
        finally:
            conn.cursor().execute(f"DROP DATABASE IF EXISTS {database}")
            conn.close()

    return target


@contextmanager
def _duckdb(folder: Path) -> Iterator[Target]:
    output = {"type": "duckdb", "path": str(folder / "shop.duckdb"), "threads": 4}
    yield Target("duckdb", output, {}, "main", lambda _: [])


def _one_round(name: str, factory: TargetFactory, workdir: Path) -> dict[str, float]:
    folder = workdir / f"{name}-{uuid.uuid4().hex[:6]}"
    folder.mkdir()
    with factory(folder) as target:
        saved = {key: os.environ.get(key) for key in target.env}
        os.environ.update(target.env)
        try:
            project = DbtProject.copy(target, folder)
            seconds = {}
            for label, args in COMMANDS:
                step = project.dbt(label, *args, "--quiet")
                if not step.ok:
                    raise SystemExit(f"dbt {label} failed on {name}:\n{step.message}")
                seconds[label] = step.seconds
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
    shutil.rmtree(folder, ignore_errors=True)
    return seconds


def _report(times: dict[str, list[dict[str, float]]], rounds: int) -> None:
    names = ["redshift", "snowflake", REFERENCE]
    labels = [label for label, _ in COMMANDS]
    for rows in times.values():
        for row in rows:
            row["total"] = sum(row[label] for label in labels)
    median = {n: {x: statistics.median(r[x] for r in times[n]) for x in [*labels, "total"]}
              for n in names}  # fmt: skip
    fastest = {n: {x: min(r[x] for r in times[n]) for x in [*labels, "total"]} for n in names}
    print(f"\nseconds over {rounds} rounds (targets alternating): median (fastest), and the "
          "ratio of medians to dbt-duckdb")  # fmt: skip
    print(f"{'command':<10} {'redshift':>13} {'snowflake':>13} {'duckdb':>13} {'rs/duck':>8} "
          f"{'sf/duck':>8}")  # fmt: skip
    for label in [*labels, "total"]:
        cells = [f"{median[n][label]:.2f} ({fastest[n][label]:.2f})" for n in names]
        rs, sf, duck = (median[n][label] for n in names)
        print(f"{label:<10} {cells[0]:>13} {cells[1]:>13} {cells[2]:>13} {rs / duck:>7.1f}x "
              f"{sf / duck:>7.1f}x")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--postgres-url", default=ADMIN_URL)
    args = parser.parse_args()
    os.environ["DBT_SEND_ANONYMOUS_USAGE_STATS"] = "false"
    workdir = Path(tempfile.mkdtemp(prefix="dwsim-bench-dbt-"))
    try:
        with ExitStack() as stack:
            s3 = stack.enter_context(moto_s3(workdir / "moto.log"))
            postgres_url = stack.enter_context(fresh_database(args.postgres_url))
            factories: dict[str, TargetFactory] = {
                "redshift": _redshift(s3, postgres_url, workdir, stack),
                "snowflake": _snowflake(s3, workdir, stack),
                REFERENCE: _duckdb,
            }
            order = list(factories)
            # a first round of each, not counted: imports, adapter plugins, caches
            for name in order:
                _one_round(name, factories[name], workdir)
            times: dict[str, list[dict[str, float]]] = {name: [] for name in order}
            for n in range(args.rounds):
                for name in order[n % 3 :] + order[: n % 3]:
                    times[name].append(_one_round(name, factories[name], workdir))
                    row = times[name][-1]
                    print(f"round {n + 1} {name:<9} " + ", ".join(
                        f"{label} {row[label]:.2f}s" for label, _ in COMMANDS
                    ), flush=True)  # fmt: skip
            _report(times, args.rounds)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
