"""What a lookup or calendar table holds: each known value once (``order_statuses`` holds the
order statuses), or one row a day. Used by ``table_sizes`` when it sizes such a table."""

import re

from dwsim_shared.contracts.enums import RuleSource, TypeKind
from dwsim_shared.contracts.rules import GenerationRule
from dwsim_shared.contracts.schema import Table
from dwsim_shared.ddl import vocabulary as vocab
from dwsim_shared.ddl.inference import _categorical, _strip_table_prefix, snake

STRINGS = (TypeKind.CHAR, TypeKind.VARCHAR, TypeKind.TEXT)
LABEL = r"(name|code|label|title|description|desc|value|text|abbr|abbreviation)$"


def _free(table: Table):  # type: ignore[no-untyped-def]
    """Columns inference may still fill: not foreign keys, not ruled by the DDL or a user."""
    fk_columns = {c for fk in table.foreign_keys for c in fk.columns}
    for column in table.columns:
        source = column.rule.source if column.rule is not None else RuleSource.INFERRED
        if column.name not in fk_columns and source == RuleSource.INFERRED:
            yield column


def label_rule(table: Table, name: str) -> tuple[str, GenerationRule] | None:
    """(column, rule) making a lookup's label column each of the values its name suggests,
    once: ``order_statuses.name`` -> pending, processing, shipped, delivered..."""
    hit = next((entry for entry in vocab.CATEGORIES if re.search(entry[0], name)), None)
    if hit is None:
        return None
    last = name.rpartition("_")[2]
    for column in _free(table):
        if column.type.kind not in STRINGS:
            continue
        col = _strip_table_prefix(snake(column.name), snake(table.name))
        if re.search(LABEL, col) or col in (name, last) or col.endswith(last):
            width = column.type.length if column.type.kind != TypeKind.TEXT else None
            rule = _categorical(hit[1], None, width)
            return column.name, rule.model_copy(update={"unique": True})
    return None


def calendar_rule(table: Table) -> tuple[str, GenerationRule] | None:
    """(column, rule) making a calendar's first date column distinct: one row a day."""
    for column in _free(table):
        if column.type.kind == TypeKind.DATE and column.rule is not None:
            return column.name, column.rule.model_copy(update={"unique": True, "null_ratio": 0.0})
    return None
