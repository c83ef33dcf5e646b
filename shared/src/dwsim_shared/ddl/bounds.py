"""The values a column's rule can make, as far as the rule says: what inferred relations check
before they replace a rule (a derived value must fit the column's type and its CHECK)."""

from dwsim_shared.contracts.enums import RuleKind, RuleSource, TypeKind
from dwsim_shared.contracts.schema import Column

BOUNDED = (RuleKind.RANGE, RuleKind.DISTRIBUTION)


def _number(value: object) -> float | None:
    try:
        return float(value) if value is not None else None  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def bounds(column: Column) -> tuple[float | None, float | None]:
    """The smallest and largest value a column's rule makes, when it says (None: unknown)."""
    rule = column.rule
    if rule is None or rule.kind not in BOUNDED:
        return None, None
    return _number(rule.min), _number(rule.max)


def largest(column: Column) -> float | None:
    """The largest magnitude a column's rule makes, when it says (a range's or distribution's
    max)."""
    high = bounds(column)[1]
    return abs(high) if high is not None else None


def fits_precision(column: Column, highest: float | None) -> bool:
    """Whether values up to ``highest`` fit the column's DECIMAL precision (unknown: yes)."""
    ctype = column.type
    if highest is None or ctype.kind != TypeKind.DECIMAL or ctype.precision is None:
        return True
    return highest < 10 ** (ctype.precision - (ctype.scale or 0))


def within_check(column: Column, source: Column) -> bool:
    """``column`` has only a CHECK range from its DDL (uniform, or log-normal for money), and
    every value ``source`` makes satisfies it: copying ``source`` keeps the column's CHECK
    true."""
    rule = column.rule
    if rule is None or rule.source != RuleSource.DDL or rule.kind not in BOUNDED:
        return False
    low, high = bounds(column)
    source_low, source_high = bounds(source)
    if None in (low, high, source_low, source_high):
        return False
    return low <= source_low and source_high <= high  # type: ignore[operator]
