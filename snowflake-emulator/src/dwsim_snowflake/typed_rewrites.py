"""Snowflake answers DuckDB gets silently wrong, rewritten in the statement before fakesnow.

- Division of NUMBERs is a NUMBER with Snowflake's scale (7/2 = 3.500000, 1/3 = 0.333333), not a
  DOUBLE; AVG of NUMBERs likewise (AVG(1, 2, 4) = 2.333333). FLOAT operands stay FLOAT.
- Division or modulo by zero fails ("Division by zero"), as in Snowflake; DuckDB returned
  inf or NULL.
- TO_CHAR / TO_VARCHAR of a date or timestamp with a format formats it (sqlglot dropped the
  format: TO_CHAR(ts, 'YYYY-MM') returned the whole timestamp). Format elements the emulator
  cannot render, and numeric format models ('999.99'), are refused.
- A TIMESTAMP_NTZ as text (TO_CHAR(ts), ts::VARCHAR) has Snowflake's default output format
  with milliseconds: '2024-03-05 10:11:12.000'.
- Comparing a VARCHAR column with a number compares numbers, as Snowflake casts the string
  (DuckDB refused the comparison).
"""

import re
from collections.abc import Callable
from typing import Any

from snowflake.connector.errors import ProgrammingError
from sqlglot import exp
from sqlglot.dialects.snowflake import Snowflake
from sqlglot.time import format_time

from dwsim_snowflake.column_types import TEMPORAL, TEXT, annotate, numeric, type_of
from dwsim_snowflake.explain import note
from dwsim_snowflake.refusals import emulator_limit

_NTZ = {exp.DataType.Type.TIMESTAMP, exp.DataType.Type.TIMESTAMPNTZ, exp.DataType.Type.DATETIME}
_DEFAULT_NTZ = "%Y-%m-%d %H:%M:%S.%f_three"  # YYYY-MM-DD HH24:MI:SS.FF3
_QUOTED = re.compile(r'"[^"]*"')
_DIRECTIVE = re.compile(r"%[-:]?[A-Za-z](?:_[a-z]+)?")
_NUMERIC_FORMAT = re.compile(r"^[\s9038.,$DGSMIFXELBV+-]+$", re.IGNORECASE)
_COMPARISONS = (exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE)
_NUMBER_TEXT = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)$")


def _zero_guarded(divisor: exp.Expr) -> exp.Expr:
    """``divisor``, or an error when it is zero (a non-zero number as it is)."""
    if isinstance(divisor, exp.Literal) and divisor.is_number and float(divisor.this) != 0:
        return divisor
    note("division by zero fails")
    fail = exp.Anonymous(this="error", expressions=[exp.Literal.string("Division by zero")])
    return exp.If(
        this=exp.EQ(this=divisor.copy(), expression=exp.Literal.number(0)),
        true=fail,
        false=divisor,
    )


def _number(value: exp.Expr, scale: int) -> exp.Expr:
    """ROUND(value, scale) as NUMBER(38, scale)."""
    rounded = exp.Round(this=value, decimals=exp.Literal.number(scale))
    return exp.Cast(
        this=rounded, to=exp.DataType.build(f"NUMBER(38, {scale})", dialect="snowflake")
    )


def _as_double(value: exp.Expr) -> exp.Expr:
    return exp.Cast(this=value, to=exp.DataType.build("DOUBLE"))


def _division(node: exp.Div, types: dict[int, exp.DataType]) -> Callable[[], exp.Expr]:
    kind = numeric(node, types)
    left, right = numeric(node.this, types), numeric(node.expression, types)

    def build() -> exp.Expr:
        divisor = _zero_guarded(node.expression)
        if kind and kind.exact and left and right:
            note("NUMBER division (Snowflake's scale)")
            return _number(
                exp.Div(this=_as_double(node.this), expression=_as_double(divisor)), kind.scale
            )
        return exp.Div(this=node.this, expression=divisor)

    return build


def _modulo(node: exp.Mod) -> Callable[[], exp.Expr]:
    def build() -> exp.Expr:
        return exp.Mod(this=node.this, expression=_zero_guarded(node.expression))

    return build


def _average(
    node: exp.Avg, types: dict[int, exp.DataType]
) -> tuple[exp.Expr, Callable[[], exp.Expr]] | None:
    """(the node to replace: the AVG or its window, how) when AVG is of NUMBERs."""
    kind = numeric(node, types)
    if not (kind and kind.exact):
        return None
    target: exp.Expr = node.parent if isinstance(node.parent, exp.Window) else node

    def build() -> exp.Expr:
        note("AVG of NUMBER (Snowflake's scale)")
        return _number(target.copy(), kind.scale)

    return target, build


def _date_format(text: str) -> str:
    """Snowflake's date/time format elements as strftime's; refuses what cannot be rendered."""
    upper = _QUOTED.sub(lambda m: m[0], text.upper())
    converted = format_time(upper, Snowflake.TIME_MAPPING, Snowflake.TIME_TRIE) or ""
    if "%-z" in converted or "%:z" in converted or "%z" in converted:
        raise emulator_limit(
            f"TO_CHAR format '{text}' (time zone elements)", "Format the offset separately."
        )
    leftover = _DIRECTIVE.sub("", _QUOTED.sub("", converted))
    if re.search(r"[A-Za-z]", leftover):
        unknown = re.findall(r"[A-Za-z]+", leftover)[0]
        raise emulator_limit(
            f"TO_CHAR format element '{unknown}' (in '{text}')", "Use another format element."
        )
    return converted


