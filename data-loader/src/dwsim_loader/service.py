"""What the loader does, for the Celery tasks and ``dwsim load`` alike: create an experiment's
tables, load a staged run table by table, empty the tables, drop everything.

No Celery and no metadata service here: the tasks report through ``JobReporter`` around these
calls, and ``dwsim load`` calls them directly. Every failure is a ``DwsimError`` naming what
failed (the table, the S3 object, the warehouse's address).
"""

import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from dwsim_loader.grace import StatementRunner
from dwsim_loader.lost_connection import explained
from dwsim_shared.contracts.graph import load_order
from dwsim_shared.contracts.jobs import RunManifest
from dwsim_shared.contracts.s3layout import RunLayout
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.errors import DwsimError
from dwsim_shared.s3 import delete_prefix, s3_client
from dwsim_shared.settings import DwsimSettings
from dwsim_shared.warehouses import WarehouseAdapter, WarehouseError, get_adapter


class LoadError(DwsimError):
    """A run that cannot be loaded: not staged, incomplete, or not matching the experiment."""


class StorageError(DwsimError):
    """S3 could not be reached, or refused a request; the message names the endpoint or key."""


@dataclass(frozen=True)
class TableLoad:
    table: str
    rows: int
    seconds: float


TableLoaded = Callable[[TableLoad], None]
# ``stopping(stop)``: a block during which ``stop()`` is called should the load's job end
Stopping = Callable[[Callable[[], None]], AbstractContextManager[None]]


def experiment_prefix(experiment: str) -> str:
    """Every staged object of an experiment (all its runs) is under this prefix."""
    return RunLayout(experiment, "run").prefix.removesuffix("runs/run/")


