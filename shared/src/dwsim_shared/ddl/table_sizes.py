"""Table sizes from the key graph: lookups stay small, children outnumber their parents.

A pure function of the schema, run at import: each table gets default ``rows`` (relative to
``BASE_ROWS``) and a ``sizing`` saying why (``source: inferred``), and the foreign key its
rows are counted from gets a skewed ``fanout``. ``--scale`` multiplies every table's rows but
a lookup's; per-table rows always win.
"""

import math
import re
from dataclasses import dataclass

from dwsim_shared.contracts.enums import Distribution, RuleKind, RuleSource, TableRole, TypeKind
from dwsim_shared.contracts.schema import (
    DEFAULT_ROWS,
    FanOut,
    ForeignKey,
    Table,
    TableSizing,
)
from dwsim_shared.ddl.inference import snake
from dwsim_shared.ddl.lookups import calendar_rule, label_rule

BASE_ROWS = DEFAULT_ROWS  # an entity table such as customers
UNBOUNDED = 2**62
MAX_LOOKUP_COLUMNS = 6  # wider tables are entities, whatever their name


def _words(words: str) -> str:
    """A pattern matching a name whose last word is one of ``words``."""
    return rf"(^|_)({words})$"


# Lookups: (pattern on the singular table name, rows when no value list decides).
LOOKUP_ROWS: list[tuple[str, int]] = [
    (_words(r"status|stage|phase|state_?code"), 6),
    (_words(r"region|continent|territory"), 5),
    (_words(r"country|nation"), 25),
    (_words(r"currency"), 20),
    (_words(r"language|locale"), 20),
    (_words(r"state|province|county"), 50),
    (_words(r"city|town"), 100),
    (_words(r"time_?zone|tz"), 30),
    (_words(r"type|kind|class|category|genre|group|segment|tier|level|priority|reason|method"
            r"|mode|channel|source|medium|gender|title|role|unit|uom|color|colour|size|tag"
            r"|label|flag|code|plan|term"), 10),
]  # fmt: skip
CALENDAR = r"^(date|day|calendar|time|date_dim|dim_date)$"
CALENDAR_ROWS = 1095  # three years of days, the span inferred dates cover
# Names that are never lookups, however few their columns.
ENTITY_NAMES = _words(
    r"customer|client|user|account|member|person|people|employee|staff|patient|student|product"
    r"|item|part|sku|order|invoice|transaction|payment|event|session|supplier|vendor|store|shop"
    r"|line|sale|ticket|booking|listing|shipment|review|lineitem"
)
# Root tables (no parent but lookups): rows as a share of BASE_ROWS. First match wins.
ROOT_SHARES: list[tuple[str, float]] = [
    (_words(r"order|event|transaction|sale|log|click|view|session|payment|shipment|invoice"
            r"|ticket|message|review|rating|visit|call|activity|booking|reservation|fact"), 5.0),
    (_words(r"product|item|part|sku|article|book|movie|film|course|listing|inventory"), 0.5),
    (_words(r"supplier|vendor|store|shop|warehouse|branch|department|dept|team|carrier"
            r"|manufacturer|brand|venue|location|site|office|campaign|promo|promotion|tenant"
            r"|organization|organisation|company|partner|agent|employee|staff|driver"), 0.1),
]  # fmt: skip
LINE_NAMES = _words(r"line|item|detail|entry|lineitem|line_?item")
# Children of an entity: (pattern on the child's singular name, rows per parent, fan-out).
_ONE_EACH = FanOut(distribution=Distribution.UNIFORM, source=RuleSource.INFERRED)
_LINES = FanOut(
    distribution=Distribution.POISSON, params={"lam": 2.5, "min": 1}, source=RuleSource.INFERRED
)


def _lognormal(sigma: float) -> FanOut:
    return FanOut(
        distribution=Distribution.LOGNORMAL,
        params={"mean": 0.0, "sigma": sigma},
        source=RuleSource.INFERRED,
    )


