"""Where a run's files live, in S3 and in a local output folder alike.

``experiments/{experiment}/runs/{run_id}/`` holds ``{table}/part-{chunk:05d}.parquet``,
``manifest.json`` and ``manifests/{table}.manifest`` (Redshift COPY manifest format).
Table folders end with ``/`` in COPY sources so ``orders`` never also matches ``orders_archive``.
"""

import json
from dataclasses import dataclass

from dwsim_shared.contracts.identifiers import validate_identifier

MANIFEST_NAME = "manifest.json"


def part_name(chunk: int) -> str:
    return f"part-{chunk:05d}.parquet"


@dataclass(frozen=True)
class RunLayout:
    experiment: str
    run_id: str

    def __post_init__(self) -> None:
        validate_identifier(self.experiment, "experiment name")
        validate_identifier(self.run_id, "run id")

    @property
    def prefix(self) -> str:
        return f"experiments/{self.experiment}/runs/{self.run_id}/"

    def table_prefix(self, table: str) -> str:
        return f"{self.prefix}{table}/"

    def part_key(self, table: str, chunk: int) -> str:
        return f"{self.table_prefix(table)}{part_name(chunk)}"

    @property
    def manifest_key(self) -> str:
        return f"{self.prefix}{MANIFEST_NAME}"

    def redshift_manifest_key(self, table: str) -> str:
        return f"{self.prefix}manifests/{table}.manifest"

    @staticmethod
    def relative_part(table: str, chunk: int) -> str:
        """Key of a part relative to the run prefix (as written in a local output folder)."""
        return f"{table}/{part_name(chunk)}"

    @staticmethod
    def relative_redshift_manifest(table: str) -> str:
        return f"manifests/{table}.manifest"


def redshift_manifest(urls_and_sizes: list[tuple[str, int]]) -> str:
    """A Redshift COPY manifest listing each file as mandatory, with its content length."""
    entries = [
        {"url": url, "mandatory": True, "meta": {"content_length": size}}
        for url, size in urls_and_sizes
    ]
    return json.dumps({"entries": entries}, indent=2)
