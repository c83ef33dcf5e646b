"""Zero-config relations between columns, inferred at import from names and keys.

Where unambiguous: a line's ``unit_price`` is its product's ``price`` (lookup); an order's
``total`` is the sum of its lines and ``item_count`` their count (aggregate); ``line_total =
quantity * unit_price``, ``full_name`` and ``email`` from the person's names (expression);
``updated_at`` after ``created_at``, ``shipped_at`` after ``ordered_at``, and a table's main
moment after its parent's (after). Only guessed rules are replaced, each with ``source:
inferred`` (so users see and can override them); a guess the contract refuses is dropped.
"""

import re
from datetime import date
from types import SimpleNamespace

from dwsim_shared.contracts.derived import DerivedRuleError, resolve, resolve_all
from dwsim_shared.contracts.enums import (
    AggregateFunction,
    RuleKind,
    RuleSource,
    TableRole,
    TypeKind,
)
from dwsim_shared.contracts.graph import SchemaGraphError, load_order
from dwsim_shared.contracts.rules import GenerationRule
from dwsim_shared.contracts.schema import Column, ForeignKey, Table
from dwsim_shared.ddl import relation_names as names
from dwsim_shared.ddl.bounds import fits_precision, largest, within_check
from dwsim_shared.ddl.inference import INFERENCE_ANCHOR, _strip_table_prefix, _unglue, snake

NUMBERS = (TypeKind.SMALLINT, TypeKind.INTEGER, TypeKind.BIGINT, TypeKind.DECIMAL, TypeKind.REAL,
           TypeKind.DOUBLE)  # fmt: skip
TEXTS = (TypeKind.CHAR, TypeKind.VARCHAR, TypeKind.TEXT)
MOMENTS = (TypeKind.DATE, TypeKind.TIMESTAMP, TypeKind.TIMESTAMPTZ)
MOST_LINES = 15  # lines a parent may hold, for the widest total a column must fit
EMAIL_WIDTH = 24  # narrower e-mail columns keep their Faker addresses


def _inferred(**fields) -> GenerationRule:  # type: ignore[no-untyped-def]
    return GenerationRule(source=RuleSource.INFERRED, **fields)


