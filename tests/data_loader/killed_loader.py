"""The loader worker whose process is killed (SIGKILL) in the middle of a table's load, when the
test arms it: after the COPY of ``DWSIM_TEST_KILL_TABLE`` has run, before its COMMIT (Redshift,
Snowflake), or after its first batch of rows was inserted (SQLite, which loads rows itself).

The test arms a load with the file ``armed`` in ``DWSIM_TEST_KILL_MARKERS``; it is removed as
the process kills itself, so the redelivered task does not kill again. Celery (acks_late,
reject_on_worker_lost) puts the task back on the queue; the redelivered load then waits, with
``paused`` written, until the test writes ``resume``: the test looks at the tables the killed
load left before the redelivered one touches them.
"""

import os
import signal
import time
from pathlib import Path

import psycopg2.extensions

from dwsim_loader import jobs
from dwsim_loader.worker import app
from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.warehouses import redshift, snowflake, staged

TABLE = os.environ.get("DWSIM_TEST_KILL_TABLE", "")
MARKERS = Path(os.environ.get("DWSIM_TEST_KILL_MARKERS", "/nonexistent"))


def _die_once(warehouse: Warehouse) -> None:
    armed = MARKERS / "armed"
    if armed.exists():
        (MARKERS / "pending").write_text(warehouse.value)
        armed.unlink()
        os.kill(os.getpid(), signal.SIGKILL)


_load_run = jobs.load_run


def load_run(payload, ctx):
    pending = MARKERS / "pending"
    if pending.exists():  # the task of the killed load, delivered again
        (MARKERS / "paused").write_text(str(os.getpid()))
        deadline = time.monotonic() + 60
        while not (MARKERS / "resume").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        for name in ("pending", "resume"):
            (MARKERS / name).unlink(missing_ok=True)
    return _load_run(payload, ctx)


jobs.load_run = load_run


_iter_row_batches = staged.iter_row_batches


def iter_row_batches(s3, layout, bucket, staged_files, table, *args):
    for batch, (file, rows) in enumerate(
        _iter_row_batches(s3, layout, bucket, staged_files, table, *args)
    ):
        if batch == 1 and table.name == TABLE:  # the first batch is in the open transaction
            _die_once(Warehouse.SQLITE)
        yield file, rows


staged.iter_row_batches = iter_row_batches


class KillingCursor(psycopg2.extensions.cursor):
    def execute(self, query, vars=None):
        result = super().execute(query, vars)
        target = str(query).partition(" FROM ")[0]  # COPY schema.table
        if target.startswith("COPY ") and target.strip('"').endswith(TABLE):
            _die_once(Warehouse.REDSHIFT)
        return result


_redshift_connect = redshift.RedshiftAdapter._connect


def _connect(self):
    conn = _redshift_connect(self)
    conn.cursor_factory = KillingCursor
    return conn


redshift.RedshiftAdapter._connect = _connect

_snowflake_run = snowflake.SnowflakeAdapter._run


def _run(self, sql, *, table=None, what="", **kwargs):
    rows = _snowflake_run(self, sql, table=table, what=what, **kwargs)
    if what == "COPY INTO" and table == TABLE:
        _die_once(Warehouse.SNOWFLAKE)
    return rows


snowflake.SnowflakeAdapter._run = _run

__all__ = ["app"]
