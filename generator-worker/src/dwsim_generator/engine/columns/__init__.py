"""Column families by rule kind, checked against the column's type before any work."""

from dwsim_generator.engine.arrow_types import (
    JSON_KINDS,
    NUMERIC_KINDS,
    STRING_KINDS,
    TEMPORAL_KINDS,
)
from dwsim_generator.engine.columns.base import UNBOUNDED, ColumnContext, Maker
from dwsim_generator.engine.columns.faker_values import FakerValues
from dwsim_generator.engine.columns.geo import GeoValues
from dwsim_generator.engine.columns.histogram import NumericHistogram
from dwsim_generator.engine.columns.misc import Binary, Boolean, Categorical, Constant, Json, Uuid
from dwsim_generator.engine.columns.numeric import DistributionMaker, Sequence, numeric_range
from dwsim_generator.engine.columns.person import PersonValues
from dwsim_generator.engine.columns.shaped import TextHistogram
from dwsim_generator.engine.columns.temporal import TemporalRange
from dwsim_generator.engine.columns.text import Pattern, Text
from dwsim_shared.contracts.enums import RuleKind, TypeKind
from dwsim_shared.contracts.rules import GenerationRule

__all__ = ["UNBOUNDED", "ColumnContext", "Maker", "build_maker", "default_rule"]


def default_rule(kind: TypeKind) -> GenerationRule:
    """The rule of a column that has none: a sensible value for its type."""
    if kind in NUMERIC_KINDS or kind in TEMPORAL_KINDS:
        return GenerationRule(kind=RuleKind.RANGE)
    if kind == TypeKind.BOOLEAN:
        return GenerationRule(kind=RuleKind.BOOLEAN, probability=0.5)
    if kind == TypeKind.UUID:
        return GenerationRule(kind=RuleKind.UUID)
    if kind in JSON_KINDS:
        return GenerationRule(kind=RuleKind.JSON)
    return GenerationRule(kind=RuleKind.TEXT)


def build_maker(ctx: ColumnContext) -> Maker:
    kind, rule = ctx.kind, ctx.rule.kind
    if kind == TypeKind.UUID and ctx.unique and rule != RuleKind.CATEGORICAL:
        return Uuid(ctx)
    match rule:
        case RuleKind.FAKER:
            return FakerValues(ctx)
        case RuleKind.GEO:
            return GeoValues(ctx)
        case RuleKind.PERSON:
            return PersonValues(ctx)
        case RuleKind.CATEGORICAL:
            return Categorical(ctx)
        case RuleKind.CONSTANT:
            return Constant(ctx)
        case RuleKind.SEQUENCE if kind in NUMERIC_KINDS or kind in STRING_KINDS:
            return Sequence(ctx, ctx.rule.start if ctx.rule.start is not None else 1,
                            ctx.rule.step if ctx.rule.step is not None else 1)  # fmt: skip
        case RuleKind.RANGE if kind in NUMERIC_KINDS:
            return numeric_range(ctx)
        case RuleKind.RANGE if kind in TEMPORAL_KINDS:
            return TemporalRange(ctx)
        case RuleKind.DISTRIBUTION if kind in NUMERIC_KINDS:
            return DistributionMaker(ctx)
        case RuleKind.HISTOGRAM if kind in NUMERIC_KINDS or kind in TEMPORAL_KINDS:
            return NumericHistogram(ctx)
        case RuleKind.HISTOGRAM if kind in STRING_KINDS:
            return TextHistogram(ctx)
        case RuleKind.BOOLEAN if kind == TypeKind.BOOLEAN or kind in NUMERIC_KINDS | STRING_KINDS:
            return Boolean(ctx)
        case RuleKind.PATTERN if kind in STRING_KINDS or kind == TypeKind.BINARY:
            return Pattern(ctx)
        case RuleKind.UUID if kind == TypeKind.UUID or kind in STRING_KINDS:
            return Uuid(ctx)
        case RuleKind.JSON if kind in JSON_KINDS or kind in STRING_KINDS:
            return Json(ctx)
        case RuleKind.TEXT if kind == TypeKind.BINARY:
            return Binary(ctx)
        case RuleKind.TEXT if kind in STRING_KINDS or kind == TypeKind.JSON:
            return Text(ctx)
    raise ctx.error(
        f"a {rule.value} rule cannot fill a {ctx.column.type.raw} column"
        + (" (distributions are for numeric columns)" if rule == RuleKind.DISTRIBUTION else "")
    )
