"""Experiments, their tables and runs, as people read them in a terminal."""

from typing import Any

from rich.console import Console
from rich.markup import escape

from dwsim_cli.render import add_row, compact, count, seconds, size, table, when
from dwsim_shared.contracts.jobs import GenerationRun
from dwsim_shared.contracts.metadata import ExperimentRecord, ExperimentSummary
from dwsim_shared.contracts.rules import GenerationRule
from dwsim_shared.contracts.schema import Experiment, SchemaWarning
from dwsim_shared.contracts.schema import Table as SchemaTable


def show_list(out: Console, data: list[dict]) -> None:
    summaries = [ExperimentSummary.model_validate(item) for item in data]
    if not summaries:
        out.print("no experiments yet: create one with `dwsim experiment create`")
        return
    grid = table(
        "name", "warehouse", "tables", "rows", "last run", "status", "updated",
        right=("tables", "rows"), whole=("name", "warehouse", "last run", "status"),
    )  # fmt: skip
    for s in summaries:
        add_row(
            grid,
            s.name,
            s.warehouse.value,
            count(s.tables),
            count(s.total_rows),
            s.last_run_id or "-",
            s.last_run_status.value if s.last_run_status else "-",
            when(s.updated_at),
        )
    out.print(grid)


def show_experiment(out: Console, data: dict) -> None:
    record = ExperimentRecord.model_validate(data)
    schema = record.schema_
    source = f", from {schema.dialect.value} DDL" if schema.dialect else ""
    rows = sum(t.target_rows for t in schema.tables)
    out.print(
        f"[bold]{escape(record.name)}[/bold] ({record.warehouse.value}{source}): "
        f"{len(schema.tables)} tables, {count(rows)} rows · created {when(record.created_at)}"
        f" · updated {when(record.updated_at)}"
    )
    for t in schema.tables:
        out.print()
        out.print(_table_view(t))
    show_warnings(out, schema.warnings)


def show_created(out: Console, data: dict, job_id: str | None) -> None:
    """What ``create`` made: its tables with their rows, its warnings, the job creating them."""
    record = ExperimentRecord.model_validate(data)
    schema = record.schema_
    out.print(
        f"created experiment [bold]{escape(record.name)}[/bold] ({record.warehouse.value}): "
        f"{len(schema.tables)} tables, {count(sum(t.target_rows for t in schema.tables))} rows"
    )
    grid = table(
        "table", "columns", "rows", "sized as", right=("columns", "rows"), whole=("table",)
    )
    for t in schema.tables:
        add_row(grid, t.name, str(len(t.columns)), count(t.target_rows), _sizing(t) or "-")
    out.print(grid)
    show_warnings(out, schema.warnings)
    if job_id:
        out.print(f"its tables are being created in the warehouse by job {job_id}")


def show_warnings(out: Console, warnings: list[SchemaWarning]) -> None:
    if not warnings:
        return
    out.print()
    out.print(f"[bold]{len(warnings)} import warning{'s' if len(warnings) > 1 else ''}[/bold]")
    for warning in warnings:
        out.print(f"  {warning}", markup=False)


def show_runs(out: Console, data: list[dict]) -> None:
    runs = [GenerationRun.model_validate(item) for item in data]
    if not runs:
        out.print("no runs yet: `dwsim experiment generate NAME`")
        return
    grid = table(
        "run", "status", "seed", "rows", "files", "size", "time",
        right=("seed", "rows", "files", "size", "time"), whole=("run",),
    )  # fmt: skip
    for run in runs:
        add_row(
            grid,
            run.id,
            run.status.value,
            str(run.seed),
            count(sum(run.rows.values()) if run.rows else sum(run.rows_requested.values())),
            count(run.files),
            size(run.bytes),
            seconds(sum(run.timings.values())) if run.timings else "-",
        )
    out.print(grid)
    for run in runs:
        if run.error:
            out.print(f"run {run.id}: {run.error}", markup=False)


def rule_text(rule: GenerationRule | None) -> str:
    """``categorical values=["a","b"] weights=[0.9,0.1] unique (inferred)``: what is set."""
    if rule is None:
        return "-"
    fields: dict[str, Any] = rule.model_dump(mode="json", exclude_none=True)
    params = []
    for key, value in fields.items():
        if key in ("kind", "source") or value in ({}, []) or value is False:
            continue
        if key == "null_ratio" and value == 0:
            continue
        params.append(key if value is True else f"{key}={compact(value, 40)}")
    text = " ".join([rule.kind.value, *params])
    return f"{text} ({rule.source.value})"


def _table_view(t: SchemaTable):  # type: ignore[no-untyped-def]
    sizing = _sizing(t)
    title = f"[bold]{escape(t.name)}[/bold] · {count(t.target_rows)} rows" + (
        f" ({escape(sizing)})" if sizing else ""
    )
    grid = table("column", "type", "null", "key", "rule", title=title, whole=("column", "type"))
    keys = _keys(t)
    for column in t.columns:
        add_row(
            grid,
            column.name,
            column.type.raw,
            "yes" if column.nullable else "no",
            ", ".join(keys.get(column.name, [])) or "",
            rule_text(column.rule),
        )
    return grid


def _keys(t: SchemaTable) -> dict[str, list[str]]:
    keys: dict[str, list[str]] = {}
    pk = "PK" if len(t.primary_key) < 2 else f"PK({', '.join(t.primary_key)})"
    for name in t.primary_key:
        keys.setdefault(name, []).append(pk)
    for unique in t.unique:
        label = "UNIQUE" if len(unique.columns) < 2 else f"UNIQUE({', '.join(unique.columns)})"
        for name in unique.columns:
            keys.setdefault(name, []).append(label)
    for fk in t.foreign_keys:
        for name, ref in zip(fk.columns, fk.references_columns, strict=True):
            label = f"FK -> {fk.references_table}.{ref}"
            if fk.fanout is not None:
                label += f" ({fk.fanout.distribution.value} fan-out)"
            keys.setdefault(name, []).append(label)
    return keys


def _sizing(t: SchemaTable) -> str:
    if t.sizing is None:
        return ""
    text = t.sizing.role.value
    if t.sizing.parent:
        per = f"~{t.sizing.per_parent:g} per " if t.sizing.per_parent else "per "
        text += f", {per}{t.sizing.parent}"
    return text


def experiment_of(data: dict) -> Experiment:
    return ExperimentRecord.model_validate(data).schema_
