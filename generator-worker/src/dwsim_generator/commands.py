"""``dwsim generate``: an experiment JSON (or DDL) in, Parquet parts and manifests out."""

import argparse
import os
from pathlib import Path

from dwsim_generator.config import get_settings
from dwsim_generator.engine import DEFAULT_CHUNK_ROWS, RunPlan, plan_run
from dwsim_generator.engine.parallel import RunRequest, WorkerPool, run_chunks
from dwsim_generator.engine.writer import clear_outputs, write_manifests
from dwsim_generator.progress import Progress
from dwsim_shared.contracts.enums import Dialect
from dwsim_shared.contracts.s3layout import RunLayout
from dwsim_shared.contracts.schema import Experiment
from dwsim_shared.cost.predict import format_estimate, predict
from dwsim_shared.errors import DwsimError

EXPERIMENT_NAME = "experiment.json"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "generate",
        help="generate Parquet data for an experiment schema (JSON, or DDL with --dialect)",
        description="Writes DIR/experiment.json, DIR/{table}/part-NNNNN.parquet, "
        "DIR/manifests/{table}.manifest and, last, DIR/manifest.json. "
        "The same schema and seed give the same data.",
    )
    parser.add_argument(
        "schema", type=Path, metavar="SCHEMA", help="experiment JSON, or a DDL file with --dialect"
    )
    parser.add_argument("--out", type=Path, metavar="DIR", help="output folder")
    parser.add_argument("--dialect", choices=[d.value for d in Dialect], default=None,
                        help="read SCHEMA as CREATE TABLE DDL in this dialect")  # fmt: skip
    parser.add_argument("--rows", nargs="+", default=[], metavar="TABLE=N|TOTAL",
                        help="row count per table (overrides the schema and --scale), and/or a "
                        "bare TOTAL: about that many rows over the whole schema, split as the "
                        "schema's row counts are (lookup tables keep theirs)")  # fmt: skip
    parser.add_argument("--scale", type=float, default=None, metavar="X",
                        help="multiply the schema's row counts by X (lookup tables keep theirs)")  # fmt: skip
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    parser.add_argument("--chunk-rows", type=int, default=DEFAULT_CHUNK_ROWS, metavar="K",
                        help=f"rows per Parquet part (default {DEFAULT_CHUNK_ROWS})")  # fmt: skip
    parser.add_argument("--workers", type=int, default=1, metavar="W",
                        help="processes generating chunks in parallel (default 1)")  # fmt: skip
    parser.add_argument(
        "--run-id", default="local", metavar="ID", help="run id written in the manifests"
    )
    parser.add_argument("--dry-run", action="store_true",
                        help="print the rows, seconds and bytes each table would take (the cost "
                        "model, docs/performance.md) and generate nothing")  # fmt: skip
    parser.set_defaults(func=_run)


def parse_rows(items: list[str]) -> tuple[dict[str, int], int | None]:
    """``--rows`` items: per-table counts (TABLE=N) and at most one bare TOTAL."""
    rows: dict[str, int] = {}
    total = None
    for item in items:
        bare = item.replace("_", "").replace(",", "")
        if bare.isdigit():
            if total is not None:
                raise DwsimError(f"--rows takes one TOTAL, not {total} and {item!r}")
            total = int(bare)
            continue
        name, sep, count = item.partition("=")
        if not sep or not name or not count.strip().lstrip("-").isdigit():
            raise DwsimError(
                f"--rows expects TABLE=N (e.g. orders=1000) or a TOTAL (e.g. 100000), not {item!r}"
            )
        rows[name.strip()] = int(count)
    return rows, total


def load_experiment(path: Path, dialect: str | None) -> Experiment:
    text = path.read_text()
    if dialect is None:
        if path.suffix.lower() == ".sql":
            raise DwsimError(f"{path} looks like DDL: pass --dialect redshift|snowflake|postgres")
        return Experiment.model_validate_json(text)
    from dwsim_shared.ddl import import_ddl

    try:
        return import_ddl(text, dialect=Dialect(dialect), name=_name(path))
    except NotImplementedError:
        raise DwsimError("DDL import is not available yet; pass an experiment JSON") from None


def _name(path: Path) -> str:
    stem = "".join(ch if ch.isalnum() or ch == "_" else "_" for ch in path.stem)
    return stem or "experiment"


def write_experiment(out: Path, experiment: Experiment) -> None:
    """``DIR/experiment.json``: the schema as generated (its hash is the manifest's), so that
    ``dwsim load DIR`` needs nothing else."""
    temp = out / f".{EXPERIMENT_NAME}.tmp"
    temp.write_text(experiment.model_dump_json(indent=2, exclude_none=True))
    os.replace(temp, out / EXPERIMENT_NAME)


def _plan(args: argparse.Namespace) -> tuple[Experiment, RunPlan]:
    """The experiment and its checked plan: every refusal is made before anything is written."""
    experiment = load_experiment(args.schema, args.dialect)
    rows, total = parse_rows(args.rows)
    if total is not None and args.scale is not None:
        raise DwsimError("give --scale or a --rows TOTAL, not both")
    plan = plan_run(
        experiment,
        seed=args.seed,
        rows=rows,
        scale=args.scale,
        total=total,
        chunk_rows=args.chunk_rows,
        max_rows=get_settings().max_rows,
    )
    return experiment, plan


def _run(args: argparse.Namespace) -> int:
    if args.workers < 1:
        raise DwsimError(f"--workers must be at least 1, not {args.workers}")
    if args.dry_run:
        experiment, plan = _plan(args)
        print(format_estimate(predict(experiment, plan.rows, args.workers, plan.chunk_rows)))
        return 0
    if args.out is None:
        raise DwsimError("give --out DIR, the folder to write the run to (or --dry-run)")
    with WorkerPool(args.workers) as pool:  # workers start importing while this plans
        experiment, plan = _plan(args)
        layout = RunLayout(experiment.name, args.run_id)
        out: Path = args.out
        out.mkdir(parents=True, exist_ok=True)
        clear_outputs(out, plan.order)
        write_experiment(out, experiment)
        progress = Progress({t: plan.rows[t] for t in plan.order},
                            {t: plan.chunk_count(t) for t in plan.order})  # fmt: skip
        progress.announce(predict(experiment, plan.rows, args.workers, plan.chunk_rows))
        parts = run_chunks(plan, RunRequest.for_plan(plan, out), pool, progress)
    by_table = {t: [p for p in parts if p.table == t] for t in plan.order}
    write_manifests(
        out, layout, get_settings().s3_bucket, plan.seed, experiment.schema_hash(),
        plan.chunk_rows, by_table,
    )  # fmt: skip
    progress.finish()
    return 0
