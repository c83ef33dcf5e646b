"""Columns of one table that describe one thing: an address (city, state, postcode, country,
with the phone and currency that go with it) or a person (gender, title, first name).

Run after each column got its own inferred rule: where a table has such a group, its
columns' rules become ``geo`` / ``person`` rules sharing one hidden draw per row, so a row's
city lies in its state and country, and a Mrs is a woman with a woman's first name. Only
inferred rules change (never the DDL's or a user's, nor keys or foreign keys); null ratios
are kept. Prefixes make separate groups (``ship_city`` + ``ship_zip``, ``bill_city`` ...).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from dwsim_shared.contracts.enums import GeoField, PersonField, RuleKind, RuleSource, TypeKind
from dwsim_shared.contracts.rules import GenerationRule
from dwsim_shared.contracts.schema import Column, Table
from dwsim_shared.ddl.inference import _strip_table_prefix, _unglue, snake

# The geo word at the end of a column name; what comes before it names the group.
_GEO_WORD = re.compile(
    r"(city|town|state(_?(code|abbr|name))?|province|region|zip(_?code)?|postal(_?code)?"
    r"|post_?code|country(_?(code|iso|name))?|iso_?country(_?code)?|nation(ality)?"
    r"|(phone|mobile|cell|tel|telephone|fax)(_?(number|no|num))?|currency(_?code)?)$"
)
_PHONE = re.compile(r"phone|mobile|cell|(^|_)tel|fax")
# A foreign key into a list of countries, regions or currencies: what precedes this names its
# group (``ship_country_id`` joins the ship address).
FK_WORD = re.compile(
    r"(country|nation(ality)?|currency|state|province)"
    r"(_?(id|key|code|iso[23]?|alpha_?[23]|no|num|ref|name))?$"
)
_PLACE = {
    GeoField.CITY, GeoField.STATE, GeoField.STATE_CODE, GeoField.POSTCODE,
    GeoField.COUNTRY, GeoField.COUNTRY_CODE, GeoField.COUNTRY_CODE3,
}  # fmt: skip
_COUNTRY = {GeoField.COUNTRY, GeoField.COUNTRY_CODE, GeoField.COUNTRY_CODE3}
_BY_PROVIDER = {
    "city": GeoField.CITY, "state": GeoField.STATE, "state_abbr": GeoField.STATE_CODE,
    "postcode": GeoField.POSTCODE, "country": GeoField.COUNTRY,
    "country_code": GeoField.COUNTRY_CODE, "phone_number": GeoField.PHONE,
    "currency_code": GeoField.CURRENCY,
}  # fmt: skip
PHONE_WIDTH = 14  # "(201) 555-0123": narrower phone columns keep their digit pattern
TITLE = re.compile(r"(^|_)(title|salutation|honorific|name_?prefix)$")
FIRST_NAME = re.compile(r"first_?name|given_?name|(^|_)fname$|forename")
GENDER = re.compile(r"gender|(^|_)sex$")


def _name(column: Column, table: Table) -> str:
    name = _strip_table_prefix(snake(column.name), snake(table.name))
    return name if _GEO_WORD.search(name) else _unglue(name)


def _width(column: Column) -> int | None:
    return column.type.length if column.type.kind in (TypeKind.CHAR, TypeKind.VARCHAR) else None


def _free(table: Table) -> list[Column]:
    """Columns whose rule inference guessed: not keys, foreign keys, the DDL's or a user's."""
    fk_columns = {c.lower() for fk in table.foreign_keys for c in fk.columns}
    keys = {c.lower() for c in table.primary_key}
    keys |= {c.lower() for u in table.unique for c in u.columns}
    return [
        c
        for c in table.columns
        if c.rule is not None
        and c.rule.source == RuleSource.INFERRED
        and not c.rule.unique
        and c.name.lower() not in fk_columns | keys
    ]


def _geo_field(column: Column, name: str) -> GeoField | None:
    rule = column.rule
    assert rule is not None
    width = _width(column)
    if rule.kind == RuleKind.FAKER and rule.provider in _BY_PROVIDER:
        field = _BY_PROVIDER[rule.provider]
        if field == GeoField.COUNTRY_CODE and width == 3:
            return GeoField.COUNTRY_CODE3
        if field == GeoField.PHONE and width is not None and width < PHONE_WIDTH:
            return None
        return field
    if rule.kind == RuleKind.PATTERN and _PHONE.search(name):
        return GeoField.PHONE if width is None or width >= PHONE_WIDTH else None
    if rule.kind == RuleKind.CATEGORICAL and re.search(r"(^|_)region$", name):
        return GeoField.STATE if width is None or width >= 10 else None
    if rule.kind == RuleKind.RANGE and column.type.kind in (TypeKind.INTEGER, TypeKind.BIGINT):
        return GeoField.POSTCODE if re.search(r"zip|postal|post_?code", name) else None
    return None


Links = dict[str, GeoField]  # foreign-key columns into a list (countries...): the field


def _geo_groups(table: Table, links: Links) -> tuple[dict, dict]:
    """({group prefix: {column: field}} for every group with a place and one more field, or
    with a foreign key into a list; {column: (prefix, field)} of phones and currencies left
    out of every group)."""
    groups: dict[str, dict[str, GeoField]] = {}
    loose: dict[str, tuple[str, GeoField]] = {}  # phones and currencies: joined afterwards
    for name, field in links.items():
        key = _strip_table_prefix(snake(name), snake(table.name))
        match = FK_WORD.search(key)
        prefix = key[: match.start()].rstrip("_") if match else ""
        if field in _PLACE:
            groups.setdefault(prefix, {})[name] = field
        else:
            loose[name] = (prefix, field)
    for column in _free(table):
        name = _name(column, table)
        field = _geo_field(column, name)
        match = _GEO_WORD.search(name)
        if field is None or match is None:
            continue
        prefix = name[: match.start()].rstrip("_")
        if field in _PLACE:
            groups.setdefault(prefix, {})[column.name] = field
        else:
            loose[column.name] = (prefix, field)
    left = {}
    for column, (prefix, field) in loose.items():
        home = prefix if prefix in groups else "" if "" in groups else None
        if home is None and len(groups) == 1:
            home = next(iter(groups))
        if home is not None:
            groups[home][column] = field
        else:
            left[column] = (prefix, field)
    kept = {p: m for p, m in groups.items() if len(m) >= 2 or set(m) & set(links)}
    return kept, left


def _countries(table: Table, members: dict[str, GeoField], inherits: bool = False) -> str | None:
    """Which countries a group draws from: US for a US-shaped address (no country column, a
    2-letter state, a 5-digit or integer ZIP), else the whole world (None). A group taking its
    parent row's place is in the US only for a 2-letter state or a ZIP."""
    fields = set(members.values())
    if GeoField.STATE_CODE in fields or (not fields & _COUNTRY and not inherits):
        return "US"
    for name, field in members.items():
        column = table.column(name)
        width = _width(column)
        if field == GeoField.POSTCODE and (column.type.kind not in _TEXT or (width or 99) <= 6):
            return "US"
    return None


