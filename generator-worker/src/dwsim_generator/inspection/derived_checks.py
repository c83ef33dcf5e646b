"""Checks of derived columns over a whole run: lookups equal their parent's column, aggregates
their children's sum/count/min/max, expressions their inputs, times come after what they
follow and by their rule's max, and a geo group taking its parent row's place agrees with the
parent's address. Numbers compare as the engine computes them: decimals exact.
"""

from collections.abc import Iterable
from datetime import date
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dwsim_generator.engine.columns.base import ColumnContext
from dwsim_generator.engine.derived import After
from dwsim_generator.engine.evaluate import Evaluator, text
from dwsim_generator.engine.numbers import Num, conform, convert_units, temporal_units, to_num
from dwsim_generator.inspection.checks import EXAMPLES, register_check
from dwsim_generator.inspection.profile import jsonable
from dwsim_generator.inspection.run_data import RunData
from dwsim_shared.contracts.derived import Derivation, family_of, resolve_all
from dwsim_shared.contracts.enums import AggregateFunction, RuleKind, Warehouse
from dwsim_shared.contracts.expressions import NUMBER, uses_email
from dwsim_shared.contracts.inspection import CheckResult


class _Rows:
    """A whole table of the run, as the engine's evaluator reads rows."""

    def __init__(self, run: RunData, table: str):
        self.run, self.table = run, table
        self.size = run.rows(table)
        self.index = np.arange(self.size, dtype=np.int64)

    def column(self, name: str) -> pa.Array:
        return self.run.column(self.table, name).combine_chunks()

    def number(self, name: str) -> Num:
        return to_num(self.column(name))


def _ctx(run: RunData, table: str, column: str) -> ColumnContext:
    spec = run.table(table)
    col = spec.column(column)
    assert col.rule is not None
    warehouse = run.experiment.warehouse or Warehouse.REDSHIFT
    return ColumnContext(spec, col, col.rule, run.rows(table), 0, warehouse)


def _numbers(run: RunData, table: str, column: str) -> Num:
    return to_num(run.column(table, column).combine_chunks())


def _nulled(run: RunData, d: Derivation) -> np.ndarray | None:
    """Rows the rule's own ``null_ratio`` made NULL: nothing to compare there."""
    rule = run.table(d.table).column(d.column).rule
    if rule is None or rule.null_ratio <= 0:
        return None
    return run.column(d.table, d.column).is_null().to_numpy(zero_copy_only=False)


def _result(d: Derivation, target: str, checked: int, bad: np.ndarray, shown: list) -> CheckResult:
    found = int(np.count_nonzero(bad))
    examples = [jsonable(v) for v in shown[:EXAMPLES]]
    what = f"{d.table}.{d.column}"
    message = (f"{found:,} of {checked:,} rows of {what} differ from {target}" if found
               else f"all {checked:,} rows of {what} match {target}")  # fmt: skip
    return CheckResult(kind=d.kind.value, table=d.table, columns=[d.column], target=target,
                       rows_checked=checked, violations=found, examples=examples,
                       message=message)  # fmt: skip


def _parent_rows(run: RunData, d: Derivation, parent: str) -> np.ndarray:
    """For each row of ``d.table``, the row of ``parent`` its foreign key points to (-1: none)."""
    assert d.link is not None
    spec = run.table(parent)
    names = {c.name.lower(): c.name for c in spec.columns}
    keys = run.columns(parent, [names[c.lower()] for c in d.link.references_columns])
    child = run.columns(d.table, list(d.link.columns))
    left = pa.table({f"k{i}": c for i, c in enumerate(child.columns)}).append_column(
        "_child", pa.array(np.arange(child.num_rows))
    )
    right = pa.table({f"k{i}": c.cast(child.column(i).type) for i, c in enumerate(keys.columns)})
    right = right.append_column("_parent", pa.array(np.arange(keys.num_rows)))
    joined = left.join(right, keys=[f"k{i}" for i in range(child.num_columns)], join_type="inner")
    out = np.full(child.num_rows, -1, dtype=np.int64)
    out[joined.column("_child").to_numpy()] = joined.column("_parent").to_numpy()
    return out


