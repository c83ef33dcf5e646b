"""Person columns: gender, title and first name of one person per row, consistent together.

The columns of a table's person group share a hidden draw per row of the person's sex
(female, male or other, weighted as the group's gender column says), a pure function of
(seed, table, group, row); the title and the first name are then drawn from Faker's
frequency-weighted lists for that sex and locale. Like geo columns they are made by row index.
"""

from functools import cache
from importlib import import_module

import numpy as np
import pyarrow as pa

from dwsim_generator.engine import cache as disk
from dwsim_generator.engine.columns.base import UNBOUNDED, ColumnContext, Maker
from dwsim_generator.engine.columns.convert import to_arrow
from dwsim_generator.engine.geo.places import AliasTable, row_draw
from dwsim_generator.engine.pools import faker_version
from dwsim_generator.engine.streams import mix64, name_key
from dwsim_shared.contracts.enums import PersonField, RuleKind

DEFAULT_LOCALE = "en_US"
GENDERS = ["female", "male", "non-binary"]
GENDER_WEIGHTS = [0.49, 0.49, 0.02]
_MASK64 = (1 << 64) - 1
# Faker person-provider attributes per sex (female, male, other), most specific first.
_NAMES = (("first_names_female",), ("first_names_male",), ("first_names_nonbinary", "first_names"))
_TITLES = (("prefixes_female",), ("prefixes_male",), ("prefixes_nonbinary", "prefixes"))
# English titles as customers hold them (Faker gives "Dr." a third of all people).
_ENGLISH_TITLES = [
    (["Ms.", "Mrs.", "Miss", "Dr."], [0.45, 0.35, 0.15, 0.05]),
    (["Mr.", "Dr."], [0.95, 0.05]),
    (["Mx.", "Dr."], [0.9, 0.1]),
]


@cache
def person_lists(locale: str) -> dict[str, list[tuple[list[str], list[float]]]]:
    """{"first_name": [(names, weights) per sex], "title": [...]} from Faker's data for the
    locale (its person provider's lists; equal weights where Faker gives none)."""
    key = ("person", locale, faker_version(), disk.source_hash(__file__))
    stored = disk.load("person", key)
    if isinstance(stored, dict):
        return stored
    try:
        provider = import_module(f"faker.providers.person.{locale}").Provider
    except ModuleNotFoundError:
        raise ValueError(f"Faker has no person data for locale {locale!r}") from None
    out = {
        "first_name": [_weighted(provider, names) for names in _NAMES],
        "title": [_weighted(provider, names) for names in _TITLES],
    }
    if locale.startswith("en"):
        out["title"] = _ENGLISH_TITLES
    disk.store("person", key, out)
    return out


def _weighted(provider: type, names: tuple[str, ...]) -> tuple[list[str], list[float]]:
    generic = "prefixes" if names[0].startswith("prefixes") else "first_names"
    for name in (*names, generic):
        values = getattr(provider, name, None)
        if values:
            if isinstance(values, dict):
                return [str(v) for v in values], [float(w) for w in values.values()]
            return [str(v) for v in values], [1.0] * len(values)
    return [""], [1.0]


def _gender_rule(ctx: ColumnContext):  # type: ignore[no-untyped-def]
    for column in ctx.table.columns:
        rule = column.rule
        if (
            rule is not None
            and rule.kind == RuleKind.PERSON
            and rule.field == PersonField.GENDER
            and rule.group == ctx.rule.group
        ):
            return rule
    return None


class PersonValues(Maker):
    """One field of the row's person; see the module docstring."""

    sequential = True  # a function of the row index: made by index, readable at any row

    def __init__(self, ctx: ColumnContext):
        self.ctx, rule = ctx, ctx.rule
        self.field = PersonField(rule.field)
        self.arrow_type = ctx.arrow_type
        gender = _gender_rule(ctx)
        labels = list(gender.values) if gender is not None and gender.values else GENDERS
        if not 2 <= len(labels) <= 3:
            raise ctx.error(
                f"a person gender rule's values label female, male and optionally other "
                f"(2 or 3 values), not {len(labels)}"
            )
        weights = gender.weights if gender is not None and gender.weights else None
        weights = list(weights or GENDER_WEIGHTS[: len(labels)])
        salt = name_key(ctx.seed, ctx.table.name, "person", rule.group or "") & _MASK64
        self.sex = row_draw(("sex", tuple(weights)), None, AliasTable(np.array(weights)),
                            np.uint64(salt))  # fmt: skip
        self.salt = ctx.stream("person-pick").salt
        if self.field == PersonField.GENDER:
            self.dictionary = to_arrow(labels, ctx, "gender")
            return
        try:
            lists = person_lists(rule.locale or DEFAULT_LOCALE)[self.field.value]
        except ValueError as exc:
            raise ctx.error(str(exc)) from None
        seen: dict[str, int] = {}
        self.tables = []
        for names, name_weights in lists:
            codes = np.array([seen.setdefault(ctx.fit(n), len(seen)) for n in names])
            self.tables.append((codes, AliasTable(np.array(name_weights))))
        self.dictionary = to_arrow(list(seen), ctx, self.field.value)

    def capacity(self) -> int:
        return 0 if self.ctx.unique else UNBOUNDED  # values repeat: never a key

    def sample(self, rng: np.random.Generator, n: int) -> pa.Array:
        return self.from_index(rng.integers(0, 2**62, size=n, dtype=np.int64))

    def from_index(self, index: np.ndarray) -> pa.Array:
        rows = index.astype(np.int64)
        sex = self.sex(rows)
        if self.field == PersonField.GENDER:
            codes = sex.astype(np.int32)
        else:
            bits = mix64(rows, self.salt)
            codes = np.zeros(len(rows), dtype=np.int32)
            for kind, (names, table) in enumerate(self.tables):
                mask = sex == kind
                if mask.any():
                    codes[mask] = names[table.draw(bits[mask])]
        return pa.DictionaryArray.from_arrays(pa.array(codes), self.dictionary)
