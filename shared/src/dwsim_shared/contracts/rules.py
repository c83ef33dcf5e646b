"""Generation rules: how each column's values are made. One flat model, easy to override."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, model_validator

from dwsim_shared.contracts.enums import (
    AggregateFunction,
    Distribution,
    GeoField,
    PersonField,
    RuleKind,
    RuleSource,
)


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
    Derived from other columns (checked by ``derived.py``; ``via`` names the foreign key's
    columns when two tables are linked by more than one):
    - lookup: ``ref`` = ``parent_table.column`` (the row the foreign key points to), optional
      ``noise`` (numbers times 1 +- noise)
    - aggregate: ``function`` over the child rows of ``ref`` = ``child_table`` (count) or
      ``child_table.column``, or of ``expression`` over the child's columns
    - expression: ``expression`` over the row's columns (``quantity * unit_price``,
      ``first_name || ' ' || last_name``, ``email(first_name, last_name)``)
    - after: at or after ``ref`` (``column`` of the row or ``parent_table.column``), by an
      offset in days drawn from ``distribution`` + ``params`` (none: uniform up to ``max``),
      never after ``max`` (ISO; default: the inference anchor date)
    Correlated within a row (the columns of a table with the same ``group``, default none,
    share one hidden draw per row, so they agree):
    - geo: ``field`` (city, state, state_code, postcode, country, country_code, country_code3,
      phone, currency, currency_name, currency_symbol) of one real place, weighted by
      population; ``locale`` limits the countries (``US``, ``US,CA,GB`` or a Faker locale such
      as ``en_GB``). A group with a unique column lists entries instead, each once in order:
      countries (ISO 3166-1), regions or currencies (ISO 4217), by its finest field. ``ref``
      (``parent_table.column``, or the parent table when it has one geo group; ``via`` picks
      the foreign key) takes the parent row's place, but for ``params.independent`` (a share,
      default 0) of rows drawing their own. On a foreign key column, a geo rule makes its
      parent the lookup row listing the place's country (region, currency)
    - person: ``field`` (gender, title, first_name) of one person; gender's ``values`` label
      female, male and optionally other, with ``weights``; ``locale``: the Faker locale of
      names and titles
    Shaped by statistics (what ``dwsim profile`` writes from PostgreSQL's ``pg_stats``):
    - histogram: ``values`` with ``weights``, their shares of the non-NULL rows (at most 1
      together: the most common values); the rest spread over ``bounds``: for numbers, dates,
      timestamps and times the ascending edges of buckets that each hold an equal share,
      values uniform within a bucket; for text, sample values of the rest. ``distinct``: how
      many distinct values the rest takes (numbers: points spread over the buckets' quantiles;
      text: the samples, then values in their shape, a letter for a letter and a digit for a
      digit). ``params.correlation`` (-1..1, numbers and times): the share of rows whose rest
      value follows the row order (descending when negative), as PostgreSQL's correlation
      between physical and value order. Without ``bounds`` the weights are relative.
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
    ref: str | None = None
    via: list[str] | None = None
    function: AggregateFunction | None = None
    expression: str | None = None
    noise: float | None = Field(default=None, ge=0, lt=1)
    field: str | None = None
    group: str | None = None
    bounds: list[Any] | None = None
    distinct: int | None = Field(default=None, ge=1)

    @model_validator(mode="after")
    def _check_shape(self) -> "GenerationRule":
        need = {
            RuleKind.FAKER: ("provider",),
            RuleKind.DISTRIBUTION: ("distribution",),
            RuleKind.CATEGORICAL: ("values",),
            RuleKind.PATTERN: ("pattern",),
            RuleKind.LOOKUP: ("ref",),
            RuleKind.AGGREGATE: ("function", "ref"),
            RuleKind.EXPRESSION: ("expression",),
            RuleKind.AFTER: ("ref",),
            RuleKind.GEO: ("field",),
            RuleKind.PERSON: ("field",),
        }.get(self.kind, ())
        for field in need:
            if getattr(self, field) is None:
                raise ValueError(f"a {self.kind.value} rule needs '{field}'")
        self._check_bounds()
        fields = {RuleKind.GEO: GeoField, RuleKind.PERSON: PersonField}.get(self.kind)
        if fields is not None and self.field not in {f.value for f in fields}:
            names = ", ".join(f.value for f in fields)
            raise ValueError(f"a {self.kind.value} rule's 'field' is one of {names}")
        if self.weights is not None:
            if self.values is None or len(self.weights) != len(self.values):
                raise ValueError("'weights' must have one entry per value in 'values'")
            if any(w < 0 for w in self.weights) or (sum(self.weights) <= 0 and not self.bounds):
                raise ValueError("'weights' must be non-negative and not all zero")
        if self.kind == RuleKind.HISTOGRAM:
            self._check_histogram()
        independent = self.params.get("independent")
        if self.kind == RuleKind.GEO and independent is not None:
            if self.ref is None:
                raise ValueError("'params.independent' is the share of rows not taking the "
                                 "parent's place: it needs a 'ref'")  # fmt: skip
            if not 0 <= independent <= 1:
                raise ValueError(f"'params.independent' is {independent}; it lies in [0, 1]")
        return self

    def _check_bounds(self) -> None:
        """``min`` <= ``max`` (when both are numbers), ``min_length`` <= ``max_length``."""
        low, high = self.min, self.max
        numbers = isinstance(low, int | float) and isinstance(high, int | float)
        if numbers and low > high:  # type: ignore[operator]
            raise ValueError(
                f"a {self.kind.value} rule's 'min' ({low}) is above its 'max' ({high})"
            )
        if (self.min_length or 0) > (self.max_length if self.max_length is not None else 1e18):
            raise ValueError(
                f"a {self.kind.value} rule's 'min_length' ({self.min_length}) is above its "
                f"'max_length' ({self.max_length})"
            )

    def _check_histogram(self) -> None:
        if not self.values and not self.bounds:
            raise ValueError("a histogram rule needs 'values' (with 'weights') or 'bounds'")
        if self.values and self.bounds:
            if self.weights is None:
                raise ValueError("a histogram rule with 'values' and 'bounds' needs 'weights'")
            if sum(self.weights) > 1 + 1e-6:
                raise ValueError(
                    f"a histogram rule's 'weights' are shares of the rows: they sum to "
                    f"{sum(self.weights):.4f}, above 1"
                )
        correlation = self.params.get("correlation", 0.0)
        if not -1 <= correlation <= 1:
            raise ValueError(f"'params.correlation' is {correlation}; it lies in [-1, 1]")
