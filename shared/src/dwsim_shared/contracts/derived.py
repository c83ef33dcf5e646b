"""Columns derived from other columns: references resolved, types checked, cycles refused.

A derived rule (lookup, aggregate, expression, after: see ``rules.py``) reads columns of its
own row, of the parent row a foreign key points to, or of the child rows pointing at it. This
module resolves what a rule reads into a ``Derivation`` (the engine computes from it) and
refuses, naming table and column, an unknown column, a table reached by no foreign key, a type
that does not fit, or derived columns that depend on each other in a cycle.
"""

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dwsim_shared.contracts.enums import AggregateFunction, Distribution, RuleKind, TypeKind
from dwsim_shared.contracts.expressions import (
    BOOLEAN,
    NUMBER,
    OTHER,
    TEMPORAL,
    TEXT,
    Binary,
    Call,
    ColumnRef,
    ExpressionError,
    Negate,
    Node,
    family,
    parse,
    uses_email,
)

if TYPE_CHECKING:
    from dwsim_shared.contracts.schema import Column, Experiment, ForeignKey, Table

DERIVED_KINDS = (RuleKind.LOOKUP, RuleKind.AGGREGATE, RuleKind.EXPRESSION, RuleKind.AFTER)
FAMILIES = {
    **dict.fromkeys(
        (TypeKind.SMALLINT, TypeKind.INTEGER, TypeKind.BIGINT, TypeKind.DECIMAL, TypeKind.REAL,
         TypeKind.DOUBLE), NUMBER),
    **dict.fromkeys((TypeKind.CHAR, TypeKind.VARCHAR, TypeKind.TEXT, TypeKind.UUID), TEXT),
    **dict.fromkeys((TypeKind.DATE, TypeKind.TIMESTAMP, TypeKind.TIMESTAMPTZ), TEMPORAL),
    TypeKind.BOOLEAN: BOOLEAN,
}  # fmt: skip
# Offsets of an ``after`` rule are never negative: distributions that can draw below 0 are out.
OFFSET_DISTRIBUTIONS = (
    Distribution.UNIFORM, Distribution.EXPONENTIAL, Distribution.LOGNORMAL, Distribution.BETA,
    Distribution.POISSON, Distribution.ZIPF,
)  # fmt: skip


class DerivedRuleError(ValueError):
    """A derived rule that cannot be computed; the message names table and column."""


def family_of(column: "Column") -> str:
    return FAMILIES.get(column.type.kind, OTHER)


def is_derived(column: "Column") -> bool:
    """A derived rule, or a geo rule taking its places from the parent row's (``ref``)."""
    rule = column.rule
    if rule is None:
        return False
    return rule.kind in DERIVED_KINDS or (rule.kind == RuleKind.GEO and rule.ref is not None)


@dataclass(frozen=True)
class Derivation:
    """What a derived column reads, resolved to canonical table and column names.

    - lookup: ``link`` (the foreign key of ``table`` to ``parent``), ``source`` (parent column)
    - after: ``source`` (a column of the row, or of ``parent`` through ``link``)
    - expression: ``expression`` over the row's columns
    - aggregate: ``child``, ``link`` (the child's foreign key to ``table``), ``function`` and
      ``source`` (a child column) or ``expression`` (over the child's columns), or neither
      (count of children)
    - geo (inherited): ``link`` to ``parent``, ``source`` a geo column of the parent group
      whose places the row's group takes
    """

    table: str
    column: str
    kind: RuleKind
    parent: str | None = None
    child: str | None = None
    link: "ForeignKey | None" = None
    source: str | None = None
    expression: Node | None = None
    function: AggregateFunction | None = None
    inputs: tuple[tuple[str, str], ...] = field(default=())


def _find_table(experiment: "Experiment", name: str) -> "Table | None":
    return next((t for t in experiment.tables if t.name.lower() == name.lower()), None)


def _find_column(table: "Table", name: str) -> "Column | None":
    return next((c for c in table.columns if c.name.lower() == name.lower()), None)


