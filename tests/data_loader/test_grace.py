"""The loader's grace period alone (dwsim_loader.grace), with no server: a statement that a
cancel stops is waited for; one that does not stop is abandoned ``grace_s`` after the first
stop, and ends on its own later; an abandoned adapter commits nothing (SQLite, a real file)."""

import logging
import threading
import time
from pathlib import Path

import pytest

from dwsim_loader.grace import StatementRunner
from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.warehouses import QueryCancelledError, get_adapter
from dwsim_shared.warehouses.connections import SqliteConnection

GRACE_S = 0.5


class StubbornAdapter:
    """Enough of an adapter for the runner: ``cancel`` stops the statement only if it obeys."""

    warehouse = Warehouse.REDSHIFT

    def __init__(self, obeys: bool):
        self.obeys = obeys
        self.cancels = 0
        self.abandoned = threading.Event()
        self.closed = threading.Event()
        self.cancelled = threading.Event()
        self.read_ends = threading.Event()  # the S3 read the statement waits on

    def cancel(self) -> None:
        self.cancels += 1
        if self.obeys:
            self.cancelled.set()

    def abandon(self) -> None:
        self.abandoned.set()

    def close(self) -> None:
        self.closed.set()

    def statement(self, _adapter: object) -> str:
        while not (self.cancelled.is_set() or self.read_ends.is_set()):
            time.sleep(0.01)
        if self.cancelled.is_set():
            raise QueryCancelledError("COPY was cancelled", warehouse=self.warehouse)
        return "copied"


def test_a_statement_with_no_stop_runs_to_its_end_and_the_adapter_is_closed() -> None:
    adapter = StubbornAdapter(obeys=False)
    runner = StatementRunner(adapter, GRACE_S)
    threading.Timer(GRACE_S * 2, adapter.read_ends.set).start()  # longer than the grace
    assert runner.run(adapter.statement) == "copied"
    assert adapter.closed.is_set()
    assert not adapter.abandoned.is_set()


def test_a_statement_the_cancel_stops_is_waited_for_and_its_own_error_raised() -> None:
    adapter = StubbornAdapter(obeys=True)
    runner = StatementRunner(adapter, GRACE_S)
    threading.Timer(0.1, runner.stop).start()
    with pytest.raises(QueryCancelledError, match="COPY was cancelled"):
        runner.run(adapter.statement)
    assert adapter.cancels == 1
    assert adapter.closed.is_set()
    assert not adapter.abandoned.is_set()


def test_a_statement_the_cancel_does_not_stop_is_abandoned_after_the_grace_period(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="dwsim_loader.grace")
    adapter = StubbornAdapter(obeys=False)
    runner = StatementRunner(adapter, GRACE_S, "the load")
    stopped = threading.Event()
    threading.Timer(0.1, lambda: (runner.stop(), stopped.set())).start()
    with pytest.raises(QueryCancelledError) as raised:
        runner.run(adapter.statement)
    assert stopped.is_set()
    assert "did not stop within 0.5 s of the cancel" in str(raised.value)
    assert "the load was not committed" in str(raised.value)
    assert adapter.abandoned.is_set()
    assert not adapter.closed.is_set()  # the statement still runs, the adapter is its own
    events = [r.getMessage() for r in caplog.records]
    assert "loader.statement_abandoned" in events
    abandoned = next(r for r in caplog.records if r.getMessage() == "loader.statement_abandoned")
    assert GRACE_S <= abandoned.fields["seconds"] < GRACE_S + 0.3

    adapter.read_ends.set()  # the read ends: the thread returns, closes, says how it ended
    assert adapter.closed.wait(5)
    deadline = time.monotonic() + 5
    while "loader.abandoned_statement_ended" not in [r.getMessage() for r in caplog.records]:
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_an_abandoned_adapter_commits_nothing(tmp_path: Path) -> None:
    experiment = Experiment.model_validate({
        "name": "grace", "warehouse": "sqlite",
        "tables": [{"name": "t", "rows": 1, "columns": [{"name": "id", "type": "integer"}]}],
    })  # fmt: skip
    with get_adapter(Warehouse.SQLITE, connection=SqliteConnection(data_dir=str(tmp_path))) as a:
        a.materialize(experiment)
        a._connect(experiment).execute("INSERT INTO t VALUES (1), (2)")
        with pytest.raises(QueryCancelledError, match="the reset was abandoned"):
            a.truncate(experiment, before_commit=a.abandon)  # abandoned before the COMMIT
        assert a.count_rows(experiment, "t") == 2
