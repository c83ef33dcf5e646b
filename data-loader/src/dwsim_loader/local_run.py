"""A run folder written by ``dwsim generate`` (parts, ``manifest.json``, ``experiment.json``),
checked and staged in S3 under ``RunLayout(experiment, run_id)`` so the warehouses can COPY it.

Only the files ``manifest.json`` lists are uploaded, each checked against its size there; the
Redshift manifests are written anew with this bucket's URLs; ``manifest.json`` goes last, so
the staged run is complete only once everything else is there.
"""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from dwsim_loader.service import LoaderService, check_covers, first_error
from dwsim_shared.contracts.enums import Dialect, Warehouse
from dwsim_shared.contracts.jobs import RunManifest
from dwsim_shared.contracts.s3layout import MANIFEST_NAME, RunLayout, redshift_manifest
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.errors import DwsimError
from dwsim_shared.s3 import delete_prefix, ensure_bucket

EXPERIMENT_NAME = "experiment.json"  # the schema the run was generated from
UPLOAD_THREADS = 4


@dataclass(frozen=True)
class LocalRun:
    folder: Path
    experiment: Experiment  # renamed and retargeted as asked
    manifest: RunManifest  # as it will be staged: this experiment and run id

    @property
    def layout(self) -> RunLayout:
        return RunLayout(self.experiment.name, self.manifest.run_id)

    @property
    def bytes(self) -> int:
        return sum(f.bytes for t in self.manifest.tables.values() for f in t.files)

    @property
    def files(self) -> int:
        return sum(len(t.files) for t in self.manifest.tables.values())


def read_run(
    folder: Path,
    warehouse: Warehouse,
    name: str | None = None,
    schema: Path | None = None,
    dialect: Dialect | None = None,
    run_id: str | None = None,
) -> tuple[LocalRun, list[str]]:
    """The run in ``folder``, checked complete; returns it and warnings for the person."""
    if not folder.is_dir():
        raise DwsimError(f"RUN_DIR {folder} is not a folder")
    manifest_path = folder / MANIFEST_NAME
    if not manifest_path.is_file():
        raise DwsimError(
            f"RUN_DIR {folder} is not a complete run (no {MANIFEST_NAME}): dwsim generate writes "
            "it last, once every part is written; generate again with --out"
        )
    try:
        manifest = RunManifest.model_validate_json(manifest_path.read_text())
    except ValidationError as exc:
        raise DwsimError(f"{manifest_path} is not a run manifest: {first_error(exc)}") from None
    source = read_experiment(folder, schema, dialect, name)
    fields = source.model_dump(mode="json", exclude_none=True)
    fields.update(name=name or source.name, warehouse=warehouse.value)
    experiment = Experiment.model_validate(fields)
    manifest = manifest.model_copy(
        update={"experiment": experiment.name, "run_id": run_id or manifest.run_id}
    )
    RunLayout(experiment.name, manifest.run_id)  # checks the names before anything is done
    check_covers(experiment, manifest)
    for table, staged in manifest.tables.items():
        for part in staged.files:
            path = folder / part.key
            if not path.is_file():
                raise DwsimError(
                    f"table {table}: {path} is missing ({MANIFEST_NAME} lists it with "
                    f"{part.rows} rows); the run folder is incomplete, generate it again"
                )
            size = path.stat().st_size
            if size != part.bytes:
                raise DwsimError(
                    f"table {table}: {path} has {size} bytes but {MANIFEST_NAME} says "
                    f"{part.bytes}; it was changed after the run was generated"
                )
    warnings = []
    if manifest.schema_hash != experiment.schema_hash():
        warnings.append(
            "the schema differs from the one this run was generated with (its schema hash "
            "is not the manifest's); columns that do not match the staged files will fail"
        )
    return LocalRun(folder, experiment, manifest), warnings


def read_experiment(
    folder: Path, schema: Path | None, dialect: Dialect | None, name: str | None
) -> Experiment:
    """``--schema FILE`` (JSON, or DDL with ``--dialect``), else ``RUN_DIR/experiment.json``."""
    path = schema or folder / EXPERIMENT_NAME
    if not path.is_file():
        if schema is not None:
            raise DwsimError(f"--schema {schema}: no such file")
        raise DwsimError(
            f"RUN_DIR {folder} has no {EXPERIMENT_NAME} (dwsim generate writes it); "
            "pass the schema the run was generated from with --schema FILE [--dialect D]"
        )
    text = path.read_text()
    if dialect is not None:
        from dwsim_shared.ddl import import_ddl

        return import_ddl(text, dialect=dialect, name=name or _name(path))
    if path.suffix.lower() == ".sql":
        raise DwsimError(f"{path} looks like DDL: pass --dialect redshift|snowflake|postgres")
    try:
        return Experiment.model_validate_json(text)
    except ValidationError as exc:
        raise DwsimError(f"{path} is not an experiment schema: {first_error(exc)}") from None


def stage(service: LoaderService, run: LocalRun) -> None:
    """Upload the run's parts, its Redshift manifests, then its ``manifest.json``."""
    s3, bucket, layout = service.s3, service.bucket, run.layout
    prefix = f"s3://{bucket}/{layout.prefix}"
    service.s3_call(f"creating bucket {bucket}", lambda: ensure_bucket(service.settings, s3))
    service.s3_call(f"clearing {prefix}", lambda: delete_prefix(s3, bucket, layout.prefix))
    parts = [(run.folder / f.key, layout.prefix + f.key)
             for t in run.manifest.tables.values() for f in t.files]  # fmt: skip

    def upload(item: tuple[Path, str]) -> None:
        path, key = item
        service.s3_call(f"uploading {path}", lambda: s3.upload_file(str(path), bucket, key))

    with ThreadPoolExecutor(UPLOAD_THREADS) as pool:
        list(pool.map(upload, parts))
    for table, staged in run.manifest.tables.items():
        entries = [(f"s3://{bucket}/{layout.prefix}{f.key}", f.bytes) for f in staged.files]
        body = redshift_manifest(entries).encode()
        key = layout.redshift_manifest_key(table)
        service.s3_call(f"writing s3://{bucket}/{key}",
                        lambda k=key, b=body: s3.put_object(Bucket=bucket, Key=k, Body=b))  # fmt: skip
    body = run.manifest.model_dump_json(indent=2).encode()
    service.s3_call(
        f"writing {prefix}{MANIFEST_NAME}",
        lambda: s3.put_object(Bucket=bucket, Key=layout.manifest_key, Body=body),
    )


def _name(path: Path) -> str:
    stem = "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in path.stem)
    return stem or "experiment"