class _Resolver:
    def __init__(self, experiment: "Experiment", table: "Table", column: "Column"):
        self.experiment, self.table, self.column = experiment, table, column
        assert column.rule is not None
        self.rule = column.rule
        self.where = f"{table.name}.{column.name}"

    def fail(self, message: str) -> DerivedRuleError:
        return DerivedRuleError(f"{self.where}: {self.rule.kind.value} rule: {message}")

    def column_of(self, table: "Table", name: str) -> "Column":
        found = _find_column(table, name)
        if found is None:
            known = ", ".join(c.name for c in table.columns)
            raise self.fail(f"{table.name} has no column {name} (columns: {known})")
        return found

    def split(self, ref: str) -> tuple[str | None, str | None]:
        head, dot, tail = ref.strip().partition(".")
        if not dot:
            return None, head
        return head, tail or None

    def link(self, child: "Table", parent: "Table") -> "ForeignKey":
        """The foreign key of ``child`` to ``parent`` (``via`` picks one of several)."""
        fks = [
            fk for fk in child.foreign_keys if fk.references_table.lower() == parent.name.lower()
        ]
        if self.rule.via:
            wanted = [c.lower() for c in self.rule.via]
            fks = [fk for fk in fks if [c.lower() for c in fk.columns] == wanted]
            if not fks:
                raise self.fail(
                    f"{child.name} has no foreign key ({', '.join(self.rule.via)}) to {parent.name}"
                )
        if not fks:
            raise self.fail(
                f"{child.name} has no foreign key to {parent.name}, so no row of one "
                f"belongs to a row of the other"
            )
        if len(fks) > 1:
            keys = ", ".join(f"({', '.join(fk.columns)})" for fk in fks)
            raise self.fail(
                f"{child.name} has {len(fks)} foreign keys to {parent.name} ({keys}); "
                "name one in 'via'"
            )
        return fks[0]

    def expression(self, text: str, table: "Table") -> tuple[Node, str]:
        """``text`` parsed with canonical column names of ``table``, and its family."""
        try:
            node = parse(text)
        except ExpressionError as exc:
            raise self.fail(f"expression {text!r}: {exc}") from None

        def canon(node: Node) -> Node:
            if isinstance(node, ColumnRef):
                if node.table is not None and node.table.lower() != table.name.lower():
                    raise self.fail(
                        f"expression {text!r} reads {node.table}.{node.name}, but only "
                        f"columns of {table.name} can be read here"
                    )
                return ColumnRef(self.column_of(table, node.name).name)
            if isinstance(node, Binary):
                return Binary(node.op, canon(node.left), canon(node.right))
            if isinstance(node, Negate):
                return Negate(canon(node.operand))
            if isinstance(node, Call):
                return Call(node.name, tuple(canon(a) for a in node.args))
            return node

        node = canon(node)
        try:
            kind = family(node, lambda ref: family_of(self.column_of(table, ref.name)))
        except ExpressionError as exc:
            raise self.fail(f"expression {text!r}: {exc}") from None
        return node, kind

    def fits(self, kind: str, what: str) -> None:
        target = family_of(self.column)
        if kind == target or (target == TEXT and kind in (NUMBER, TEMPORAL, BOOLEAN, TEXT)):
            return
        raise self.fail(
            f"{what} gives {kind} values, which a {self.column.type.raw} column cannot hold"
        )

    # -- kinds ------------------------------------------------------------------------------
    def resolve(self) -> Derivation:
        return {
            RuleKind.LOOKUP: self.lookup,
            RuleKind.AGGREGATE: self.aggregate,
            RuleKind.EXPRESSION: self.own_expression,
            RuleKind.AFTER: self.after,
            RuleKind.GEO: lambda: _geo(self),
        }[self.rule.kind]()

    def parent_column(self, ref: str) -> tuple["Table", "ForeignKey", "Column"]:
        table_name, column_name = self.split(ref)
        if table_name is None or column_name is None:
            raise self.fail(f"ref {ref!r} must name a parent's column: parent_table.column")
        parent = _find_table(self.experiment, table_name)
        if parent is None:
            raise self.fail(f"ref {ref!r} names unknown table {table_name}")
        fk = self.link(self.table, parent)
        return parent, fk, self.column_of(parent, column_name)

    def lookup(self) -> Derivation:
        assert self.rule.ref is not None
        parent, fk, source = self.parent_column(self.rule.ref)
        what = f"{parent.name}.{source.name} ({source.type.raw})"
        if family_of(source) == OTHER or family_of(self.column) == OTHER:
            if source.type.kind != self.column.type.kind:
                raise self.fail(f"{what} cannot be stored in a {self.column.type.raw} column")
        else:
            self.fits(family_of(source), what)
        if self.rule.noise and family_of(source) != NUMBER:
            raise self.fail(f"noise applies to numbers, but {what} is not a number")
        return Derivation(self.table.name, self.column.name, RuleKind.LOOKUP, parent=parent.name,
                          link=fk, source=source.name, inputs=((parent.name, source.name),))  # fmt: skip

    def aggregate(self) -> Derivation:
        assert self.rule.ref is not None
        assert self.rule.function is not None
        function = self.rule.function
        table_name, column_name = self.split(self.rule.ref)
        child = _find_table(self.experiment, table_name or column_name or "")
        if child is None:
            raise self.fail(f"ref {self.rule.ref!r} names no table")
        if child.name == self.table.name:
            raise self.fail("an aggregate reads child rows of another table, not its own rows")
        fk = self.link(child, self.table)
        if child.primary_key == fk.columns or any(u.columns == fk.columns for u in child.unique):
            raise self.fail(
                f"{child.name}'s foreign key ({', '.join(fk.columns)}) is unique: each row of "
                f"{self.table.name} has at most one {child.name} row, so there is nothing to "
                "aggregate; use a lookup from the child instead"
            )
        source, node, kind = None, None, None
        if table_name is not None and column_name is not None:
            if self.rule.expression:
                raise self.fail("give either ref child_table.column or expression, not both")
            source = self.column_of(child, column_name).name
            kind = family_of(self.column_of(child, source))
        elif self.rule.expression:
            node, kind = self.expression(self.rule.expression, child)
        elif function != AggregateFunction.COUNT:
            raise self.fail(
                f"{function.value} needs a child column (ref {child.name}.column) or an expression"
            )
        if function == AggregateFunction.COUNT:
            self.fits(NUMBER, "count")
        elif function == AggregateFunction.SUM and kind != NUMBER:
            raise self.fail(f"sum needs numbers, but the child values are {kind}")
        elif kind not in (NUMBER, TEMPORAL):
            raise self.fail(f"{function.value} needs numbers or dates, not {kind} values")
        else:
            self.fits(kind, f"{function.value} over {child.name}")
        reads = [source] if source else [r.name for r in _refs(node)]
        return Derivation(
            self.table.name, self.column.name, RuleKind.AGGREGATE, child=child.name, link=fk,
            source=source, expression=node, function=function,
            inputs=tuple((child.name, c) for c in reads),
        )  # fmt: skip

    def own_expression(self) -> Derivation:
        assert self.rule.expression is not None
        node, kind = self.expression(self.rule.expression, self.table)
        self.fits(kind, f"expression {self.rule.expression!r}")
        inputs = tuple((self.table.name, r.name) for r in _refs(node))
        return Derivation(self.table.name, self.column.name, RuleKind.EXPRESSION,
                          expression=node, inputs=inputs)  # fmt: skip

    def after(self) -> Derivation:
        assert self.rule.ref is not None
        if family_of(self.column) != TEMPORAL:
            raise self.fail(f"only a date or timestamp can come after another; "
                            f"the column is {self.column.type.raw}")  # fmt: skip
        if (
            self.rule.distribution is not None
            and self.rule.distribution not in OFFSET_DISTRIBUTIONS
        ):
            allowed = ", ".join(d.value for d in OFFSET_DISTRIBUTIONS)
            raise self.fail(
                f"offsets must not be negative, so a {self.rule.distribution.value} offset is "
                f"refused (use {allowed})"
            )
        if self.rule.params.get("low", 0) < 0:
            raise self.fail("offsets must not be negative (params low < 0)")
        table_name, column_name = self.split(self.rule.ref)
        parent, fk = None, None
        if table_name is None:
            source = self.column_of(self.table, column_name or "")
        else:
            parent, fk, source = self.parent_column(self.rule.ref)
        if family_of(source) != TEMPORAL:
            raise self.fail(f"ref {self.rule.ref} is {source.type.raw}, not a date or timestamp")
        owner = parent.name if parent is not None else self.table.name
        return Derivation(self.table.name, self.column.name, RuleKind.AFTER,
                          parent=owner if parent is not None else None, link=fk,
                          source=source.name, inputs=((owner, source.name),))  # fmt: skip


