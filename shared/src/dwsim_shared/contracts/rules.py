"""Generation rules: how each column's values are made. One flat model, easy to override."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from dwsim_shared.contracts.enums import Distribution, RuleKind, RuleSource


class GenerationRule(BaseModel):
    """A column's generation rule. Only the fields its ``kind`` uses are set.

    - faker: ``provider`` (any Faker provider method, e.g. ``email``), ``locale``
    - sequence: ``start``, ``step``
    - range: ``min``/``max`` (numbers, or ISO dates/timestamps for temporal columns)
    - distribution: ``distribution`` + ``params`` (mean, std, sigma, lam, a, b, s...), clipped
      to ``min``/``max`` when given
    - categorical: ``values`` with optional ``weights``
    - pattern: ``pattern`` where ``#`` is a digit, ``?`` a letter (``AB-####-??``)
    - boolean: ``probability`` of true
    - constant: ``value``
    - uuid, json, text: no parameters (text uses ``min_length``/``max_length``)
    Every rule may set ``null_ratio`` (nullable columns only) and ``unique``.
    """

    model_config = ConfigDict(extra="forbid")

    kind: RuleKind
    source: RuleSource = RuleSource.USER
    provider: str | None = None
    locale: str | None = None
    min: int | float | str | None = None
    max: int | float | str | None = None
    distribution: Distribution | None = None
    params: dict[str, float] = Field(default_factory=dict)
    values: list[Any] | None = None
    weights: list[float] | None = None
    pattern: str | None = None
    start: int | None = None
    step: int | None = None
    probability: float | None = Field(default=None, ge=0, le=1)
    value: Any = None
    min_length: int | None = Field(default=None, ge=0)
    max_length: int | None = Field(default=None, ge=0)
    null_ratio: float = Field(default=0.0, ge=0, le=1)
    unique: bool = False

    @model_validator(mode="after")
    def _check_shape(self) -> "GenerationRule":
        need = {
            RuleKind.FAKER: ("provider",),
            RuleKind.DISTRIBUTION: ("distribution",),
            RuleKind.CATEGORICAL: ("values",),
            RuleKind.PATTERN: ("pattern",),
        }.get(self.kind, ())
        for field in need:
            if getattr(self, field) is None:
                raise ValueError(f"a {self.kind.value} rule needs '{field}'")
        if self.weights is not None:
            if self.values is None or len(self.weights) != len(self.values):
                raise ValueError("'weights' must have one entry per value in 'values'")
            if any(w < 0 for w in self.weights) or sum(self.weights) <= 0:
                raise ValueError("'weights' must be non-negative and not all zero")
        return self