EVENTS_PER_PARENT: list[tuple[str, float, FanOut]] = [
    (_words(r"payment|shipment|delivery|invoice|receipt|fulfillment|fulfilment"), 1.0, _ONE_EACH),
    (_words(r"return|refund|cancellation|dispute|complaint|chargeback"), 0.1, _lognormal(1.0)),
    (_words(r"address|contact|phone|email|card|device|preference|setting"), 1.5, _lognormal(0.5)),
    (_words(r"review|rating|comment|like|favorite|favourite|wishlist"), 3.0, _lognormal(1.2)),
    (_words(r"session|visit|event|click|view|pageview|log|activity|login|message|call"),
     10.0, _lognormal(1.0)),
    (_words(r"order|booking|reservation|purchase|subscription|transaction|sale"),
     5.0, _lognormal(1.0)),
]  # fmt: skip
EVENTS_DEFAULT = (3.0, _lognormal(0.8))
RECURRING = (5.0, _lognormal(1.0))  # payments or invoices of an entity rather than an order
LINES_PER_PARENT = 3.5
BRIDGE_PER_PARENT = 3.0
POPULARITY = _lognormal(1.0)  # further parents of a child: some are picked far more often
LOOKUP_SKEW = FanOut(distribution=Distribution.ZIPF, params={"a": 1.0}, source=RuleSource.INFERRED)


def singular(name: str) -> str:
    """``order_statuses`` -> ``order_status``, ``dim_country`` -> ``country``."""
    name = re.sub(r"^(dim|lkp|lu|ref|d)_|_(dim|lookup|lkp|ref|codes?)$", "", snake(name)) or name
    for suffix, repl in (("ies", "y"), ("sses", "ss"), ("uses", "us"), ("xes", "x"),
                         ("ches", "ch"), ("shes", "sh")):  # fmt: skip
        if name.endswith(suffix):
            return name[: -len(suffix)] + repl
    if name.endswith("s") and not name.endswith(("ss", "us", "is")):
        return name[:-1]
    return name


@dataclass
class _Node:
    table: Table
    name: str  # singular snake name
    parents: list[tuple[int, ForeignKey, str]]  # (position, fk, parent table), no self refs
    children: int = 0


