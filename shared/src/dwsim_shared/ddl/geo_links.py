"""Addresses across tables, inferred at import after sizes (``source: inferred``).

- A lookup table of countries, currencies or states (``countries(code, name)``) lists the real
  entries, each once, as a geo group with a unique column: ISO 3166-1 countries (249), ISO 4217
  currencies in use (150), the US states and DC (51); its ``rows`` are that count.
- A foreign key into such a list gets a geo rule and joins its table's geo group: the
  customer's ``country_code`` is the lookup row of its city's country, an order's
  ``currency_code`` the row of its place's currency.
- A child's address takes its parent row's place (``ref``) when one foreign key leads to a
  parent with an address: an order's ship address is its customer's, an employee's country
  its store's; a lone ``currency`` or ``phone`` of a child follows the parent's place too.

Then every table's groups are made by ``correlated.correlate``.
"""

import re
from types import SimpleNamespace

from dwsim_shared.contracts.enums import GeoField, RuleKind, RuleSource, TableRole, TypeKind
from dwsim_shared.contracts.graph import SchemaGraphError, load_order
from dwsim_shared.contracts.rules import GenerationRule
from dwsim_shared.contracts.schema import Table
from dwsim_shared.ddl.correlated import FK_WORD, Inherit, Links, correlate
from dwsim_shared.ddl.inference import _strip_table_prefix, snake
from dwsim_shared.ddl.table_sizes import singular

# How many entries each list holds (the engine's reference data; a test checks they agree).
COUNTRIES, CURRENCIES, US_STATES = 249, 150, 51
_LISTS = [(r"(^|_)(country|nation)$", GeoField.COUNTRY_CODE, COUNTRIES),
          (r"(^|_)currency$", GeoField.CURRENCY, CURRENCIES),
          (r"(^|_)(state|province)$", GeoField.STATE_CODE, US_STATES)]  # fmt: skip
_TEXT = (TypeKind.CHAR, TypeKind.VARCHAR, TypeKind.TEXT)
_CODE = r"(^|_)(code|iso|iso_?[23]|alpha_?[23]|abbr|abbreviation|short_?name|id|key)$"
_NAME = r"(^|_)(name|label|title|description|desc|long_?name|full_?name)$"
# Prefixes of an address that is the buying party's (and an unprefixed one, an order's
# currency): it follows the customer, not a store.
_PARTY_ADDRESS = r"^(ship|shipping|deliver|delivery|bill|billing|invoice|mail|mailing|home)"
_PARTY = r"(^|_)(customer|client|user|member|account|buyer|person|patient|guest|contact)$"


def _list_field(level: GeoField, name: str, table_word: str, width: int | None) -> GeoField | None:
    """What a text column of a list of ``level`` holds, by its name (None: nothing known)."""
    short = width is not None and width <= 3
    if level == GeoField.CURRENCY:
        if re.search(r"symbol|sign", name):
            return GeoField.CURRENCY_SYMBOL if width is None or width >= 4 else None
        if re.search(_NAME, name) and not short:
            return GeoField.CURRENCY_NAME
        if re.search(_CODE, name) or name in (table_word, f"{table_word}_code"):
            return GeoField.CURRENCY if width is None or width >= 3 else None
        return None
    if re.search(r"currency", name):
        return GeoField.CURRENCY if width is None or width >= 3 else None
    if level == GeoField.STATE_CODE and re.search(r"countr|nation", name):
        return GeoField.COUNTRY_CODE if short else GeoField.COUNTRY
    if re.search(_CODE, name) or re.search(r"_?(code|iso|abbr)$", name):
        if level == GeoField.STATE_CODE:
            return GeoField.STATE_CODE
        three = width == 3 or re.search(r"3", name)
        return GeoField.COUNTRY_CODE3 if three else GeoField.COUNTRY_CODE
    if re.search(_NAME, name) or name == table_word:
        if short:
            return None
        return GeoField.STATE if level == GeoField.STATE_CODE else GeoField.COUNTRY
    return None


def _as_list(table: Table) -> tuple[Table, GeoField] | None:
    """``table`` made a list of real entries, if it is a lookup named for one."""
    sizing = table.sizing
    if sizing is None or sizing.role != TableRole.LOOKUP or sizing.source != RuleSource.INFERRED:
        return None
    word = singular(table.name)
    hit = next((entry for entry in _LISTS if re.search(entry[0], word)), None)
    if hit is None:
        return None
    _, level, count = hit
    word = word.rpartition("_")[2]
    fk_columns = {c for fk in table.foreign_keys for c in fk.columns}
    fields: dict[str, GeoField] = {}
    for column in table.columns:
        rule = column.rule
        if column.name in fk_columns or column.type.kind not in _TEXT:
            continue
        if rule is not None and rule.source != RuleSource.INFERRED:
            continue
        name = _strip_table_prefix(snake(column.name), snake(table.name))
        width = column.type.length if column.type.kind != TypeKind.TEXT else None
        field = _list_field(level, name, word, width)
        if field is not None and field not in fields.values():
            fields[column.name] = field
    key = next((c for c in table.primary_key if c in fields), None)
    key = key or next((c for c, f in fields.items() if f == level), None)
    key = key or next(iter(fields), None)
    if key is None:
        return None
    columns = []
    for column in table.columns:
        if column.name in fields:
            rule = GenerationRule(
                kind=RuleKind.GEO, source=RuleSource.INFERRED, field=fields[column.name].value,
                unique=column.name == key, locale="US" if level == GeoField.STATE_CODE else None,
            )  # fmt: skip
            column = column.model_copy(update={"rule": rule})
        columns.append(column)
    return table.model_copy(update={"columns": columns, "rows": count}), level


