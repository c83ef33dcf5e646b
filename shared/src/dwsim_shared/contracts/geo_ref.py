"""A geo rule's ``ref``: the parent geo group whose places a group takes, through a foreign
key (resolved like a lookup's ``ref``; see ``derived.py``)."""

from typing import TYPE_CHECKING

from dwsim_shared.contracts.derived import Derivation, _find_table
from dwsim_shared.contracts.enums import RuleKind

if TYPE_CHECKING:
    from dwsim_shared.contracts.derived import _Resolver


def resolve_geo(resolver: "_Resolver") -> Derivation:
    """``ref`` = ``parent_table.column`` (a geo column of the parent group), or the parent
    table alone when it has one geo group."""
    assert resolver.rule.ref is not None
    head, tail = resolver.split(resolver.rule.ref)
    table_name, column_name = (head, tail) if head is not None else (tail, None)
    parent = _find_table(resolver.experiment, table_name or "")
    if parent is None:
        raise resolver.fail(f"ref {resolver.rule.ref!r} names unknown table {table_name}")
    if parent.name == resolver.table.name:
        raise resolver.fail("a geo group takes its places from a parent table, not its own")
    fk = resolver.link(resolver.table, parent)
    geo = [c for c in parent.columns if c.rule is not None and c.rule.kind == RuleKind.GEO]
    if column_name is not None:
        source = resolver.column_of(parent, column_name)
        if source not in geo:
            raise resolver.fail(f"{parent.name}.{source.name} has no geo rule, so no place")
    else:
        groups = list(dict.fromkeys(c.rule.group for c in geo))  # type: ignore[union-attr]
        if len(groups) != 1:
            named = ", ".join(repr(g) if g else "the unnamed one" for g in groups)
            raise resolver.fail(
                f"ref {resolver.rule.ref!r}: {parent.name} has {len(groups)} geo groups"
                + (f" ({named})" if groups else "")
                + "; name one of its geo columns: parent_table.column"
            )
        source = geo[0]
    return Derivation(resolver.table.name, resolver.column.name, RuleKind.GEO, parent=parent.name,
                      link=fk, source=source.name, inputs=((parent.name, source.name),))  # fmt: skip