class _Sizer:
    def __init__(self, tables: list[Table]):
        self.lower = {t.name.lower(): t.name for t in tables}
        self.nodes: dict[str, _Node] = {}
        for table in tables:
            parents = []
            for i, fk in enumerate(table.foreign_keys):
                parent = self.lower.get(fk.references_table.lower())
                if parent and parent != table.name:
                    parents.append((i, fk, parent))
            self.nodes[table.name] = _Node(table, singular(table.name), parents)
        for node in self.nodes.values():
            for parent in {p for _, _, p in node.parents}:
                self.nodes[parent].children += 1
        self.cyclic = {(t, p) for t, n in self.nodes.items() for _, _, p in n.parents
                       if self._reaches(p, t)}  # fmt: skip
        self.roles: dict[str, TableRole] = {}
        self.rows: dict[str, int] = {}
        self.sizing: dict[str, TableSizing] = {}
        self.fanouts: dict[tuple[str, int], FanOut] = {}

    def _reaches(self, start: str, goal: str) -> bool:
        seen, todo = set(), [start]
        while todo:
            name = todo.pop()
            if name == goal:
                return True
            if name not in seen:
                seen.add(name)
                todo.extend(p for _, _, p in self.nodes[name].parents)
        return False

    def _edges(self, name: str) -> list[tuple[int, ForeignKey, str]]:
        """A table's foreign keys that can size it (those on a cycle cannot)."""
        return [e for e in self.nodes[name].parents if (name, e[2]) not in self.cyclic]

    # -- lookups --------------------------------------------------------------------------------
    def is_lookup(self, name: str) -> bool:
        if name not in self.roles:
            self.roles[name] = TableRole.ENTITY  # provisional, for cycles
            self.roles[name] = self._lookup_role(name) or TableRole.ENTITY
        return self.roles[name] in (TableRole.LOOKUP, TableRole.CALENDAR)

    def _lookup_role(self, name: str) -> TableRole | None:
        node = self.nodes[name]
        table = node.table
        if not all(self.is_lookup(p) for _, _, p in self._edges(name)):
            return None
        if re.search(CALENDAR, node.name):
            has_date = any(c.type.kind == TypeKind.DATE for c in table.columns)
            return TableRole.CALENDAR if has_date else None
        if len(table.columns) > MAX_LOOKUP_COLUMNS or re.search(ENTITY_NAMES, node.name):
            return None
        named = any(re.search(p, node.name) for p, _ in LOOKUP_ROWS)
        measures = any(
            c.type.kind in (TypeKind.DATE, TypeKind.TIMESTAMP, TypeKind.TIMESTAMPTZ)
            for c in table.columns
        )
        if named or (node.children and len(table.columns) <= 3 and not measures):
            return TableRole.LOOKUP
        return None

    def _lookup_rows(self, name: str) -> int:
        node = self.nodes[name]
        rows = next((r for p, r in LOOKUP_ROWS if re.search(p, node.name)), 20)
        if self.roles[name] == TableRole.CALENDAR:
            found, rows = calendar_rule(node.table), CALENDAR_ROWS
        else:
            found = label_rule(node.table, node.name)
            if found is not None and found[1].values is not None:
                rows = len(found[1].values)
        if found is not None:
            column, rule = found
            columns = [c.model_copy(update={"rule": rule}) if c.name == column else c
                       for c in node.table.columns]  # fmt: skip
            node.table = node.table.model_copy(update={"columns": columns})
        return self._bounded(node.table, rows)

    @staticmethod
    def _bounded(table: Table, rows: int) -> int:
        """No more rows than the table's unique columns can hold distinct values."""
        groups = [table.primary_key] if table.primary_key else []
        groups += [u.columns for u in table.unique]
        groups += [[c.name] for c in table.columns if c.rule is not None and c.rule.unique]
        for group in groups:
            room = math.prod(_capacity(table, c) for c in group)
            rows = min(rows, max(room, 1))
        return rows

    # -- everything else ------------------------------------------------------------------------
    def size(self, name: str, visiting: frozenset[str] = frozenset()) -> int:
        if name in self.rows:
            return self.rows[name]
        if self.is_lookup(name):
            rows = self._lookup_rows(name)
            self.sizing[name] = TableSizing(role=self.roles[name], scales=False)
        else:
            rows = self._dependent(name, visiting | {name})
        self.rows[name] = rows
        return rows

    def _dependent(self, name: str, visiting: frozenset[str]) -> int:
        node = self.nodes[name]
        edges = [e for e in self._edges(name) if e[2] not in visiting]
        sized = [(i, fk, p, self.size(p, visiting)) for i, fk, p in edges]
        main = [e for e in sized if not self.is_lookup(e[2])]
        # a unique foreign key takes one parent row per row: never more rows than that parent
        unique = [e for e in sized if _is_unique(node.table, e[1].columns)]
        if unique:
            _, _, parent, rows = min(unique, key=lambda e: e[3])
            scales = not self.is_lookup(parent)
            self._record(name, TableRole.EXTENSION, parent, 1.0, scales)
            return rows
        bridge = _bridge(node.table, sized)
        if bridge is not None:
            (_, _, pa, ra), (_, _, pb, rb) = bridge
            parent, big = (pa, ra) if ra >= rb else (pb, rb)
            rows = max(1, min(ra * rb, round(big * BRIDGE_PER_PARENT)))
            scales = not (self.is_lookup(pa) and self.is_lookup(pb))
            self._record(name, TableRole.BRIDGE, parent, BRIDGE_PER_PARENT, scales)
            return rows
        if not main:
            share = next((s for p, s in ROOT_SHARES if re.search(p, node.name)), 1.0)
            self.sizing[name] = TableSizing(role=TableRole.ENTITY)
            return max(1, round(BASE_ROWS * share))
        position, fk, parent, parent_rows = self._primary(node, main)
        if _position_key(node.table, fk) or re.search(LINE_NAMES, node.name):
            role, per_parent, fanout = TableRole.LINE, LINES_PER_PARENT, _LINES
        else:
            role = TableRole.EVENT
            per_parent, fanout = next(
                ((n, f) for p, n, f in EVENTS_PER_PARENT if re.search(p, node.name)),
                EVENTS_DEFAULT,
            )
            if fanout is _ONE_EACH and self.sizing[parent].role == TableRole.ENTITY:
                per_parent, fanout = RECURRING  # an account's invoices: one a period
        self._record(name, role, parent, per_parent)
        self.fanouts[(name, position)] = fanout
        for i, _, p, _ in sized:  # later foreign keys: drawn with a skew
            if i > position:
                self.fanouts[(name, i)] = LOOKUP_SKEW if self.is_lookup(p) else POPULARITY
        return max(1, round(parent_rows * per_parent))

    def _primary(self, node: _Node, main: list) -> tuple[int, ForeignKey, str, int]:
        """The foreign key a child's rows are laid out by: the one numbering its key
        (order_id, line_no), else one to the parent its name starts with, else the largest
        parent; required (NOT NULL) keys first."""
        table = node.table
        for entry in main:
            if _position_key(table, entry[1]):
                return entry
        required = [e for e in main if not all(table.column(c).nullable for c in e[1].columns)]
        pool = required or main
        for entry in pool:
            stem = singular(entry[2])
            if node.name.startswith(stem) and node.name != stem:
                return entry
        return max(pool, key=lambda e: (e[3], -e[0]))

    def _record(
        self, name: str, role: TableRole, parent: str, per: float, scales: bool = True
    ) -> None:
        self.sizing[name] = TableSizing(role=role, parent=parent, per_parent=per, scales=scales)