class _Relations:
    def __init__(self, tables: list[Table], today: date):
        self.tables = {t.name: t for t in tables}
        self.order = load_order(SimpleNamespace(tables=tables))  # type: ignore[arg-type]
        self.today = today
        self.rules: dict[tuple[str, str], GenerationRule] = {}
        self.no_nulls: set[tuple[str, str]] = set()  # inputs of NOT NULL derived columns
        self.referenced = {
            (self._canonical(fk.references_table), c.lower())
            for t in tables for fk in t.foreign_keys for c in fk.references_columns
        }  # fmt: skip

    def _canonical(self, name: str) -> str:
        return next((t for t in self.tables if t.lower() == name.lower()), name)

    # -- columns ----------------------------------------------------------------------------
    def free(self, table: Table, column: Column, source: Column | None = None) -> bool:
        """A column whose guessed rule may be replaced: not a key, not read by a key. A column
        with only a CHECK range may take ``source``'s values when they all satisfy it."""
        rule = column.rule
        if rule is None:
            return False
        if rule.source != RuleSource.INFERRED and (
            source is None or not within_check(column, source)
        ):
            return False
        keyed = set(table.primary_key) | {c for u in table.unique for c in u.columns}
        keyed |= {c for fk in table.foreign_keys for c in fk.columns}
        return column.name not in keyed and (table.name, column.name.lower()) not in self.referenced

    def find(self, table: Table, pattern: str, kinds: tuple = (), skip: str = "") -> Column | None:
        for column in table.columns:
            if column.name == skip or (kinds and column.type.kind not in kinds):
                continue
            name = _strip_table_prefix(snake(column.name), snake(table.name))
            if re.search(pattern, name) or re.search(pattern, _unglue(name)):
                return column
        return None

    def set(self, table: Table, column: Column, rule: GenerationRule, inputs=()) -> None:  # type: ignore[no-untyped-def]
        self.rules[(table.name, column.name)] = rule
        if not column.nullable:
            self.no_nulls.update(inputs)

    def parents(self, table: Table) -> list[tuple[ForeignKey, Table]]:
        out = []
        for fk in table.foreign_keys:
            parent = self.tables.get(self._canonical(fk.references_table))
            if parent is not None and parent.name != table.name:
                out.append((fk, parent))
        return out

    def via(self, table: Table, fk: ForeignKey, parent: Table) -> list[str] | None:
        same = [f for f, p in self.parents(table) if p.name == parent.name]
        return list(fk.columns) if len(same) > 1 else None

    # -- lookups, expressions, aggregates -----------------------------------------------------
    def prices(self, table: Table) -> None:
        price = self.find(table, names.PRICE, NUMBERS)
        sources = [] if price is None else [
            (fk, p, c) for fk, p in self.parents(table)
            if (c := self.find(p, names.PRICE, NUMBERS)) is not None
        ]  # fmt: skip
        if len(sources) == 1 and self.free(table, price, sources[0][2]):
            fk, parent, source = sources[0]
            if fits_precision(price, largest(source)):
                rule = _inferred(kind=RuleKind.LOOKUP, ref=f"{parent.name}.{source.name}",
                                 via=self.via(table, fk, parent))  # fmt: skip
                self.set(table, price, rule, [(parent.name, source.name)])
        quantity = self.find(table, names.QUANTITY, NUMBERS)
        total = self.find(table, names.LINE_TOTAL, NUMBERS)
        if price is None or quantity is None or total is None or not self.free(table, total):
            return
        top = self._price_top(table, price)
        if fits_precision(
            total, None if top is None or largest(quantity) is None else top * largest(quantity)
        ):
            expression = f'"{quantity.name}" * "{price.name}"'
            self.set(table, total, _inferred(kind=RuleKind.EXPRESSION, expression=expression),
                     [(table.name, quantity.name), (table.name, price.name)])  # fmt: skip

    def _price_top(self, table: Table, price: Column) -> float | None:
        rule = self.rules.get((table.name, price.name))
        if rule is not None and rule.kind == RuleKind.LOOKUP and rule.ref:
            parent, _, column = rule.ref.partition(".")
            return largest(self.tables[parent].column(column))
        return largest(price)

    def totals(self, parent: Table) -> None:
        lines = [(fk, child) for child in self.tables.values() for fk, p in self.parents(child)
                 if p.name == parent.name and self._line_of(child, fk)]  # fmt: skip
        if len(lines) != 1:
            return
        fk, child = lines[0]
        ref, via = child.name, self.via(child, fk, parent)
        total = self.find(parent, names.PARENT_TOTAL, NUMBERS)
        if total is not None and self.free(parent, total):
            line_total = self.find(child, names.LINE_TOTAL, NUMBERS)
            quantity = self.find(child, names.QUANTITY, NUMBERS)
            price = self.find(child, names.PRICE, NUMBERS)
            amount = self.find(child, names.AMOUNT, NUMBERS)
            rule, top = None, None
            if line_total is not None:
                rule = _inferred(kind=RuleKind.AGGREGATE, function=AggregateFunction.SUM,
                                 ref=f"{child.name}.{line_total.name}", via=via)  # fmt: skip
                top = largest(line_total)
            elif quantity is not None and price is not None:
                expression = f'"{quantity.name}" * "{price.name}"'
                rule = _inferred(kind=RuleKind.AGGREGATE, function=AggregateFunction.SUM,
                                 ref=ref, expression=expression, via=via)  # fmt: skip
                line_top, price_top = largest(quantity), self._price_top(child, price)
                top = None if line_top is None or price_top is None else line_top * price_top
            elif amount is not None:
                rule = _inferred(kind=RuleKind.AGGREGATE, function=AggregateFunction.SUM,
                                 ref=f"{child.name}.{amount.name}", via=via)  # fmt: skip
                top = largest(amount)
            if rule is not None and fits_precision(
                total, None if top is None else top * MOST_LINES
            ):
                self.set(parent, total, rule)
        if total is not None and (parent.name, total.name) in self.rules:
            self.payments(parent, total, child)
        count = self.find(parent, names.COUNT, NUMBERS)
        if count is not None and self.free(parent, count):
            rule = _inferred(kind=RuleKind.AGGREGATE, function=AggregateFunction.COUNT, ref=ref,
                             via=via)  # fmt: skip
            self.set(parent, count, rule)

    def payments(self, parent: Table, total: Column, lines: Table) -> None:
        """A payment or invoice of an order is for the order's total."""
        for child in self.tables.values():
            if child.name == lines.name or not re.search(names.PAYMENT_TABLE, snake(child.name)):
                continue
            links = [fk for fk, p in self.parents(child) if p.name == parent.name]
            amount = self.find(child, names.PAID, NUMBERS)
            if len(links) == 1 and amount is not None and self.free(child, amount):
                digits = [(c.type.precision or 38) - (c.type.scale or 0) for c in (amount, total)]
                if amount.type.kind == total.type.kind and digits[0] >= digits[1]:
                    rule = _inferred(kind=RuleKind.LOOKUP, ref=f"{parent.name}.{total.name}")
                    self.set(child, amount, rule)

    def _line_of(self, child: Table, fk: ForeignKey) -> bool:
        """``child`` holds lines of the parent ``fk`` points to, laid out parent by parent."""
        if set(fk.columns) == set(child.primary_key) or any(
            set(u.columns) == set(fk.columns) for u in child.unique
        ):
            return False  # one child per parent: nothing to add up
        positioned = [f for f, _ in self.parents(child)
                      if set(f.columns) < set(child.primary_key)
                      and len(set(child.primary_key) - set(f.columns)) == 1]  # fmt: skip
        if positioned and fk not in positioned:
            return False  # another foreign key numbers the child's rows
        priced = self.find(child, names.QUANTITY, NUMBERS) and self.find(
            child, names.PRICE, NUMBERS
        )
        line_named = re.search(names.LINE_TABLE, snake(child.name)) or (
            child.sizing is not None and child.sizing.role == TableRole.LINE
        )
        return bool(priced or self.find(child, names.LINE_TOTAL, NUMBERS) or line_named)

    def people(self, table: Table) -> None:
        first = self.find(table, names.FIRST, TEXTS)
        last = self.find(table, names.LAST, TEXTS)
        if first is None or last is None:
            return
        inputs = [(table.name, first.name), (table.name, last.name)]
        email = self.find(table, names.EMAIL, TEXTS)
        rule = email.rule if email is not None else None
        guessed = (
            email is not None
            and rule is not None
            and (rule.kind, rule.source) == (RuleKind.FAKER, RuleSource.INFERRED)
            and (email.type.length or EMAIL_WIDTH) >= EMAIL_WIDTH
            and (table.name, email.name.lower()) not in self.referenced
        )
        if guessed:
            assert email is not None
            assert rule is not None
            expression = f'email("{first.name}", "{last.name}")'
            self.set(table, email, _inferred(kind=RuleKind.EXPRESSION, expression=expression,
                                             unique=rule.unique, null_ratio=rule.null_ratio))  # fmt: skip
        full = self.find(table, names.FULL, TEXTS, skip=first.name)
        if full is not None and full.name != last.name and self.free(table, full):
            if full.nullable:
                expression = f'"{first.name}" || \' \' || "{last.name}"'
            else:
                expression = (
                    f"trim(coalesce(\"{first.name}\", '') || ' ' || coalesce(\"{last.name}\", ''))"
                )
            self.set(
                table, full, _inferred(kind=RuleKind.EXPRESSION, expression=expression), inputs
            )

    # -- time order -------------------------------------------------------------------------
    def moments(self, table: Table) -> tuple[Column | None, dict[str, Column], dict[str, str]]:
        """(main moment, moments by key, follower column -> its follower key) of a table."""
        found: dict[str, Column] = {}
        follows: dict[str, str] = {}
        for key, pattern in names.MAINS:
            column = self.find(table, pattern, MOMENTS)
            if column is not None and column.name not in {c.name for c in found.values()}:
                found[key] = column
        for key, pattern, _, _ in names.FOLLOWERS:
            column = self.find(table, pattern, MOMENTS)
            if column is not None and column.name not in {c.name for c in found.values()}:
                found[key] = column
                follows[column.name] = key
        main = next((found[k] for k, _ in names.MAINS if k in found), None)
        if main is None:  # the first moment that follows nothing in its row
            for column in table.columns:
                key = follows.get(column.name)
                if (
                    column.type.kind in MOMENTS
                    and self._plain_moment(column)
                    and (key is None or self._anchor(key, found, None) is None)
                ):
                    main = column
                    break
        return main, found, follows

    def _plain_moment(self, column: Column) -> bool:
        """An inferred date range up to today (not a birth date, not a date in the future)."""
        rule = column.rule
        return (
            rule is not None
            and rule.kind == RuleKind.RANGE
            and rule.source == RuleSource.INFERRED
            and str(rule.max or "").startswith(self.today.isoformat())
        )

    @staticmethod
    def _anchor(key: str, found: dict[str, Column], main: Column | None) -> Column | None:
        anchors = next(a for k, _, a, _ in names.FOLLOWERS if k == key)
        for anchor in anchors:
            column = main if anchor == "main" else found.get(anchor)
            if column is not None and column.name != found[key].name:
                return column
        return None

    def _after(self, column: Column, ref: str, offset, via=None) -> GenerationRule:  # type: ignore[no-untyped-def]
        rule = column.rule
        assert rule is not None
        distribution, params = offset if offset is not None else (None, {})
        return _inferred(kind=RuleKind.AFTER, ref=ref, via=via, distribution=distribution,
                         params=dict(params), min=rule.min, max=rule.max,
                         null_ratio=rule.null_ratio)  # fmt: skip

    def time_order(self, table: Table, mains: dict[str, Column], depth: dict[str, int]) -> None:
        main, found, follows = self.moments(table)
        for column in table.columns:
            key = follows.get(column.name)
            if key is None or column is main or not self.free(table, column):
                continue
            rule = column.rule
            if rule is None or rule.kind != RuleKind.RANGE:
                continue
            anchor = self._anchor(key, found, main)
            if anchor is not None:
                offset = next(o for k, _, _, o in names.FOLLOWERS if k == key)
                self.set(table, column, self._after(column, anchor.name, offset))
        if main is None:
            return
        if self._plain_moment(main) and self.free(table, main):
            links = [(fk, p) for fk, p in self.parents(table) if p.name in mains]
            if links:
                fk, parent = max(links, key=lambda link: self._link_score(table, *link, depth))
                offset = None  # after an entity (a customer, an account): any time since
                if self._eventful(parent, mains):  # after an order: soon after
                    key = follows.get(main.name)
                    offset = next((o for k, _, _, o in names.FOLLOWERS if k == key), None)
                    if key is None:
                        offset = next((o for p, o in names.CHILD_OFFSETS
                                       if re.search(p, snake(table.name))), None)  # fmt: skip
                ref = f"{parent.name}.{mains[parent.name].name}"
                self.set(table, main, self._after(main, ref, offset, self.via(table, fk, parent)))
        mains[table.name] = main

    def _eventful(self, parent: Table, mains: dict[str, Column]) -> bool:
        """An event (an order, a visit) rather than an entity: its children follow it soon."""
        if parent.sizing is not None:
            return parent.sizing.role in (TableRole.EVENT, TableRole.LINE)
        rule = self.rules.get((parent.name, mains[parent.name].name))
        return rule is not None and rule.kind == RuleKind.AFTER

    def _link_score(self, table: Table, fk: ForeignKey, parent: Table, depth: dict) -> tuple:  # type: ignore[type-arg]
        identifying = set(fk.columns) < set(table.primary_key)
        counted = table.sizing is not None and table.sizing.parent == parent.name
        return identifying, counted, depth.get(parent.name, 0)

    # -- all ----------------------------------------------------------------------------------
    def infer(self) -> list[Table]:
        for name in self.order:
            self.prices(self.tables[name])
            self.people(self.tables[name])
        for name in self.order:
            self.totals(self.tables[name])
        mains: dict[str, Column] = {}
        depth: dict[str, int] = {}
        for name in self.order:
            table = self.tables[name]
            depth[name] = 1 + max((depth.get(p.name, 0) for _, p in self.parents(table)), default=0)
            self.time_order(table, mains, depth)
        return self.apply()

    def apply(self) -> list[Table]:
        out = []
        for table in self.tables.values():
            columns = []
            for column in table.columns:
                rule = self.rules.get((table.name, column.name), column.rule)
                zero = (table.name, column.name) in self.no_nulls
                if (
                    zero
                    and rule is not None
                    and rule.source == RuleSource.INFERRED
                    and rule.null_ratio
                ):
                    rule = rule.model_copy(update={"null_ratio": 0.0})
                columns.append(
                    column if rule is column.rule else column.model_copy(update={"rule": rule})
                )
            out.append(table.model_copy(update={"columns": columns}))
        return out


def infer_relations(tables: list[Table], today: date | None = None) -> list[Table]:
    """``tables`` with derived rules guessed where names and keys make them unambiguous."""
    try:
        out = _Relations(tables, today or INFERENCE_ANCHOR).infer()
    except SchemaGraphError:  # the experiment's own check reports it, with a position
        return tables
    schema = SimpleNamespace(tables=out)
    kept = []
    for table in out:  # a guess the contract refuses is dropped, the import never fails for it
        original = {c.name: c for c in next(t for t in tables if t.name == table.name).columns}
        columns = []
        for column in table.columns:
            if column.rule is not original[column.name].rule and column.rule is not None:
                try:
                    if column.rule.kind in (RuleKind.LOOKUP, RuleKind.AGGREGATE,
                                            RuleKind.EXPRESSION, RuleKind.AFTER):  # fmt: skip
                        resolve(schema, table, column)  # type: ignore[arg-type]
                except DerivedRuleError:
                    column = original[column.name]
            columns.append(column)
        kept.append(table.model_copy(update={"columns": columns}))
    try:
        resolve_all(SimpleNamespace(tables=kept))  # type: ignore[arg-type]
    except DerivedRuleError:
        return tables
    return kept