def _check_lookup(run: RunData, d: Derivation) -> CheckResult:
    parent = d.parent or ""
    target = f"{parent}.{d.source}"
    rows = _parent_rows(run, d, parent)
    linked = rows >= 0
    nulled = _nulled(run, d)
    if nulled is not None:
        linked &= ~nulled
    values = run.column(d.table, d.column).combine_chunks()
    source = run.column(parent, d.source or "").combine_chunks()
    if family_of(run.table(d.table).column(d.column)) == NUMBER:
        mine = _numbers(run, d.table, d.column)
        theirs = conform(_numbers(run, parent, d.source or ""), _ctx(run, d.table, d.column))
        got, want = mine.values[linked], theirs.values[rows[linked]]
        noise = run.table(d.table).column(d.column).rule.noise or 0.0  # type: ignore[union-attr]
        if noise:
            bad = np.abs(got - want) > np.abs(want) * noise + 10.0 ** -(mine.scale or 0)
        else:
            bad = got != want
    else:
        want = source.take(pa.array(rows[linked])).cast(pa.string())
        got_text = values.filter(pa.array(linked)).cast(pa.string())
        length = pc.utf8_length(got_text)
        bad = ~pc.equal(got_text, pc.utf8_slice_codeunits(want, 0, pc.max(length).as_py() or 0)
                        ).fill_null(True).to_numpy(zero_copy_only=False)  # fmt: skip
        got = got_text.to_pylist()
    shown = [v for v, b in zip(np.asarray(got).tolist(), bad, strict=False) if b]
    return _result(d, target, int(linked.sum()), np.asarray(bad), shown)


def _check_aggregate(run: RunData, d: Derivation) -> CheckResult:
    child = d.child or ""
    link = d.link
    assert link is not None
    rows = _parent_rows(run, Derivation(child, "", RuleKind.LOOKUP, link=link), d.table)
    size = run.rows(d.table)
    keep = rows >= 0
    if d.source is None and d.expression is None:
        want = Num(np.bincount(rows[keep], minlength=size).astype(np.int64), 0)
    else:
        if d.source is not None:
            value = _numbers(run, child, d.source)
        else:
            assert d.expression is not None
            value = Evaluator(_Table(run, child))(d.expression, _Rows(run, child))
            value = value if isinstance(value, Num) else to_num(value)
        if value.mask is not None:
            keep &= ~value.mask
        want = _reduce(d.function, value, rows, keep, size)
    ctx = _ctx(run, d.table, d.column)
    mine, theirs = _numbers(run, d.table, d.column), conform(want, ctx)
    bad = _differ(mine, theirs, _nulled(run, d))
    what = f"{d.function.value if d.function else ''}({child}"
    target = what + (f".{d.source})" if d.source else ")")
    return _result(d, target, size, bad, mine.values[bad].tolist())


def _differ(mine: Num, theirs: Num, nulled: np.ndarray | None) -> np.ndarray:
    """Rows whose stored number is not the recomputed one (NULL only where it should be)."""
    size = len(mine.values)
    a = np.zeros(size, bool) if mine.mask is None else mine.mask
    b = np.zeros(size, bool) if theirs.mask is None else theirs.mask
    bad = ((mine.values != theirs.values) & ~a & ~b) | (a != b)
    return bad if nulled is None else bad & ~nulled


class _Table:
    """What ``Evaluator`` needs of a plan: the table's columns."""

    def __init__(self, run: RunData, table: str):
        self.table = run.table(table)


def _reduce(function: AggregateFunction | None, value: Num, rows, keep, size: int) -> Num:  # type: ignore[no-untyped-def]
    groups, values = rows[keep], value.values[keep]
    if function == AggregateFunction.COUNT:
        return Num(np.bincount(groups, minlength=size).astype(np.int64), 0)
    if function == AggregateFunction.SUM:
        total = np.zeros(size, dtype=values.dtype)
        np.add.at(total, groups, values)
        return Num(total, value.scale)
    biggest = function == AggregateFunction.MAX
    fill = (-np.inf if biggest else np.inf) if values.dtype.kind == "f" else (
        np.iinfo(np.int64).min if biggest else np.iinfo(np.int64).max)  # fmt: skip
    out = np.full(size, fill, dtype=values.dtype)
    (np.maximum if biggest else np.minimum).at(out, groups, values)
    empty = np.bincount(groups, minlength=size) == 0
    return Num(np.where(empty, 0, out), value.scale, empty if empty.any() else None)


