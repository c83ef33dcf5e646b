"""Zero-config realism: a generation rule for every column, guessed from its name and type.

Every rule made here has ``source=inferred`` (``ddl`` when the DDL itself says it: identity
columns), so users can see what was guessed and override it. Type limits always win over the
name: a ``VARCHAR(2)`` state gets ``state_abbr``, a ``DECIMAL(4,2)`` price stays below 100.
"""

import re
from datetime import date
from decimal import Decimal

from dwsim_shared.contracts.enums import RuleKind, RuleSource, TypeKind
from dwsim_shared.contracts.rules import GenerationRule
from dwsim_shared.contracts.schema import Column
from dwsim_shared.contracts.types import ColumnType
from dwsim_shared.ddl import skew
from dwsim_shared.ddl import vocabulary as vocab

INTEGERS = {TypeKind.SMALLINT: 2**15 - 1, TypeKind.INTEGER: 2**31 - 1, TypeKind.BIGINT: 2**63 - 1}
TEMPORAL = (TypeKind.DATE, TypeKind.TIMESTAMP, TypeKind.TIMESTAMPTZ)
STRINGS = (TypeKind.CHAR, TypeKind.VARCHAR, TypeKind.TEXT)
YEARS_BACK = 3  # temporal columns default to the three years before the anchor
# Inferred date ranges end here, not on the day of the import: the same DDL and seed must give
# the same data on any day. Pass ``today=`` to infer_rule/import_ddl to anchor elsewhere.
INFERENCE_ANCHOR = date(2026, 1, 1)

# Integer-valued names -> (min, max). First match wins.
_INT_RANGES: list[tuple[str, tuple[int, int]]] = [
    (r"(^|_)age$", (18, 90)),
    (r"(^|_)month$", (1, 12)),
    (r"(^|_)(day|dom)$", (1, 28)),
    (r"(^|_)(day_of_week|dow|weekday)$", (1, 7)),
    (r"(^|_)week$", (1, 52)),
    (r"(^|_)(qtr|quarter)$", (1, 4)),
    (r"(^|_)hour$", (0, 23)),
    (r"(^|_)(minute|second)s?$", (0, 59)),
    (r"line_?(number|no|num|item)|lineno|(^|_)(position|seq|sequence)$", (1, 7)),
    (r"avail|stock|inventory|on_?hand", (0, 10000)),
    (r"quantity|qty|(^|_)(units|count|items|tickets|sold)$|^num_?", (1, 50)),
    (r"seats|capacity", (10, 5000)),
    (r"rating|stars", (1, 5)),
    (r"score", (0, 100)),
    (r"percent|pct", (0, 100)),
    (r"priority|rank|(^|_)level$|tier", (1, 5)),
    (r"(^|_)size$", (1, 50)),
    (r"duration|seconds", (1, 3600)),
    (r"minutes", (1, 600)),
    (r"days", (0, 365)),
    (r"weight", (1, 100)),
    (r"(^|_)port$", (1024, 65535)),
    (r"zip|postal", (10000, 99999)),
    (r"version|revision", (1, 10)),
    (r"population", (1000, 10_000_000)),
    (r"salary|income|wage", (20_000, 200_000)),
    (
        r"price|amount|amt$|total|cost|revenue|sales|balance|fee|charge|payment|spend|budget",
        (1, 1000),
    ),
]
# Fractional names -> (min, max), before the money rule (tax_rate is a rate, not an amount).
_FRACTION_RANGES: list[tuple[str, tuple[float, float]]] = [
    (r"(^|_)lat(itude)?$", (-90.0, 90.0)),
    (r"(^|_)(lon|lng|long|longitude)$", (-180.0, 180.0)),
    (r"(^|_)(tax|discount)(_?(rate|pct|percent))?$", (0.0, 0.1)),
    (r"percent|pct", (0.0, 100.0)),
    (r"rate|ratio|probability|share|fraction", (0.0, 1.0)),
    (r"rating|stars", (1.0, 5.0)),
    (r"score", (0.0, 100.0)),
    (r"quantity|qty", (1.0, 50.0)),
    (r"weight", (0.1, 100.0)),
    (r"height|length|width|depth|distance", (1.0, 100.0)),
    (r"temperature|temp$", (-20.0, 40.0)),
    (r"salary|income|wage", (20_000.0, 200_000.0)),
    (r"total|revenue|sales|budget|(^|_)value$", (10.0, 100_000.0)),
    (
        r"price|amount|amt$|cost|balance|bal$|fee|charge|payment|spend|subtotal|paid|refund"
        r"|commission",
        (1.0, 1000.0),
    ),
]
_DATE_NAMES = r"date|(_|^)(at|on|time|timestamp|ts|dt)$|time$|timestamp|created|updated|modified"


