"""Evaluate a derived column's expression over a set of rows, vectorised.

Numbers are ``Num`` (decimals exact as scaled integers), text and other values Arrow arrays.
NULL propagates as in SQL, except in ``coalesce`` and ``email``.
"""

from decimal import Decimal
from typing import TYPE_CHECKING

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dwsim_generator.engine.emails import Emails
from dwsim_generator.engine.numbers import (
    Num,
    align,
    as_float,
    as_text,
    masks,
    multiply,
    plain,
    rescale,
    round_down,
)
from dwsim_shared.contracts.derived import family_of
from dwsim_shared.contracts.expressions import (
    NUMBER,
    Binary,
    Call,
    ColumnRef,
    Literal,
    Negate,
    Node,
)

if TYPE_CHECKING:
    from dwsim_generator.engine.rows import Rows

Value = Num | pa.Array


def literal_num(value: Decimal, n: int) -> Num:
    exponent = value.as_tuple().exponent
    scale = max(0, -exponent) if isinstance(exponent, int) else 0
    return Num(np.full(n, int(value.scaleb(scale)), dtype=np.int64), scale)


def text(value: Value) -> pa.Array:
    if isinstance(value, Num):
        return as_text(value)
    value = plain(value)
    return value if pa.types.is_string(value.type) else pc.cast(value, pa.string())


class Evaluator:
    """Evaluates expressions over rows of one table (``plan``'s)."""

    def __init__(self, plan, emails: Emails | None = None):  # type: ignore[no-untyped-def]
        self.plan, self.emails = plan, emails

    def __call__(self, node: Node, rows: "Rows") -> Value:
        if isinstance(node, Literal):
            if isinstance(node.value, str):
                return pa.repeat(pa.scalar(node.value, pa.string()), rows.size)
            return literal_num(node.value, rows.size)
        if isinstance(node, ColumnRef):
            if family_of(self.plan.table.column(node.name)) == NUMBER:
                return rows.number(node.name)
            return plain(rows.column(node.name))
        if isinstance(node, Negate):
            num = self._num(node.operand, rows)
            return Num(-num.values, num.scale, num.mask)
        if isinstance(node, Binary):
            return self._binary(node, rows)
        assert isinstance(node, Call)
        return self._call(node, rows)

    def _num(self, node: Node, rows: "Rows") -> Num:
        value = self(node, rows)
        assert isinstance(value, Num), "typed by the contract"
        return value

    def _binary(self, node: Binary, rows: "Rows") -> Value:
        if node.op == "||":
            left, right = text(self(node.left, rows)), text(self(node.right, rows))
            return pc.binary_join_element_wise(left, right, "")
        a, b = self._num(node.left, rows), self._num(node.right, rows)
        if node.op == "*":
            return multiply(a, b)
        if node.op == "/":
            a, b = as_float(a), as_float(b)
            mask = masks(a, b)
            zero = b.values == 0
            with np.errstate(divide="ignore", invalid="ignore"):
                values = np.where(zero, 0.0, a.values / np.where(zero, 1.0, b.values))
            if zero.any():
                mask = zero if mask is None else (mask | zero)
            return Num(values, None, mask)
        a, b = align(a, b)
        values = a.values + b.values if node.op == "+" else a.values - b.values
        return Num(values, a.scale, masks(a, b))

    def _call(self, node: Call, rows: "Rows") -> Value:
        name = node.name
        if name in ("lower", "upper", "trim"):
            value = text(self(node.args[0], rows))
            return {
                "lower": pc.utf8_lower,
                "upper": pc.utf8_upper,
                "trim": pc.utf8_trim_whitespace,
            }[name](value)
        if name == "abs":
            num = self._num(node.args[0], rows)
            return Num(np.abs(num.values), num.scale, num.mask)
        if name == "round":
            num = self._num(node.args[0], rows)
            digits = int(node.args[1].value) if len(node.args) == 2 else 0  # type: ignore[union-attr, arg-type]
            if num.scale is None:
                scaled = num.values * 10.0**digits
                return Num(np.sign(scaled) * np.floor(np.abs(scaled) + 0.5) / 10.0**digits, None,
                           num.mask)  # fmt: skip
            if num.scale <= digits:
                return num
            return Num(round_down(num.values, num.scale - digits), digits, num.mask)
        if name == "coalesce":
            values = [self(arg, rows) for arg in node.args]
            if isinstance(values[0], Num):
                return _coalesce_numbers(values)  # type: ignore[arg-type]
            return pc.coalesce(*[text(v) if pa.types.is_string(plain(v).type) else plain(v)
                                 for v in values])  # type: ignore[arg-type]  # fmt: skip
        assert name == "email"
        assert self.emails is not None
        first = text(self(node.args[0], rows))
        last = text(self(node.args[1], rows)) if len(node.args) > 1 else None
        return self.emails(rows.index, first, last)


def _coalesce_numbers(values: list[Num]) -> Num:
    scaled = values
    if all(v.scale is not None for v in values):
        top = max(v.scale for v in values)  # type: ignore[type-var]
        scaled = [rescale(v, top) for v in values]
    if any(v.scale is None for v in scaled):
        scaled = [as_float(v) for v in scaled]
    out = scaled[0].values.copy()
    mask = None if scaled[0].mask is None else scaled[0].mask.copy()
    for value in scaled[1:]:
        if mask is None:
            break
        fill = mask & (~value.mask if value.mask is not None else True)
        out[fill] = value.values[fill]
        mask = mask & (value.mask if value.mask is not None else False)
    return Num(out, scaled[0].scale, mask if mask is not None and mask.any() else None)