def _to_char(node: exp.ToChar, types: dict[int, exp.DataType]) -> Callable[[], exp.Expr] | None:
    fmt = node.args.get("format")
    value = node.this
    data_type = type_of(value, types)
    if fmt is None:
        return _default_text(value, data_type)
    if not (isinstance(fmt, exp.Literal) and fmt.is_string):
        raise emulator_limit("TO_CHAR with a format that is not a string literal", "")
    kind = numeric(value, types)
    if kind is not None or _NUMERIC_FORMAT.match(fmt.this):
        raise emulator_limit(
            f"TO_CHAR / TO_VARCHAR of a number with a format model ('{fmt.this}')",
            "Use ROUND, TO_CHAR without a format, or LPAD.",
        )
    strftime = _date_format(fmt.this)
    temporal = data_type is not None and data_type.this in TEMPORAL
    source = value if temporal else exp.Cast(this=value, to=exp.DataType.build("TIMESTAMP"))

    def build() -> exp.Expr:
        note("TO_CHAR date/time format")
        return exp.TimeToStr(this=source, format=exp.Literal.string(strftime))

    return build


def _default_text(value: exp.Expr, data_type: exp.DataType | None) -> Callable[[], exp.Expr] | None:
    if data_type is None or data_type.this not in _NTZ:
        return None

    def build() -> exp.Expr:
        note("TIMESTAMP_NTZ as text (Snowflake's default format)")
        return exp.TimeToStr(this=value, format=exp.Literal.string(_DEFAULT_NTZ))

    return build


def _is_text_cast(node: exp.Cast) -> bool:
    return node.to.this in TEXT and not node.to.expressions


def _comparison(node: exp.Binary, types: dict[int, exp.DataType]) -> Callable[[], exp.Expr] | None:
    """A VARCHAR column compared with a number: compare as numbers (Snowflake casts the string;
    DuckDB compares text, where '10' < '9')."""
    sides = (node.this, node.expression)
    for side, other in (sides, sides[::-1]):
        kind = type_of(side, types) if isinstance(side, exp.Column) else None
        if kind is not None and kind.this in TEXT and numeric(other, types) is not None:

            def build(side: exp.Expr = side) -> exp.Expr:
                note("VARCHAR compared with a number (as numbers)")
                side.replace(_as_double(side.copy()))
                return node

            return build
    return None


def _numeric_strings(expression: exp.Expr, types: dict[int, exp.DataType]) -> None:
    """'5' + 1 is 6: a string literal in arithmetic with a number is that number (DuckDB
    refused to choose between DATE and INTEGER addition)."""
    for node in list(expression.find_all(exp.Add, exp.Sub, exp.Mul, exp.Div)):
        for side, other in ((node.this, node.expression), (node.expression, node.this)):
            if not (isinstance(side, exp.Literal) and side.is_string):
                continue
            if numeric(other, types) is None:
                continue
            text = side.this.strip()
            if not _NUMBER_TEXT.match(text):
                raise ProgrammingError(
                    msg=f"Numeric value '{side.this}' is not recognized",
                    errno=100038,
                    sqlstate="22018",
                )
            note("numeric string in arithmetic")
            side.replace(exp.Literal.number(text))


def _column_name(node: exp.Expr) -> str | None:
    """Snowflake's name for an unaliased select item: its text, upper-cased."""
    if isinstance(node.parent, exp.Select) and node in node.parent.expressions:
        return node.sql(dialect="snowflake").upper()
    return None


def rewrite(cursor: Any, expression: exp.Expr) -> exp.Expr:
    """Apply the rewrites above to a statement (in Snowflake's dialect, before fakesnow's)."""
    interesting = (exp.Div, exp.Mod, exp.Avg, exp.ToChar, exp.Cast, exp.Add, exp.Sub, exp.Mul)
    interesting += _COMPARISONS
    nodes = list(expression.find_all(*interesting, bfs=False))
    if not nodes:
        return expression
    needs_types = any(not isinstance(n, exp.Mod) for n in nodes)
    types = annotate(cursor, expression) if needs_types else {}
    _numeric_strings(expression, types)
    plans: list[tuple[exp.Expr, Callable[[], exp.Expr]]] = []
    for node in nodes:
        plan: Any = None
        if isinstance(node, exp.Div):
            plan = _division(node, types)
        elif isinstance(node, exp.Mod):
            plan = _modulo(node)
        elif isinstance(node, exp.Avg):
            if found := _average(node, types):
                plans.append(found)
            continue
        elif isinstance(node, exp.ToChar):
            plan = _to_char(node, types)
        elif isinstance(node, exp.Cast) and _is_text_cast(node):
            plan = _default_text(node.this, type_of(node.this, types))
        elif isinstance(node, _COMPARISONS):
            plan = _comparison(node, types)
        if plan is not None:
            plans.append((node, plan))
    names = {id(node): _column_name(node) for node, _ in plans}
    for node, build in reversed(plans):  # inner nodes first: a parent's plan reads its children
        replacement = build()
        if (name := names[id(node)]) and not isinstance(replacement, exp.Alias):
            replacement = exp.alias_(replacement, name, quoted=True)
        if replacement is not node:
            if node is expression:
                expression = replacement
            else:
                node.replace(replacement)
    return expression