def snake(name: str) -> str:
    """``CustomerEmail`` / ``customer-email`` -> ``customer_email``."""
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name)
    return re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")


def _strip_table_prefix(name: str, table: str) -> str:
    """TPC-H style ``c_name`` in ``customer`` / ``ps_supplycost`` in ``partsupp`` -> bare name."""
    head, _, rest = name.partition("_")
    if not rest or len(head) > 3 or not table or head[0] != table[0]:
        return name
    letters = iter(table)
    return rest if all(ch in letters for ch in head) else name


def _first(patterns: list, text: str):  # type: ignore[no-untyped-def]
    return next((entry for entry in patterns if re.search(entry[0], text)), None)


def infer_rule(
    column: Column,
    *,
    table: str = "",
    key: bool = False,
    today: date | None = None,
    constrained: bool = False,
) -> GenerationRule:
    """A rule for ``column``. ``key``: the column alone is the primary key or a unique key;
    ``constrained``: it is part of a key or foreign key (never made NULL here)."""
    today = today or INFERENCE_ANCHOR
    name = _strip_table_prefix(snake(column.name), snake(table))
    ctype = column.type
    if column.identity is not None:
        return GenerationRule(
            kind=RuleKind.SEQUENCE,
            source=RuleSource.DDL,
            start=column.identity.seed,
            step=column.identity.step,
            unique=True,
        )
    if column.default and re.search(r"nextval\b", column.default, re.IGNORECASE):
        # DEFAULT seq.NEXTVAL (Snowflake) / nextval('seq') (PostgreSQL): a sequence column
        return GenerationRule(
            kind=RuleKind.SEQUENCE, source=RuleSource.DDL, start=1, step=1, unique=True
        )
    # The name as written first; then, for glued names (venuestate), split at a known word.
    rule = _by_name(name, ctype, snake(table), key, today)
    unglued = _unglue(name)
    if rule is None and unglued != name:
        rule = _by_name(unglued, ctype, snake(table), key, today)
    rule = rule or _fallback(ctype, key, today)
    if column.nullable and not key and not constrained:
        rule.null_ratio = max(rule.null_ratio, skew.null_ratio(name))
    return rule


def _unglue(name: str) -> str:
    """``venuestate`` -> ``venue_state``: the last word split off a known suffix."""
    head, _, last = name.rpartition("_")
    for suffix in vocab.GLUED_SUFFIXES:
        if last.endswith(suffix) and len(last) >= len(suffix) + 3:
            split = f"{last[: -len(suffix)]}_{suffix}"
            return f"{head}_{split}" if head else split
    return name


def _inferred(**fields) -> GenerationRule:  # type: ignore[no-untyped-def]
    return GenerationRule(source=RuleSource.INFERRED, **fields)