class LoaderService:
    """The loader's operations over the warehouse adapters and S3, as ``settings`` describe them."""

    def __init__(self, settings: DwsimSettings, s3: Any = None):
        self.settings = settings
        self._s3 = s3

    @property
    def bucket(self) -> str:
        return self.settings.s3_bucket

    @property
    def s3(self) -> Any:
        if self._s3 is None:
            self._s3 = s3_client(self.settings)
        return self._s3

    @contextmanager
    def adapter(self, experiment: Experiment) -> Iterator[WarehouseAdapter]:
        """The adapter of the experiment's warehouse, closed after the block."""
        adapter = get_adapter(experiment.warehouse, self.settings)
        try:
            yield adapter
        finally:
            adapter.close()

    # the operations

    def materialize(self, experiment: Experiment) -> None:
        """Create the experiment's namespace and tables in its warehouse's own DDL."""
        with self.adapter(experiment) as adapter:
            adapter.materialize(experiment)

    def read_manifest(self, layout: RunLayout) -> RunManifest:
        """The run's ``manifest.json`` from S3: the source of truth of what was staged."""
        url = f"s3://{self.bucket}/{layout.manifest_key}"
        body = self.s3_call(
            f"reading {url}",
            lambda: self.s3.get_object(Bucket=self.bucket, Key=layout.manifest_key)["Body"].read(),
            missing=f"run {layout.run_id} of experiment {layout.experiment} is not staged: "
            f"there is no {url} (the run's manifest is written last, once every part is "
            "staged; is its generation still running, or did it fail?)",
        )
        try:
            manifest = RunManifest.model_validate_json(body)
        except ValidationError as exc:
            raise LoadError(f"{url} is not a valid run manifest: {first_error(exc)}") from None
        if (manifest.experiment, manifest.run_id) != (layout.experiment, layout.run_id):
            raise LoadError(
                f"{url} describes run {manifest.run_id} of experiment {manifest.experiment}, "
                f"not run {layout.run_id} of experiment {layout.experiment}"
            )
        return manifest

    def load_run(
        self,
        experiment: Experiment,
        run_id: str,
        on_table: TableLoaded | None = None,
        manifest: RunManifest | None = None,
        *,
        stopping: Stopping | None = None,
        before_commit: Callable[[], object] | None = None,
    ) -> list[TableLoad]:
        """Load every table of a staged run, parents first, all in one transaction.

        A table's existing rows are replaced, so loading the same run twice never duplicates
        rows. If a table fails, or ``on_table`` or ``before_commit`` raises (``JobFinishedError``:
        the job was cancelled), every table is rolled back: the warehouse is as it was before
        the load, and the error names the table that failed. Inside ``stopping``, the
        adapter's ``cancel`` stops the statement running (``QueryCancelledError``, rolled back),
        and one still running ``loader_cancel_grace_s`` later is abandoned (``statements``).
        """
        layout = RunLayout(experiment.name, run_id)
        manifest = manifest or self.read_manifest(layout)
        check_covers(experiment, manifest)
        loads: list[TableLoad] = []
        order = load_order(experiment)
        started = time.monotonic()

        def loaded(table: str, rows: int) -> None:
            nonlocal started
            expected = manifest.tables[table].rows
            if rows != expected:
                raise LoadError(
                    f"table {table}: loaded {rows} rows but the run's manifest says {expected}"
                )
            now = time.monotonic()
            load = TableLoad(table, rows, round(now - started, 3))
            started = now
            loads.append(load)
            if on_table is not None:
                on_table(load)

        def load(adapter: WarehouseAdapter) -> None:
            adapter.load_run(experiment, manifest, layout, self.bucket, on_table=loaded,
                             before_commit=before_commit)  # fmt: skip

        try:
            self.statements(experiment, load, stopping, "the load")
        except WarehouseError as exc:  # the emulator stopped midway: say so, and what to do
            if (lost := explained(exc, self.settings, experiment.name)) is not None:
                raise lost from None
            raise
        except DwsimError:
            raise
        except Exception as exc:  # a driver's or reader's own error: name the table
            table = order[len(loads)] if len(loads) < len(order) else "?"
            raise WarehouseError(
                f"loading failed: {type(exc).__name__}: {exc}",
                warehouse=experiment.warehouse,
                table=table,
            ) from exc
        return loads

    def reset(
        self,
        experiment: Experiment,
        *,
        stopping: Stopping | None = None,
        before_commit: Callable[[], object] | None = None,
    ) -> None:
        """Remove every row of every table, keeping the tables, in one transaction.

        If ``before_commit`` raises (``JobFinishedError``: the job was cancelled) or a DELETE
        fails, it is rolled back and every table keeps its rows. Inside ``stopping``, the
        adapter's ``cancel`` stops the DELETE running (``QueryCancelledError``, rolled back),
        and one still running ``loader_cancel_grace_s`` later is abandoned (``statements``).
        """
        self.statements(experiment, lambda adapter: adapter.truncate(
            experiment, before_commit=before_commit), stopping, "the reset")  # fmt: skip

    def statements(
        self,
        experiment: Experiment,
        work: Callable[[WarehouseAdapter], None],
        stopping: Stopping | None,
        operation: str,
    ) -> None:
        """``work(adapter)`` on an adapter of the experiment's warehouse, closed after it.
        Inside ``stopping`` (a job's) it runs in a ``StatementRunner``: once the job has ended
        the adapter's ``cancel`` stops the statement running, and a statement still running
        ``loader_cancel_grace_s`` after that is abandoned (``QueryCancelledError`` at once,
        nothing committed; dwsim_loader.grace)."""
        if stopping is None:
            with self.adapter(experiment) as adapter:
                work(adapter)
            return
        adapter = get_adapter(experiment.warehouse, self.settings)
        runner = StatementRunner(adapter, self.settings.loader_cancel_grace_s, operation)
        with stopping(runner.stop):
            runner.run(work)

    def count_rows(self, experiment: Experiment) -> dict[str, int]:
        with self.adapter(experiment) as adapter:
            return {t.name: adapter.count_rows(experiment, t.name) for t in experiment.tables}

    def drop_warehouse(self, experiment: Experiment) -> None:
        """Drop the experiment's namespace (schema, database or file) and everything in it."""
        with self.adapter(experiment) as adapter:
            adapter.drop(experiment)

    def drop_staged(self, experiment: str) -> int:
        """Delete every staged object of the experiment (all runs); returns how many."""
        prefix = experiment_prefix(experiment)
        return self.s3_call(
            f"deleting s3://{self.bucket}/{prefix}",
            lambda: delete_prefix(self.s3, self.bucket, prefix),
            empty=0,
        )

    # S3

    def s3_call(
        self, what: str, call: Callable[[], Any], missing: str | None = None, empty: Any = None
    ) -> Any:
        """``call()``, S3's failures raised as ``LoadError`` (``missing``: no such key) or
        ``StorageError`` naming the bucket or endpoint; ``empty`` is returned if the bucket does
        not exist and ``empty`` is not None."""
        from boto3.exceptions import Boto3Error
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return call()
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code in ("NoSuchKey", "404") and missing is not None:
                raise LoadError(missing) from None
            if code == "NoSuchBucket":
                if empty is not None:
                    return empty
                raise StorageError(
                    f"{what} failed: bucket {self.bucket} does not exist at {self._endpoint} "
                    "(DWSIM_S3_BUCKET)"
                ) from None
            raise StorageError(f"{what} failed: {code or exc}") from None
        except (BotoCoreError, Boto3Error) as exc:
            raise StorageError(
                f"{what} failed: cannot reach S3 at {self._endpoint} ({exc})"
            ) from None

    @property
    def _endpoint(self) -> str:
        return self.settings.s3_endpoint_url or "AWS S3"


def check_covers(experiment: Experiment, manifest: RunManifest) -> None:
    """Every table of the experiment must have been staged by the run (checked before any load)."""
    missing = [t.name for t in experiment.tables if t.name not in manifest.tables]
    if missing:
        raise LoadError(
            f"run {manifest.run_id} staged no files for table {', '.join(missing)} of experiment "
            f"{experiment.name} (it has: {', '.join(sorted(manifest.tables)) or 'no tables'}); "
            "was the schema changed after the run was generated? Generate again."
        )


def first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    return f"{loc}: {err['msg']}" if loc else err["msg"]
