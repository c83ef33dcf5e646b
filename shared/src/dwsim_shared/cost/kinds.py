"""What a column costs the engine: its cost kind, the unit the cost model is measured in.

A column's kind follows how the engine makes it: key columns by the key they belong to
(whatever their rule), the others by their rule and type. ``bench/bench_cost_model.py``
measures each kind's rows/s per core and staged bytes per value; ``predict.py`` sums them.
"""

from enum import StrEnum

from dwsim_shared.contracts.enums import RuleKind, TypeKind
from dwsim_shared.contracts.schema import Column, Table

TEXT_MIN_LENGTH = 3  # the engine's text defaults: lengths uniform in [3, 40]
TEXT_MAX_LENGTH = 40
TEMPORAL = {TypeKind.TIME, TypeKind.TIMESTAMP, TypeKind.TIMESTAMPTZ}


class CostKind(StrEnum):
    SEQUENCE_KEY = "sequence_key"  # a one-column primary key: the table's base cost per row
    FOREIGN_KEY = "foreign_key"  # a foreign key laid out parent by parent, or uniform
    SKEWED_FOREIGN_KEY = "skewed_foreign_key"  # parents drawn by a skewed fan-out (per log2 of
    # the parent's rows: each draw is a binary search)
    COMPOSITE_KEY = "composite_key"  # a line number in a key, a grid of two parents
    COMPOSITE_FOREIGN_KEY = "composite_foreign_key"  # a foreign key of several columns: a
    # parent row drawn and its key computed, per column
    NUMBER = "number"  # integers and floats: range, distribution, sequence
    DECIMAL = "decimal"
    DATE = "date"
    TIMESTAMP = "timestamp"
    AFTER = "after"  # a date/timestamp at or after another
    BOOLEAN = "boolean"
    CONSTANT = "constant"
    CATEGORICAL = "categorical"  # and histogram
    PATTERN = "pattern"
    POOL_STRING = "pool_string"  # Faker values drawn from a pool (and person fields)
    UNIQUE_STRING = "unique_string"  # a unique Faker or pattern string
    EMAIL = "email"
    TEXT = "text"  # lorem; per value of the reference length: a fixed part and a part per
    # character, scaled by the column's mean length
    UUID = "uuid"
    JSON = "json"
    GEO = "geo"
    LOOKUP = "lookup"
    AGGREGATE = "aggregate"
    EXPRESSION = "expression"


def column_kind(table: Table, column: Column) -> CostKind:
    """The cost kind of ``column`` of ``table``."""
    name = column.name.lower()
    key = _key_kind(table, name, column)
    if key is not None:
        return key
    rule, kind = column.rule, column.type.kind
    if rule is None or rule.kind in (RuleKind.RANGE, RuleKind.DISTRIBUTION, RuleKind.SEQUENCE):
        return _by_type(kind)
    if rule.kind == RuleKind.FAKER:
        if rule.provider and "email" in rule.provider:
            return CostKind.EMAIL
        return CostKind.UNIQUE_STRING if rule.unique else CostKind.POOL_STRING
    if rule.kind == RuleKind.PATTERN:
        return CostKind.UNIQUE_STRING if rule.unique else CostKind.PATTERN
    if rule.kind == RuleKind.EXPRESSION:
        email = "email(" in (rule.expression or "").replace(" ", "").lower()
        return CostKind.EMAIL if email else CostKind.EXPRESSION
    if rule.kind == RuleKind.TEXT and kind == TypeKind.JSON:
        return CostKind.JSON
    return _BY_RULE.get(rule.kind, CostKind.NUMBER)


_BY_RULE = {
    RuleKind.CATEGORICAL: CostKind.CATEGORICAL,
    RuleKind.HISTOGRAM: CostKind.CATEGORICAL,
    RuleKind.BOOLEAN: CostKind.BOOLEAN,
    RuleKind.UUID: CostKind.UUID,
    RuleKind.JSON: CostKind.JSON,
    RuleKind.TEXT: CostKind.TEXT,
    RuleKind.CONSTANT: CostKind.CONSTANT,
    RuleKind.LOOKUP: CostKind.LOOKUP,
    RuleKind.AGGREGATE: CostKind.AGGREGATE,
    RuleKind.AFTER: CostKind.AFTER,
    RuleKind.GEO: CostKind.GEO,
    RuleKind.PERSON: CostKind.POOL_STRING,
}


def _key_kind(table: Table, name: str, column: Column) -> CostKind | None:
    foreign = foreign_key_kinds(table)
    if name in foreign:
        return foreign[name]
    primary = [c.lower() for c in table.primary_key]
    if name not in primary:
        return None
    if len(primary) > 1:
        return CostKind.COMPOSITE_KEY
    rule = column.rule
    if rule is None or rule.kind in (RuleKind.SEQUENCE, RuleKind.RANGE):
        return CostKind.SEQUENCE_KEY
    return None  # a key drawn by its rule (a UUID, a code) costs what its rule does


def foreign_key_kinds(table: Table) -> dict[str, CostKind]:
    """Kind of each foreign-key column (lower-cased), as the engine lays the keys out: a key
    of two foreign keys is a grid, the first one-column key with a fan-out (or numbered
    lines) is laid out parent by parent, later ones with a fan-out draw their parents."""
    primary = {c.lower() for c in table.primary_key}
    singles = {c.lower() for fk in table.foreign_keys if len(fk.columns) == 1 for c in fk.columns}
    grid = len(primary) == 2 and primary <= singles
    out: dict[str, CostKind] = {}
    laid_out = False
    for fk in table.foreign_keys:
        columns = [c.lower() for c in fk.columns]
        numbered = len(primary) == len(columns) + 1 and set(columns) < primary
        if len(columns) > 1 and not set(columns) <= primary:
            kind = CostKind.COMPOSITE_FOREIGN_KEY
        elif len(columns) > 1 or (grid and set(columns) <= primary):
            kind = CostKind.COMPOSITE_KEY
        elif (fk.fanout is not None or numbered) and not laid_out:
            kind, laid_out = CostKind.FOREIGN_KEY, True
        elif fk.fanout is not None:
            kind = CostKind.SKEWED_FOREIGN_KEY
        else:
            kind = CostKind.FOREIGN_KEY
        for c in columns:
            out.setdefault(c, kind)
    return out


def _by_type(kind: TypeKind) -> CostKind:
    if kind == TypeKind.DECIMAL:
        return CostKind.DECIMAL
    if kind == TypeKind.DATE:
        return CostKind.DATE
    if kind in TEMPORAL:
        return CostKind.TIMESTAMP
    if kind == TypeKind.BOOLEAN:
        return CostKind.BOOLEAN
    if kind == TypeKind.UUID:
        return CostKind.UUID
    if kind in (TypeKind.JSON, TypeKind.OBJECT, TypeKind.ARRAY):
        return CostKind.JSON
    return CostKind.NUMBER


def text_length(column: Column) -> float:
    """Mean length of a lorem text column's values, as the engine bounds them."""
    rule = column.rule
    top = rule.max_length if rule and rule.max_length is not None else TEXT_MAX_LENGTH
    if column.type.length is not None:
        top = min(top, column.type.length)
    low = rule.min_length if rule and rule.min_length is not None else TEXT_MIN_LENGTH
    return (min(low, top) + top) / 2