def _refs(node: Node | None) -> list[ColumnRef]:
    from dwsim_shared.contracts.expressions import column_refs

    return column_refs(node) if node is not None else []


def _geo(resolver: _Resolver) -> Derivation:
    from dwsim_shared.contracts.geo_ref import resolve_geo

    return resolve_geo(resolver)


def resolve(experiment: "Experiment", table: "Table", column: "Column") -> Derivation:
    """The resolved rule of a derived column; raises ``DerivedRuleError`` naming what is wrong."""
    resolver = _Resolver(experiment, table, column)
    _check_not_key(experiment, table, column, resolver)
    return resolver.resolve()


def _check_not_key(experiment: "Experiment", table: "Table", column: "Column", resolver) -> None:  # type: ignore[no-untyped-def]
    """Keys are built from the row index; a derived column can be one only as a unique email."""
    name = column.name
    for fk in table.foreign_keys:  # a geo rule on a key: its row follows the group's place
        if name in fk.columns and column.rule.kind != RuleKind.GEO:  # type: ignore[union-attr]
            raise resolver.fail(
                f"{name} is a foreign-key column: its values are {fk.references_table}'s keys"
            )
    for other in experiment.tables:
        for fk in other.foreign_keys:
            refs = [c.lower() for c in fk.references_columns]
            if fk.references_table.lower() == table.name.lower() and name.lower() in refs:
                raise resolver.fail(f"{other.name} has a foreign key referencing {name}")
    groups = ([table.primary_key] if table.primary_key else []) + [u.columns for u in table.unique]
    keyed = [g for g in groups if name in g]
    assert column.rule is not None
    if not keyed and not column.rule.unique:
        return
    single = all(g == [name] for g in keyed)
    email = (
        column.rule.kind == RuleKind.EXPRESSION
        and column.rule.expression is not None
        and _email(column.rule.expression)
    )
    if not (single and email):
        raise resolver.fail(
            "a derived column cannot be unique or part of a key (only a unique email(...) "
            "expression can: it adds a row code)"
        )


