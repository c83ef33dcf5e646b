"""What a person would check after a load: row counts, and foreign keys by anti-join."""

from pathlib import Path

from dwsim_loader.service import LoaderService
from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.contracts.jobs import RunManifest
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.warehouses.typemap import ident


def experiment_in(run_dir: Path, name: str, warehouse: Warehouse) -> Experiment:
    """The run's experiment.json as ``dwsim load --experiment NAME --warehouse W`` loads it."""
    source = Experiment.model_validate_json((run_dir / "experiment.json").read_text())
    fields = source.model_dump(mode="json", exclude_none=True)
    return Experiment.model_validate({**fields, "name": name, "warehouse": warehouse.value})


def manifest_rows(run_dir: Path) -> dict[str, int]:
    manifest = RunManifest.model_validate_json((run_dir / "manifest.json").read_text())
    return {name: table.rows for name, table in manifest.tables.items()}


def counts(service: LoaderService, experiment: Experiment) -> dict[str, int]:
    return service.count_rows(experiment)


def scalar(service: LoaderService, experiment: Experiment, sql: str):
    with service.adapter(experiment) as adapter:
        return adapter.query(experiment, sql).rows[0][0]


def foreign_key_checks(service: LoaderService, experiment: Experiment) -> dict[str, tuple]:
    """Per foreign key: (child rows with the key set, of them rows with no parent)."""
    wh = experiment.warehouse
    out = {}
    for table in experiment.tables:
        for fk in table.foreign_keys:
            child, parent = ident(table.name, wh), ident(fk.references_table, wh)
            on = " AND ".join(
                f"c.{ident(a, wh)} = p.{ident(b, wh)}"
                for a, b in zip(fk.columns, fk.references_columns, strict=True)
            )
            set_ = " AND ".join(f"c.{ident(a, wh)} IS NOT NULL" for a in fk.columns)
            missing = f"p.{ident(fk.references_columns[0], wh)} IS NULL"
            with_key = scalar(service, experiment, f"SELECT COUNT(*) FROM {child} c WHERE {set_}")
            orphans = scalar(
                service,
                experiment,
                f"SELECT COUNT(*) FROM {child} c LEFT JOIN {parent} p ON {on} "
                f"WHERE {set_} AND {missing}",
            )
            out[f"{table.name}({', '.join(fk.columns)})"] = (int(with_key), int(orphans))
    return out