def _by_name(
    name: str, ctype: ColumnType, table: str, key: bool, today: date
) -> GenerationRule | None:
    """The rule the name (with the type) suggests, or None when the name says nothing."""
    kind = ctype.kind
    if kind == TypeKind.BOOLEAN:
        hit = _first(vocab.BOOLEAN_PROBABILITY, name)
        return _inferred(kind=RuleKind.BOOLEAN, probability=hit[1]) if hit else None
    if kind == TypeKind.UUID:
        return _inferred(kind=RuleKind.UUID, unique=key)
    if kind in (TypeKind.JSON, TypeKind.OBJECT, TypeKind.ARRAY):
        return _inferred(kind=RuleKind.JSON)
    if kind == TypeKind.BINARY:
        return _inferred(
            kind=RuleKind.TEXT, min_length=1, max_length=min(ctype.length or 32, 32), unique=key
        )
    if kind in TEMPORAL:
        return _temporal(name, kind, today)
    if kind == TypeKind.TIME:
        return None
    if kind in INTEGERS or (kind == TypeKind.DECIMAL and ctype.scale == 0):
        return _integer(name, ctype, key, today)
    if kind in (TypeKind.DECIMAL, TypeKind.REAL, TypeKind.DOUBLE):
        hit = _first(_FRACTION_RANGES, name)
        if hit is None:
            return None
        rule = _fraction(ctype, *hit[1])
        return skew.log_normal(rule) if skew.is_money(name, hit[0]) else rule
    return _text(name, ctype, table, key)


def _fallback(ctype: ColumnType, key: bool, today: date) -> GenerationRule:
    """What the type alone allows, for names that say nothing."""
    kind = ctype.kind
    if kind == TypeKind.BOOLEAN:
        return _inferred(kind=RuleKind.BOOLEAN, probability=0.5)
    if kind in TEMPORAL:
        return _date_range(kind, _years_ago(today, YEARS_BACK), today)
    if kind == TypeKind.TIME:
        return _inferred(kind=RuleKind.RANGE, min="00:00:00", max="23:59:59")
    if kind in INTEGERS or (kind == TypeKind.DECIMAL and ctype.scale == 0):
        # *_id / *_key columns that are not keys themselves are usually foreign keys: the
        # generator draws those from the parent's keys; the range is what is left otherwise.
        top = INTEGERS.get(kind) or 10 ** (ctype.precision or 18) - 1
        return _inferred(kind=RuleKind.RANGE, min=1, max=min(1000, top))
    if kind in (TypeKind.DECIMAL, TypeKind.REAL, TypeKind.DOUBLE):
        return _fraction(ctype, 0.0, 1000.0)
    width = ctype.length if ctype.kind != TypeKind.TEXT else None
    if key:  # a unique or primary key that names nothing more specific
        return _code(width, key)
    if width is not None and width <= 10:
        return _inferred(kind=RuleKind.PATTERN, pattern="?" * width)
    top = min(width or 40, 40)
    return _inferred(kind=RuleKind.TEXT, min_length=min(5, top), max_length=top)


def _years_ago(today: date, years: int) -> date:
    return today.replace(year=today.year - years, day=min(today.day, 28))


def _date_range(kind: TypeKind, low: date, high: date) -> GenerationRule:
    if kind == TypeKind.DATE:
        return _inferred(kind=RuleKind.RANGE, min=low.isoformat(), max=high.isoformat())
    return _inferred(
        kind=RuleKind.RANGE, min=f"{low.isoformat()}T00:00:00", max=f"{high.isoformat()}T23:59:59"
    )


def _temporal(name: str, kind: TypeKind, today: date) -> GenerationRule | None:
    if re.search(r"birth|(^|_)dob$", name):
        return _date_range(kind, date(1940, 1, 1), _years_ago(today, 18))
    if re.search(r"expir|valid_?(to|until|thru)|due|deadline|(^|_)end", name):
        return _date_range(kind, today, _years_ago(today, -2))
    return None


def _integer(name: str, ctype: ColumnType, key: bool, today: date) -> GenerationRule | None:
    if key:
        return _inferred(kind=RuleKind.SEQUENCE, start=1, step=1, unique=True)
    top = INTEGERS.get(ctype.kind) or 10 ** (ctype.precision or 18) - 1
    if re.search(r"^(is|has|can|should|was)_|_flag$", name):
        hit = _first(vocab.BOOLEAN_PROBABILITY, name)
        p = hit[1] if hit else 0.5
        return _inferred(kind=RuleKind.CATEGORICAL, values=[0, 1], weights=[1 - p, p])
    hit = None
    if re.search(r"year", name):
        low, high = (1940, today.year - 18) if "birth" in name else (today.year - 10, today.year)
    else:
        hit = _first(_INT_RANGES, name)
        if hit is None:
            return None
        low, high = hit[1]
    rule = _inferred(kind=RuleKind.RANGE, min=min(low, top), max=min(high, top))
    return skew.log_normal(rule) if hit and skew.is_money(name, hit[0]) else rule


