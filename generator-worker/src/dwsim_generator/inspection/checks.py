"""Checks that every declared relationship holds over a whole run, with pyarrow.compute.

A check is a function ``(run: RunData) -> Iterable[CheckResult]`` registered under a name
with ``@register_check("name")``; ``run_checks`` runs them all in registration order. Keys
are checked here (foreign keys, primary keys, unique constraints, NOT NULL, the manifest's
row counts). Rules that tie columns together (lookup, aggregate, time order) register their
own check in a module of this package that ``inspection/__init__.py`` imports, so a new rule
brings its check along. A check that raises is reported as an error naming it, and the
others still run.
"""

from collections.abc import Callable, Iterable

import pyarrow as pa
import pyarrow.compute as pc

from dwsim_generator.inspection.profile import jsonable
from dwsim_generator.inspection.run_data import RunData
from dwsim_shared.contracts.inspection import CheckResult
from dwsim_shared.contracts.schema import ForeignKey, Table

Check = Callable[[RunData], Iterable[CheckResult]]
CHECKS: dict[str, Check] = {}
EXAMPLES = 3


def register_check(name: str) -> Callable[[Check], Check]:
    def add(check: Check) -> Check:
        CHECKS[name] = check
        return check

    return add


def run_checks(run: RunData, only: set[str] | None = None) -> list[CheckResult]:
    results: list[CheckResult] = []
    for name, check in CHECKS.items():
        try:
            found = [r for r in check(run) if only is None or r.table in only]
        except Exception as exc:  # a broken check must not hide the others
            found = [CheckResult(kind=name, table="*", error=True,
                                 message=f"the {name} check failed: {exc}")]  # fmt: skip
        results.extend(found)
    return results


def _label(table: str, columns: list[str]) -> str:
    return f"{table}({', '.join(columns)})"


def _examples(data: pa.Table) -> list:
    """A few distinct offending values, in the order the run holds them."""
    if data.num_rows:
        data = data.group_by(data.column_names, use_threads=False).aggregate([])
    rows = data.slice(0, EXAMPLES).to_pylist()
    if data.num_columns == 1:
        return [jsonable(next(iter(r.values()))) for r in rows]
    return [[jsonable(v) for v in r.values()] for r in rows]


def _complete(data: pa.Table) -> pa.Table:
    """Rows with no NULL in any column (SQL checks keys only when all their parts are set)."""
    return data.drop_null() if data.num_rows else data


# -- foreign keys ---------------------------------------------------------------------------
def _aligned(child: pa.Table, parent: pa.Table) -> tuple[pa.Table, pa.Table]:
    """The parent's columns renamed to the child's and both cast to one type per column."""
    parent = parent.rename_columns(child.column_names)
    columns_c, columns_p = [], []
    for a, b in zip(child.columns, parent.columns, strict=True):
        if a.type != b.type:
            try:
                a = a.cast(b.type)
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                a, b = a.cast(pa.string()), b.cast(pa.string())
        columns_c.append(a)
        columns_p.append(b)
    return (pa.table(columns_c, names=child.column_names),
            pa.table(columns_p, names=child.column_names))  # fmt: skip


def orphans(run: RunData, table: Table, fk: ForeignKey) -> tuple[int, pa.Table]:
    """(child rows checked, child rows whose key is not in the parent)."""
    parent = run.table(fk.references_table)
    names = {c.name.lower(): c.name for c in parent.columns}
    parent_cols = [names[c.lower()] for c in fk.references_columns]
    child = _complete(run.columns(table.name, fk.columns))
    keys = _complete(run.columns(parent.name, parent_cols))
    child, keys = _aligned(child, keys)
    if child.num_columns == 1:
        found = pc.is_in(child.column(0), value_set=keys.column(0).combine_chunks())
        return child.num_rows, child.filter(pc.invert(found))
    keys = keys.group_by(keys.column_names).aggregate([])
    missing = child.join(keys, keys=child.column_names, join_type="left anti")
    return child.num_rows, missing


