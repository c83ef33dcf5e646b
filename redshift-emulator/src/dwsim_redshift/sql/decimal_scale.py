"""The precision and scale Redshift gives a computed DECIMAL (r_numeric_computations201), from
the operands' declared types as PostgreSQL describes them.

A formula is JSON: ``["col", i]`` (the i-th column a probe described), ``["int"]`` (an integer
literal), ``["nil"]`` (an operand not probed: an aggregate, a window) or ``[op, left, right]``
for ``+``, ``-``, ``*``, ``/``. Redshift's rules, with p1, s1 and p2, s2 the operands' precision
and scale:

- ``+``/``-``: scale max(s1, s2), precision max(p1 - s1, p2 - s2) + 1 + scale;
- ``*``: scale s1 + s2, precision p1 + p2 + 1;
- ``/``: scale max(4, s1 + p2 - s2 + 1), precision p1 - s1 + s2 + scale; past precision 38 the
  precision is 38 and the scale max(38 + scale - precision, 4);
- the result's precision is at most 38 (and its scale at most 38: a larger one is left untyped);
- an INT2 / INT4 / INT8 operand next to a DECIMAL is a DECIMAL(5,0) / (10,0) / (19,0), and an
  all-integer computation stays an integer; a REAL or DOUBLE operand makes it DOUBLE PRECISION.

The docs give no type for an integer literal: its scale is 0 (it is an integer), its precision
unknown, so ``a * 2`` has a known scale but no known precision (enough for SUM/AVG, which are
NUMERIC(38, s), not for a declared NUMERIC(p, s)). An operand PostgreSQL describes as NUMERIC
with no declared scale (a decimal literal, a function) leaves the result unknown: it keeps
PostgreSQL's type.
"""

from typing import Any

_NUMERIC = 1700
_INTEGER_PRECISION = {21: 5, 23: 10, 20: 19}  # smallint, integer, bigint as DECIMAL(p, 0)
_MAX_PRECISION = 38
_MAX_SCALE = 38
_MIN_DIVISION_SCALE = 4
_MAX_DIVISION_SCALE = 100

Formula = list[Any]
Typed = tuple[str, int | None, int] | None
"""("int", precision or None, 0), ("dec", precision or None, scale), or None if unknown."""


def column_type(oid: int, typmod: int) -> Typed:
    if oid in _INTEGER_PRECISION:
        return ("int", _INTEGER_PRECISION[oid], 0)
    if oid != _NUMERIC or typmod < 4:
        return None
    return ("dec", ((typmod - 4) >> 16) & 0xFFFF, (typmod - 4) & 0xFFFF)


def _combine(op: str, p1: int | None, s1: int, p2: int | None, s2: int) -> Typed:
    known = p1 is not None and p2 is not None
    if op in "+-":
        scale = max(s1, s2)
        precision = max(p1 - s1, p2 - s2) + 1 + scale if known else None
    elif op == "*":
        scale = s1 + s2
        precision = p1 + p2 + 1 if known else None
    else:  # "/": the scale depends on the divisor's precision, and is cut past precision 38
        if not known:
            return None
        scale = max(_MIN_DIVISION_SCALE, s1 + p2 - s2 + 1)
        precision = p1 - s1 + s2 + scale
        if scale > _MAX_DIVISION_SCALE:
            precision -= scale - _MAX_DIVISION_SCALE
            scale = _MAX_DIVISION_SCALE
        if precision > _MAX_PRECISION:
            scale = max(_MAX_PRECISION + scale - precision, _MIN_DIVISION_SCALE)
    if scale > _MAX_SCALE:
        return None
    return ("dec", None if precision is None else min(precision, _MAX_PRECISION), scale)


def result_type(formula: Formula, columns: list[tuple[int, int]]) -> Typed:
    """The type of ``formula``'s result as Redshift declares it, or None where unknown."""
    kind = formula[0]
    if kind == "col":
        index = formula[1]
        return column_type(*columns[index]) if index < len(columns) else None
    if kind == "int":
        return ("int", None, 0)
    if kind == "nil":
        return None
    left, right = result_type(formula[1], columns), result_type(formula[2], columns)
    if left is None or right is None:
        return None
    if left[0] == "int" and right[0] == "int":
        widths = (left[1], right[1])
        return ("int", None if None in widths else max(widths), 0)
    return _combine(kind, left[1], left[2], right[1], right[2])


def numeric38(formula: Formula, columns: list[tuple[int, int]]) -> str | None:
    """NUMERIC(38, s) for a SUM/AVG whose argument is a DECIMAL of scale s, else None."""
    found = result_type(formula, columns)
    if found is None or found[0] != "dec":
        return None
    return f"NUMERIC(38, {found[2]})"


def declared(formula: Formula, columns: list[tuple[int, int]]) -> tuple[int, int] | None:
    """(precision, scale) of a computed DECIMAL whose precision is known, else None."""
    found = result_type(formula, columns)
    if found is None or found[0] != "dec" or found[1] is None:
        return None
    return found[1], found[2]
