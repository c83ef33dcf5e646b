"""Date and time functions: Redshift semantics live in the dwsim_rs helper functions."""

from collections.abc import Callable

from sqlglot import exp

from dwsim_redshift.sql.dateparts import ALIASES
from dwsim_redshift.sql.errors import UnsupportedStatementError
from dwsim_redshift.sql.rewrites.calls import call, datepart, helper, timestamp_arg

Builder = Callable[[list[exp.Expr]], exp.Expr]


def _arity(name: str, args: list[exp.Expr], *allowed: int) -> None:
    if len(args) not in allowed:
        expected = " or ".join(str(n) for n in allowed)
        raise UnsupportedStatementError(
            f"{name} takes {expected} arguments in Redshift, got {len(args)}"
        )


def _part_ts(name: str) -> Builder:
    """f(part, ts) -> dwsim_rs.f('part', ts)."""

    def build(args: list[exp.Expr]) -> exp.Expr:
        _arity(name.upper(), args, 2)
        return helper(name, datepart(args[0]), timestamp_arg(args[1]))

    return build


def _datediff(args: list[exp.Expr]) -> exp.Expr:
    _arity("DATEDIFF", args, 3)
    return helper("datediff", datepart(args[0]), timestamp_arg(args[1]), timestamp_arg(args[2]))


def _dateadd(args: list[exp.Expr]) -> exp.Expr:
    _arity("DATEADD", args, 3)
    return helper("dateadd", datepart(args[0]), args[1], timestamp_arg(args[2]))


def _trunc(args: list[exp.Expr]) -> exp.Expr:
    _arity("TRUNC", args, 1, 2)
    if len(args) == 2:
        return helper("trunc", *args)
    return helper("trunc", timestamp_arg(args[0]))


def _convert_timezone(args: list[exp.Expr]) -> exp.Expr:
    _arity("CONVERT_TIMEZONE", args, 2, 3)
    *zones, value = args
    return helper("convert_timezone", *zones, timestamp_arg(value))


def _ts_args(name: str, *allowed: int) -> Builder:
    def build(args: list[exp.Expr]) -> exp.Expr:
        _arity(name.upper(), args, *allowed)
        return helper(name, *(timestamp_arg(a) for a in args))

    return build


def _add_months(args: list[exp.Expr]) -> exp.Expr:
    _arity("ADD_MONTHS", args, 2)
    return helper("add_months", timestamp_arg(args[0]), args[1])


def _next_day(args: list[exp.Expr]) -> exp.Expr:
    _arity("NEXT_DAY", args, 2)
    return helper("next_day", timestamp_arg(args[0]), args[1])


FUNCTIONS: dict[str, Builder] = {
    "DATEDIFF": _datediff,
    "DATE_DIFF": _datediff,
    "DATEADD": _dateadd,
    "DATE_ADD": _dateadd,
    "DATEPART": _part_ts("date_part"),
    "DATE_PART": _part_ts("date_part"),
    "DATE_TRUNC": _part_ts("date_trunc"),
    "TRUNC": _trunc,
    "CONVERT_TIMEZONE": _convert_timezone,
    "ADD_MONTHS": _add_months,
    "MONTHS_BETWEEN": _ts_args("months_between", 2),
    "LAST_DAY": _ts_args("last_day", 1),
    "NEXT_DAY": _next_day,
}


def _getdate(args: list[exp.Expr]) -> exp.Expr:
    """GETDATE(): the statement's start, to the second, as TIMESTAMP (no time zone)."""
    _arity("GETDATE", args, 0)
    now = exp.cast(call("STATEMENT_TIMESTAMP"), exp.DType.TIMESTAMP, copy=False)
    return call("DATE_TRUNC", exp.Literal.string("second"), now)


def _sysdate(node: exp.Expr) -> exp.Expr:
    """SYSDATE: the transaction's start as TIMESTAMP; CURRENT_TIMESTAMP stays as it is."""
    if not node.args.get("sysdate"):
        return node
    return exp.cast(call("TRANSACTION_TIMESTAMP"), exp.DType.TIMESTAMP, copy=False)


FUNCTIONS["GETDATE"] = _getdate

# EXTRACT returns only the named part: seconds without their fraction, milliseconds and
# microseconds without the seconds (Redshift's "Date parts" page, "Variations in results").
_EXTRACT_PART_ONLY = {"second", "millisecond", "microsecond"}
_PG_FIELDS = {"millisecond": "milliseconds", "microsecond": "microseconds"}


def _extract(node: exp.Expr) -> exp.Expr:
    part = ALIASES.get(node.this.name.lower()) if isinstance(node.this, exp.Var) else None
    if part is None:
        return node
    value = timestamp_arg(node.expression)
    if part in _EXTRACT_PART_ONLY:
        return helper("extract_part", exp.Literal.string(part), value)
    return exp.Extract(this=exp.var(_PG_FIELDS.get(part, part).upper()), expression=value)


NODES: dict[type, Callable[[exp.Expr], exp.Expr]] = {
    exp.CurrentTimestamp: _sysdate,
    exp.Extract: _extract,
}
