"""A generated run on disk, read column by column with pyarrow (never row by row)."""

import json
from functools import cached_property
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from dwsim_generator.engine.arrow_types import arrow_type
from dwsim_shared.contracts.jobs import RunManifest
from dwsim_shared.contracts.schema import Experiment, Table
from dwsim_shared.errors import DwsimError

EXPERIMENT = "experiment.json"
MANIFEST = "manifest.json"


class RunData:
    """``DIR/experiment.json``, ``DIR/manifest.json`` and the Parquet parts they list.

    Columns are read when a profile or check first asks for them and kept, so a column two
    checks use is read once.
    """

    def __init__(self, root: Path):
        self.root = Path(root)
        path = self.root / EXPERIMENT
        if not path.is_file():
            raise DwsimError(f"{self.root} is not a generated run: {EXPERIMENT} is missing")
        self.experiment = Experiment.model_validate_json(path.read_text())
        self._columns: dict[tuple[str, str], pa.ChunkedArray] = {}

    @cached_property
    def manifest(self) -> RunManifest | None:
        path = self.root / MANIFEST
        if not path.is_file():
            return None
        return RunManifest.model_validate(json.loads(path.read_text()))

    def table(self, name: str) -> Table:
        lowered = name.lower()
        return next(t for t in self.experiment.tables if t.name.lower() == lowered)

    def parts(self, table: str) -> list[Path]:
        """The table's Parquet parts: those the manifest lists, else every part on disk."""
        manifest = self.manifest
        if manifest is not None and table in manifest.tables:
            return [self.root / f.key for f in manifest.tables[table].files]
        return sorted((self.root / table).glob("part-*.parquet"))

    def rows(self, table: str) -> int:
        return sum(pq.ParquetFile(p).metadata.num_rows for p in self.parts(table))

    def column(self, table: str, name: str) -> pa.ChunkedArray:
        key = (table, name)
        if key not in self._columns:
            pieces = [pq.read_table(p, columns=[name]).column(0) for p in self.parts(table)]
            column = self.table(table).column(name)
            if not pieces:
                pieces = [pa.chunked_array([], arrow_type(column.type))]
            chunks = [c for piece in pieces for c in piece.chunks]
            array = pa.chunked_array(chunks, pieces[0].type)
            if pa.types.is_dictionary(array.type):
                array = array.cast(array.type.value_type)
            self._columns[key] = array
        return self._columns[key]

    def columns(self, table: str, names: list[str]) -> pa.Table:
        return pa.table({name: self.column(table, name) for name in names})