def _check_expression(run: RunData, d: Derivation) -> CheckResult | None:
    assert d.expression is not None
    if uses_email(d.expression):
        return None  # hashed forms and domains: checked by the tests, not recomputed here
    value = Evaluator(_Table(run, d.table))(d.expression, _Rows(run, d.table))
    stored = run.column(d.table, d.column).combine_chunks()
    ctx = _ctx(run, d.table, d.column)
    nulled = _nulled(run, d)
    if family_of(ctx.column) == NUMBER:
        mine = to_num(stored)
        theirs = conform(value if isinstance(value, Num) else to_num(value), ctx)
        bad = _differ(mine, theirs, nulled)
        return _result(d, "its expression", len(stored), bad, mine.values[bad].tolist())
    want = pc.utf8_slice_codeunits(text(value), 0, ctx.max_chars or 2**31 - 1)
    equal = pc.equal(stored.cast(pa.string()), want)
    bad = ~equal.fill_null(True).to_numpy(zero_copy_only=False)
    bad |= (stored.is_null().to_numpy(zero_copy_only=False)
            != want.is_null().to_numpy(zero_copy_only=False))  # fmt: skip
    if nulled is not None:
        bad &= ~nulled
    return _result(d, "its expression", len(stored), bad, stored.filter(pa.array(bad)).to_pylist())


def _check_after(run: RunData, d: Derivation) -> CheckResult:
    ctx = _ctx(run, d.table, d.column)
    after = After(ctx, None, d)  # type: ignore[arg-type]
    high = after.bound_high()
    units, unit, mask = temporal_units(run.column(d.table, d.column).combine_chunks())
    if d.parent is None:
        base, base_unit, base_mask = temporal_units(
            run.column(d.table, d.source or "").combine_chunks()
        )
        target = f"{d.table}.{d.source}"
    else:
        rows = _parent_rows(run, d, d.parent)
        base, base_unit, base_mask = temporal_units(
            run.column(d.parent, d.source or "").combine_chunks()
        )
        base, base_mask = base[rows], (rows < 0) | (False if base_mask is None else base_mask[rows])
        target = f"{d.parent}.{d.source}"
    base = convert_units(base, base_unit, unit)
    known = np.ones(len(units), bool) if mask is None else ~mask
    if base_mask is not None:
        known &= ~np.asarray(base_mask)
    bad = known & ((units < base) | ((units > high) & (base <= high)))
    shown = [
        date.fromordinal(719163 + int(v)) if unit == "day" else int(v)
        for v in units[bad][:EXAMPLES]
    ]
    return _result(d, f"on or after {target}", len(units), bad, shown)


def _check_geo(run: RunData, d: Derivation) -> CheckResult | None:
    """A group taking its parent row's place: the column equals the parent group's column of
    the same field (where the parent group has one), but for its independent share."""
    parent = d.parent or ""
    rule = run.table(d.table).column(d.column).rule
    group = run.table(parent).column(d.source or "").rule.group  # type: ignore[union-attr]
    same = next((c.name for c in run.table(parent).columns if c.rule is not None
                 and c.rule.kind == RuleKind.GEO and c.rule.group == group
                 and c.rule.field == rule.field), None)  # type: ignore[union-attr]  # fmt: skip
    if same is None:
        return None  # nothing of the parent's to compare with
    rows = _parent_rows(run, d, parent)
    mine = run.column(d.table, d.column).combine_chunks().cast(pa.string())
    theirs = run.column(parent, same).combine_chunks().cast(pa.string())
    linked = (rows >= 0) & ~mine.is_null().to_numpy(zero_copy_only=False)
    want = theirs.take(pa.array(np.where(linked, rows, 0)))
    linked &= ~want.is_null().to_numpy(zero_copy_only=False)
    equal = pc.equal(mine, want).fill_null(False).to_numpy(zero_copy_only=False)
    bad = linked & ~equal
    share = rule.params.get("independent", 0.0)  # type: ignore[union-attr]
    checked = int(linked.sum())
    if share > 0 and checked:  # a share draws its own place: only far too few matches count
        expected = (1 - share) * checked
        bad = bad if equal[linked].sum() < expected - 4 * np.sqrt(expected + 1) else bad & False
    shown = mine.filter(pa.array(bad)).to_pylist()
    return _result(d, f"{parent}.{same}", checked, bad, shown)


_CHECKS: dict[RuleKind, Any] = {
    RuleKind.GEO: _check_geo,
    RuleKind.LOOKUP: _check_lookup,
    RuleKind.AGGREGATE: _check_aggregate,
    RuleKind.EXPRESSION: _check_expression,
    RuleKind.AFTER: _check_after,
}


@register_check("derived")
def derived_columns(run: RunData) -> Iterable[CheckResult]:
    for derivation in resolve_all(run.experiment).values():
        result = _CHECKS[derivation.kind](run, derivation)
        if result is not None:
            yield result