class _Linker:
    def __init__(self, tables: list[Table]):
        self.tables = {t.name: t for t in tables}
        self.lists: dict[str, GeoField] = {}
        for table in tables:
            found = _as_list(table)
            if found is not None:
                self.tables[table.name], self.lists[table.name] = found

    def canonical(self, name: str) -> str | None:
        return next((t for t in self.tables if t.lower() == name.lower()), None)

    def links(self, table: Table) -> Links:
        """Foreign-key columns of ``table`` into a list, with the field they point at."""
        out: Links = {}
        for fk in table.foreign_keys:
            parent = self.canonical(fk.references_table)
            rule = table.column(fk.columns[0]).rule
            if (len(fk.columns) == 1 and parent in self.lists and parent != table.name
                    and (rule is None or rule.source == RuleSource.INFERRED)):  # fmt: skip
                out[fk.columns[0]] = self.lists[parent]
        return out

    def places(self, table: Table) -> dict[str | None, tuple[str, str | None]]:
        """A table's place-drawing geo groups: {group: (first column, locale)}."""
        if table.name in self.lists:
            return {}
        out: dict[str | None, tuple[str, str | None]] = {}
        for column in table.columns:
            rule = column.rule
            if rule is not None and rule.kind == RuleKind.GEO:
                out.setdefault(rule.group, (column.name, rule.locale))
        return out

    def inherit(self, table: Table, prefix: str) -> Inherit | None:
        """The one parent place a group of ``prefix`` of ``table`` follows, if one is clear."""
        found = []
        for fk in table.foreign_keys:
            parent_name = self.canonical(fk.references_table)
            if parent_name is None or parent_name == table.name:
                continue
            groups = self.places(self.tables[parent_name])
            name = prefix if prefix in groups else None if None in groups else (
                next(iter(groups)) if len(groups) == 1 else "")  # fmt: skip
            if name == "" or name not in groups:
                continue
            key = _strip_table_prefix(snake(fk.columns[0]), snake(table.name))
            found.append((fk, parent_name, groups[name], re.sub(r"_?(id|key|no|num)$", "", key)))
        if len(found) > 1:  # the key the prefix names (store_city: store_id), or the buyer
            named = [f for f in found if prefix and f[3] == prefix]
            party = [f for f in found if re.search(_PARTY_ADDRESS, prefix or "home")
                     and re.search(_PARTY, singular(f[1]))]  # fmt: skip
            found = named or party
        if len(found) != 1:
            return None
        fk, parent, (column, locale), _ = found[0]
        twins = [f for f in table.foreign_keys if self.canonical(f.references_table) == parent]
        return Inherit(f"{parent}.{column}", list(fk.columns) if len(twins) > 1 else None, locale)

    def run(self) -> list[Table]:
        try:
            order = load_order(SimpleNamespace(tables=list(self.tables.values())))  # type: ignore[arg-type]
        except SchemaGraphError:
            order = list(self.tables)
        for name in order:
            table = self.tables[name]
            if name in self.lists:
                continue
            links = self.links(table)
            table = correlate(table, links, lambda prefix, t=table: self.inherit(t, prefix))
            geo_fks = {c for c in links if table.column(c).rule.kind == RuleKind.GEO}  # type: ignore[union-attr]
            fks = [fk.model_copy(update={"fanout": None})
                   if fk.columns[0] in geo_fks and fk.fanout is not None
                   and fk.fanout.source == RuleSource.INFERRED else fk
                   for fk in table.foreign_keys]  # fmt: skip
            self.tables[name] = table.model_copy(update={"foreign_keys": fks})
        return list(self.tables.values())


def link_geo(tables: list[Table]) -> list[Table]:
    """``tables`` (sized) with lists of real entries, foreign keys into them following each
    row's place, children's addresses taking their parent row's place, and every table's
    address and person groups (``correlate``)."""
    linker = _Linker(tables)
    out = linker.run()
    return [out_t for t in tables for out_t in out if out_t.name == t.name]


__all__ = ["COUNTRIES", "CURRENCIES", "FK_WORD", "US_STATES", "link_geo"]