_TEXT = (TypeKind.CHAR, TypeKind.VARCHAR, TypeKind.TEXT)


def _person_group(table: Table) -> dict[str, PersonField]:
    members: dict[str, PersonField] = {}
    first_names = []
    for column in _free(table):
        name = _name(column, table)
        rule = column.rule
        assert rule is not None
        width = _width(column)
        if (
            rule.kind == RuleKind.FAKER
            and rule.provider == "first_name"
            and FIRST_NAME.search(name)
        ):
            first_names.append(column.name)
        elif rule.kind == RuleKind.CATEGORICAL and GENDER.search(name):
            if rule.values and 2 <= len(rule.values) <= 3:
                members[column.name] = PersonField.GENDER
        elif column.type.kind in _TEXT and TITLE.search(name) and (width is None or width >= 4):
            members[column.name] = PersonField.TITLE
    if len(first_names) == 1:
        members[first_names[0]] = PersonField.FIRST_NAME
    fields = set(members.values())
    has_person = PersonField.FIRST_NAME in fields or PersonField.GENDER in fields
    return members if len(members) >= 2 and has_person else {}


@dataclass(frozen=True)
class Inherit:
    """The parent row's place a group takes: ``ref`` (parent.column), ``via`` (the foreign
    key when two link the tables) and the parent group's countries (None: all)."""

    ref: str
    via: list[str] | None
    locale: str | None


def _within(parent: str | None, child: str | None) -> bool:
    return child is None or (parent is not None and set(parent.split(",")) <= set(child.split(",")))


def correlate(
    table: Table,
    links: Links | None = None,
    inherit: Callable[[str], Inherit | None] | None = None,
) -> Table:
    """``table`` with its address and person columns' rules made one group each. ``links``:
    its foreign-key columns into lists (they join the group of their prefix); ``inherit``:
    the parent place a group of a prefix takes, if any (phones and currencies without an
    address then form a group of their own taking it)."""
    links = links or {}
    rules: dict[str, GenerationRule] = {}
    groups, loose = _geo_groups(table, links)
    if inherit is not None:  # phones and currencies no address took: a group of their own
        for column, (prefix, field) in loose.items():
            groups.setdefault(prefix, {})[column] = field
    for prefix, members in groups.items():
        parent = inherit(prefix) if inherit is not None else None
        locale = _countries(table, members, parent is not None)
        if parent is not None and not _within(parent.locale, locale):
            parent, locale = None, _countries(table, members)
        if parent is None and not set(members.values()) & _PLACE and not set(members) & set(links):
            continue  # a lone currency or phone with no place to follow
        for name, field in members.items():
            old = table.column(name).rule
            rules[name] = GenerationRule(
                kind=RuleKind.GEO, source=RuleSource.INFERRED, field=field.value,
                group=prefix or None, locale=locale, null_ratio=old.null_ratio if old else 0.0,
                ref=parent.ref if parent else None, via=parent.via if parent else None,
            )  # fmt: skip
    for name, field in _person_group(table).items():
        old = table.column(name).rule
        assert old is not None
        gender = field == PersonField.GENDER
        rules[name] = GenerationRule(
            kind=RuleKind.PERSON, source=RuleSource.INFERRED, field=field.value,
            values=old.values if gender else None, weights=old.weights if gender else None,
            null_ratio=old.null_ratio,
        )  # fmt: skip
    if not rules:
        return table
    columns = [c.model_copy(update={"rule": rules[c.name]}) if c.name in rules else c
               for c in table.columns]  # fmt: skip
    return table.model_copy(update={"columns": columns})