def _fraction(ctype: ColumnType, low: float, high: float) -> GenerationRule:
    if ctype.kind == TypeKind.DECIMAL and ctype.precision is not None:
        scale = ctype.scale or 0
        top = float(Decimal(10) ** (ctype.precision - scale) - Decimal(10) ** -scale)
        high, low = min(high, top), max(min(low, top), -top)
    return _inferred(kind=RuleKind.RANGE, min=low, max=high)


def _fits(values: list[str], width: int | None) -> bool:
    return width is None or all(len(v) <= width for v in values)


def _categorical(
    values: list[str], weights: list[float] | None, width: int | None
) -> GenerationRule:
    """Values too wide for the column become 3-letter abbreviations, or merged initials."""
    if not _fits(values, width) and width is not None:
        short = [v[: min(3, width)] for v in values]
        if len(set(short)) == len(short) and width >= 3:
            values = short
        else:
            merged: dict[str, float] = {}
            for value, weight in zip(values, weights or [1.0] * len(values), strict=True):
                merged[value[0].upper()] = merged.get(value[0].upper(), 0.0) + weight
            values = list(merged)
            weights = [round(w, 4) for w in merged.values()] if weights else None
    return _inferred(kind=RuleKind.CATEGORICAL, values=values, weights=weights)


def _text(name: str, ctype: ColumnType, table: str, key: bool) -> GenerationRule | None:
    width = ctype.length if ctype.kind != TypeKind.TEXT else None
    if re.search(r"(^|_)(uuid|guid)$", name) and (width is None or width >= 36):
        return _inferred(kind=RuleKind.UUID, unique=key)
    code_like = re.search(r"(^|_)(id|key|code|sku|number|no|num|ref|reference)$", name)
    if code_like and not re.search(r"zip|post|phone|country|state|currency|iso", name):
        return _code(width, key)
    hit = _first(vocab.TEXT_PROVIDERS, name)
    if hit:
        _, providers, null_ratio = hit
        if not providers:  # a bare "name": what the table (or the name's prefix) holds decides
            by_table = _first(vocab.NAME_BY_TABLE, f"{name} {table}")
            providers = [by_table[1:] if by_table else ("word", 9), ("first_name", 11)]
        for provider, longest in providers:
            if width is not None and longest > width:
                continue
            if "#" in provider:  # a pattern for columns too narrow for the Faker value
                return _inferred(kind=RuleKind.PATTERN, pattern=provider, unique=key)
            return _inferred(
                kind=RuleKind.FAKER, provider=provider, null_ratio=null_ratio, unique=key
            )
    if key:  # unique values: categories and free text would repeat
        return None
    category = _first(vocab.CATEGORIES, name)
    if category:
        return _categorical(category[1], category[2] or skew.weights(name, category[1]), width)
    if re.search(vocab.FREE_TEXT, name) and (width is None or width >= 10):
        top = min(width or 200, 200)
        return _inferred(kind=RuleKind.TEXT, min_length=min(10, top), max_length=top)
    if re.search(_DATE_NAMES, name) and (width is None or width >= 10):
        return _inferred(kind=RuleKind.FAKER, provider="date")
    return None


def _code(width: int | None, key: bool) -> GenerationRule:
    """Identifier-like text (``sku``, ``order_code``, string keys): letters then digits."""
    width = min(width or 12, 12)
    prefix = "?" * min(2, max(width - 4, 0))
    digits = "#" * (width - len(prefix) - (1 if prefix else 0))
    pattern = f"{prefix}-{digits}" if prefix else digits or "?"
    return _inferred(kind=RuleKind.PATTERN, pattern=pattern, unique=key)