@register_check("foreign_key")
def foreign_keys(run: RunData) -> Iterable[CheckResult]:
    for table in run.experiment.tables:
        for fk in table.foreign_keys:
            parent = run.table(fk.references_table)
            target = _label(parent.name, fk.references_columns)
            checked, missing = orphans(run, table, fk)
            yield CheckResult(
                kind="foreign_key",
                table=table.name,
                columns=fk.columns,
                target=target,
                rows_checked=checked,
                violations=missing.num_rows,
                examples=_examples(missing),
                message=(
                    f"{missing.num_rows:,} of {checked:,} rows have no parent in {target}"
                    if missing.num_rows
                    else f"every one of {checked:,} rows has its parent"
                ),
            )


# -- keys -----------------------------------------------------------------------------------
def duplicates(data: pa.Table) -> pa.Table:
    """Key values found more than once, with their count (``count_all``)."""
    counted = data.group_by(data.column_names).aggregate([([], "count_all")])
    return counted.filter(pc.greater(counted.column("count_all"), 1))


def _key_result(run: RunData, table: Table, columns: list[str], kind: str) -> CheckResult:
    data = run.columns(table.name, columns)
    nulls = data.num_rows - _complete(data).num_rows if kind == "primary_key" else 0
    twice = duplicates(_complete(data))
    extra = int(pc.sum(twice.column("count_all")).as_py() or 0) - twice.num_rows
    problems = []
    if twice.num_rows:
        problems.append(f"{twice.num_rows:,} values appear more than once ({extra:,} extra rows)")
    if nulls:
        problems.append(f"{nulls:,} rows have a NULL in the key")
    return CheckResult(
        kind=kind,
        table=table.name,
        columns=columns,
        rows_checked=data.num_rows,
        violations=extra + nulls,
        examples=_examples(twice.drop_columns(["count_all"])),
        message="; ".join(problems) or f"all {data.num_rows:,} values distinct",
    )


@register_check("primary_key")
def primary_keys(run: RunData) -> Iterable[CheckResult]:
    for table in run.experiment.tables:
        if table.primary_key:
            yield _key_result(run, table, table.primary_key, "primary_key")


@register_check("unique")
def unique_keys(run: RunData) -> Iterable[CheckResult]:
    for table in run.experiment.tables:
        for constraint in table.unique:
            yield _key_result(run, table, constraint.columns, "unique")


@register_check("not_null")
def not_null(run: RunData) -> Iterable[CheckResult]:
    for table in run.experiment.tables:
        required = [c.name for c in table.columns if not c.nullable]
        if not required:
            continue
        counts = {name: run.column(table.name, name).null_count for name in required}
        bad = {name: n for name, n in counts.items() if n}
        yield CheckResult(
            kind="not_null",
            table=table.name,
            columns=required,
            rows_checked=len(run.column(table.name, required[0])),
            violations=sum(bad.values()),
            examples=list(bad),
            message=", ".join(f"{n:,} NULLs in {c}" for c, n in bad.items())
            or f"no NULL in the {len(required)} NOT NULL columns",
        )


@register_check("manifest_rows")
def manifest_rows(run: RunData) -> Iterable[CheckResult]:
    manifest = run.manifest
    for table in run.experiment.tables:
        actual = run.rows(table.name)
        if manifest is None or table.name not in manifest.tables:
            yield CheckResult(kind="manifest_rows", table=table.name, rows_checked=actual,
                              error=True, message="the run has no manifest for this table "
                              "(incomplete run?)")  # fmt: skip
            continue
        listed = manifest.tables[table.name].rows
        yield CheckResult(
            kind="manifest_rows",
            table=table.name,
            rows_checked=actual,
            violations=abs(actual - listed),
            message=f"{actual:,} rows in the parts, {listed:,} in the manifest",
        )
