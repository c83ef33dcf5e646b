"""The scale Redshift gives a computed DECIMAL (r_numeric_computations201), from the operands'
declared types as PostgreSQL describes them.

A formula is JSON: ``["col", i]`` (the i-th column a probe described), ``["int"]`` (an integer
literal) or ``[op, left, right]`` for ``+``, ``-``, ``*``. Redshift's rules: ``+``/``-`` give
scale max(s1, s2), ``*`` gives s1 + s2; integer operands (INT2/INT4/INT8, integer literals)
have scale 0 and an all-integer computation stays an integer; a REAL or DOUBLE operand makes it
DOUBLE PRECISION. SUM and AVG of a DECIMAL(p, s) are NUMERIC(38, s), so their slots need only
the scale of the argument. An operand PostgreSQL describes as NUMERIC with no declared scale
(a decimal literal, a division, a function) leaves the result unknown: it keeps PostgreSQL's
type.
"""

from typing import Any

_NUMERIC = 1700
_INTEGERS = frozenset({20, 21, 23})  # bigint, smallint, integer
_MAX_SCALE = 38
INTEGER = "int"
"""The scale of a computation that stays an integer (no cast: PostgreSQL types it already)."""

Formula = list[Any]
Scale = int | str | None


def column_scale(oid: int, typmod: int) -> Scale:
    if oid in _INTEGERS:
        return INTEGER
    if oid != _NUMERIC or typmod < 4:
        return None
    return (typmod - 4) & 0xFFFF


def scale(formula: Formula, columns: list[tuple[int, int]]) -> Scale:
    """The scale of ``formula``'s result, INTEGER, or None where it cannot be known."""
    kind = formula[0]
    if kind == "col":
        index = formula[1]
        return column_scale(*columns[index]) if index < len(columns) else None
    if kind == "int":
        return INTEGER
    left, right = scale(formula[1], columns), scale(formula[2], columns)
    if left is None or right is None:
        return None
    if left == INTEGER and right == INTEGER:
        return INTEGER
    s1, s2 = (0 if s == INTEGER else s for s in (left, right))
    return s1 + s2 if kind == "*" else max(s1, s2)


def numeric38(formula: Formula, columns: list[tuple[int, int]]) -> str | None:
    """NUMERIC(38, s) for a SUM/AVG whose argument is a DECIMAL of scale s, else None."""
    found = scale(formula, columns)
    if found is None or found == INTEGER or found > _MAX_SCALE:
        return None
    return f"NUMERIC(38, {found})"