def _capacity(table: Table, name: str) -> int:
    """Distinct values a column's rule can make (UNBOUNDED when it never runs out)."""
    column = table.column(name)
    rule = column.rule
    if rule is None:
        return UNBOUNDED
    if rule.kind == RuleKind.CATEGORICAL and rule.values is not None:
        return len(rule.values)
    if rule.kind == RuleKind.BOOLEAN:
        return 2
    if rule.kind == RuleKind.CONSTANT:
        return 1
    if rule.kind == RuleKind.PATTERN and rule.pattern:
        return 10 ** rule.pattern.count("#") * 26 ** rule.pattern.count("?")
    if rule.kind == RuleKind.RANGE and isinstance(rule.min, int) and isinstance(rule.max, int):
        return rule.max - rule.min + 1
    return UNBOUNDED


def _is_unique(table: Table, columns: list[str]) -> bool:
    keys = [table.primary_key] if table.primary_key else []
    keys += [u.columns for u in table.unique]
    return any(set(k) == set(columns) for k in keys)


def _position_key(table: Table, fk: ForeignKey) -> bool:
    """The primary key is this foreign key plus one integer column numbering the children."""
    extra = [c for c in table.primary_key if c not in fk.columns]
    ints = (TypeKind.SMALLINT, TypeKind.INTEGER, TypeKind.BIGINT, TypeKind.DECIMAL)
    return (
        set(fk.columns) < set(table.primary_key)
        and len(extra) == 1
        and table.column(extra[0]).type.kind in ints
    )


def _bridge(table: Table, sized: list) -> tuple | None:
    """Two foreign keys that together are the table's key (partsupp(part, supplier))."""
    keys = [table.primary_key] if table.primary_key else []
    keys += [u.columns for u in table.unique]
    for key in keys:
        for a, first in enumerate(sized):
            for second in sized[a + 1 :]:
                if set(key) == set(first[1].columns) | set(second[1].columns):
                    return first, second
    return None


def infer_sizes(tables: list[Table]) -> list[Table]:
    """``tables`` with default rows, sizing and fan-outs from the key graph (a table whose
    rows or sizing are already set is kept as it is)."""
    sizer = _Sizer(tables)
    for table in tables:
        sizer.size(table.name)
    out = []
    for table in tables:
        if table.rows is not None or table.sizing is not None:
            out.append(table)
            continue
        fks = [
            fk.model_copy(update={"fanout": sizer.fanouts[(table.name, i)]})
            if (table.name, i) in sizer.fanouts and fk.fanout is None
            else fk
            for i, fk in enumerate(table.foreign_keys)
        ]
        update = {"rows": sizer.rows[table.name], "sizing": sizer.sizing[table.name]}
        columns = sizer.nodes[table.name].table.columns
        out.append(table.model_copy(update={**update, "foreign_keys": fks, "columns": columns}))
    return out