def _email(text: str) -> bool:
    try:
        return uses_email(parse(text))
    except ExpressionError:
        return False


def resolve_all(experiment: "Experiment") -> dict[tuple[str, str], Derivation]:
    """Every derived column of the experiment, resolved; raises on any problem or cycle."""
    out: dict[tuple[str, str], Derivation] = {}
    for table in experiment.tables:
        for column in table.columns:
            if is_derived(column):
                out[(table.name, column.name)] = resolve(experiment, table, column)
    _check_cycles(out)
    return out


def _check_cycles(derived: dict[tuple[str, str], Derivation]) -> None:
    state: dict[tuple[str, str], int] = {}
    stack: list[tuple[str, str]] = []

    def visit(node: tuple[str, str]) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in derived[node].inputs:
            if nxt not in derived:
                continue
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt]
                raise DerivedRuleError(
                    "derived columns form a cycle: "
                    + " -> ".join(f"{t}.{c}" for t, c in cycle)
                    + " (each needs the next to be computed first; make one of them a plain rule)"
                )
            if state.get(nxt) is None:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in derived:
        if state.get(node) is None:
            visit(node)


def check_derived(experiment: "Experiment") -> None:
    """Raise ``DerivedRuleError`` for the first derived rule that cannot be computed."""
    resolve_all(experiment)
