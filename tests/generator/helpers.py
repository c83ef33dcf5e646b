"""Small builders for experiment schemas and a helper that generates every table in memory."""

from typing import Any

import pyarrow as pa

from dwsim_generator.engine import plan_run
from dwsim_shared.contracts.schema import Experiment


def col(name: str, type_: str, rule: dict | None = None, nullable: bool = True) -> dict:
    column: dict[str, Any] = {"name": name, "type": type_, "nullable": nullable}
    if rule is not None:
        column["rule"] = rule
    return column


def table(name: str, rows: int, columns: list[dict], **extra: Any) -> dict:
    return {"name": name, "rows": rows, "columns": columns, **extra}


def experiment(*tables: dict, warehouse: str = "redshift") -> Experiment:
    return Experiment.model_validate({"name": "t", "warehouse": warehouse, "tables": list(tables)})


def generate(
    exp: Experiment, seed: int = 1, chunk_rows: int = 1 << 20, **kwargs: Any
) -> dict[str, pa.Table]:
    """Every table of a run, chunk by chunk, concatenated."""
    plan = plan_run(exp, seed=seed, chunk_rows=chunk_rows, **kwargs)
    out = {}
    for name in plan.order:
        chunks = [plan.generate_chunk(name, c) for c in range(plan.chunk_count(name))]
        out[name] = pa.concat_tables(chunks).combine_chunks()
    return out


def values(data: pa.Table, column: str) -> list:
    return data.column(column).to_pylist()


def plain(data: pa.Table) -> pa.Table:
    """Dictionary-encoded columns decoded, so tables compare by value."""
    columns = [
        c.cast(c.type.value_type) if pa.types.is_dictionary(c.type) else c for c in data.columns
    ]
    return pa.Table.from_arrays(columns, names=data.column_names)


def check_integrity(exp: Experiment, data: dict[str, pa.Table]) -> None:
    """Keys unique, foreign keys present in their parents, NOT NULL held, lengths kept."""
    import pyarrow.compute as pc

    for t in exp.tables:
        got = data[t.name]
        groups = ([t.primary_key] if t.primary_key else []) + [u.columns for u in t.unique]
        for group in groups:
            rows = list(zip(*(values(got, c) for c in group), strict=True))
            rows = [r for r in rows if None not in r]
            assert len(set(rows)) == len(rows), f"{t.name}{tuple(group)} has duplicates"
        for column in t.columns:
            array = got.column(column.name)
            if not column.nullable:
                assert array.null_count == 0, f"{t.name}.{column.name} has NULLs"
            if column.type.kind.value in ("char", "varchar") and column.type.length:
                array = plain(got.select([column.name])).column(0)
                longest = pc.max(pc.utf8_length(array)).as_py() or 0
                assert longest <= column.type.length, f"{t.name}.{column.name} too long"
        for fk in t.foreign_keys:
            parent = next(p for p in exp.tables if p.name.lower() == fk.references_table.lower())
            names = {c.name.lower(): c.name for c in parent.columns}
            pcols = [names[c.lower()] for c in fk.references_columns]
            keys = set(zip(*(values(data[parent.name], c) for c in pcols), strict=True))
            child = zip(*(values(got, c) for c in fk.columns), strict=True)
            missing = [r for r in child if None not in r and r not in keys]
            assert not missing, f"{t.name}{tuple(fk.columns)}: {len(missing)} orphans"
