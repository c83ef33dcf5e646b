"""Result types the translator cannot know alone: typed slots in the translated text.

Redshift declares SUM/AVG of a DECIMAL(p, s) as NUMERIC(38, s), and a computed DECIMAL
(``a * b``, ``a / b``) as the NUMERIC(p, s) its rules give; PostgreSQL says NUMERIC with no
precision, and no SQL expression can carry a scale it reads from another one. So the translator
marks each such result as a slot and adds a probe: a statement that selects the slot's argument
from the same FROM list, which PostgreSQL can describe (Parse + Describe, nothing runs). An
argument computed with + - * / is probed by its operands instead, with a formula
(sql/decimal_scale.py) that gives the precision and scale Redshift computes for it. The relay
(dwsim_redshift.relay.result_types) describes the probes on the client's backend session, then
render() settles each slot by its kind (SlotKind) and leaves those it cannot type as they are.

In the translated text a slot is ``\\0{n}\\1 ... \\0{n}\\2``; a division slot also marks where
its divisor starts, ``\\0{n}\\1 a \\0{n}\\5 b \\0{n}\\2`` (plain: ``a / b``). Each statement's
probes follow it as ``\\0\\3{json}\\0\\4``. A NUL byte can never be part of a PostgreSQL
statement, so these marks cannot clash with the SQL; strip() (or render() without types) gives
the plain statement.
"""

import json
import re
from dataclasses import dataclass
from enum import StrEnum

from sqlglot import exp
from sqlglot.dialects.postgres import Postgres

from dwsim_redshift.sql.decimal_scale import Formula, declared, numeric38

_TRAILER = re.compile(r"\x00\x03(.*?)\x00\x04", re.DOTALL)
_MARK = re.compile(r"\x00(\d+)([\x01\x02\x05])")
_OPEN, _CLOSE, _DIVISOR = "\x01", "\x02", "\x05"


class SlotKind(StrEnum):
    """How a slot is settled: SUM/AVG as NUMERIC(38, s); a computed DECIMAL cast to its
    NUMERIC(p, s); a division computed at Redshift's scale (rounded there), then cast."""

    SUM = "sum"
    CAST = "cast"
    DIVISION = "div"


class TypedSlot(exp.Expression):
    """A result whose declared type the relay settles once it knows its argument's type."""

    arg_types = {"this": True, "slot": True, "kind": False}


def _slot_sql(self: Postgres.Generator, e: TypedSlot) -> str:
    slot = e.args["slot"]
    if e.args.get("kind") == SlotKind.DIVISION:
        div = e.this
        return (
            f"\x00{slot}{_OPEN}{self.sql(div, 'this')}\x00{slot}{_DIVISOR}"
            f"{self.sql(div, 'expression')}\x00{slot}{_CLOSE}"
        )
    return f"\x00{slot}{_OPEN}{self.sql(e, 'this')}\x00{slot}{_CLOSE}"


class PostgresTarget(Postgres):
    """PostgreSQL as the translator writes it: sqlglot's, plus typed slots as marks."""

    class Generator(Postgres.Generator):
        TRANSFORMS = {**Postgres.Generator.TRANSFORMS, TypedSlot: _slot_sql}


@dataclass(frozen=True)
class Probe:
    """A statement selecting the arguments of some slots: one column per slot, in order, or
    (with ``formulas``, one per slot) the operands each slot's formula names by position.
    ``kinds`` (one per slot) says how each is settled: SUM for all when empty."""

    sql: str
    slots: tuple[int, ...]
    formulas: tuple[Formula, ...] = ()
    kinds: tuple[str, ...] = ()

    def slot_formulas(self) -> tuple[Formula, ...]:
        return self.formulas or tuple(["col", i] for i in range(len(self.slots)))

    def slot_kinds(self) -> tuple[str, ...]:
        return self.kinds or (SlotKind.SUM,) * len(self.slots)


def trailer(probes: list[Probe]) -> str:
    payload = [
        {"sql": p.sql, "slots": list(p.slots), "formulas": list(p.formulas), "kinds": list(p.kinds)}
        for p in probes
    ]
    return f"\x00\x03{json.dumps(payload)}\x00\x04"


def has_slots(text: str) -> bool:
    return "\x00" in text


def strip(text: str) -> str:
    """The statement with every slot left as PostgreSQL types it."""
    if "\x00" not in text:
        return text
    return _fill(_TRAILER.sub("", text), {})


def probes(text: str) -> list[list[Probe]]:
    """The probes of each statement of ``text`` that has slots, in order."""
    return [_probes_of(m.group(1)) for m in _TRAILER.finditer(text)]


def _probes_of(payload: str) -> list[Probe]:
    return [
        Probe(
            p["sql"],
            tuple(p["slots"]),
            tuple(p.get("formulas", ())),
            tuple(p.get("kinds", ())),
        )
        for p in json.loads(payload)
    ]


Described = list[tuple[int, int]] | None
"""A probe's columns as (type OID, type modifier), or None if it could not be described."""

_Settled = tuple[str, str, str]
"""What a settled slot's open, divisor and close marks become."""


def _settle(kind: str, formula: Formula, columns: list[tuple[int, int]]) -> _Settled | None:
    if kind == SlotKind.SUM:
        cast = numeric38(formula, columns)
        return None if cast is None else ("CAST(", "", f" AS {cast})")
    found = declared(formula, columns)
    if found is None:
        return None
    precision, scale = found
    if kind == SlotKind.DIVISION:
        return (
            "CAST(dwsim_rs.decimal_div(",
            ", ",
            f", {scale}) AS NUMERIC({precision}, {scale}))",
        )
    return ("CAST(", "", f" AS NUMERIC({precision}, {scale}))")


def render(text: str, described: list[list[Described]]) -> str:
    """``text`` with slots cast to Redshift's declared type where the probes tell it.

    ``described`` holds, for each statement with slots (in order), what each of its probes
    described to (or None where the probe failed or was not run)."""
    out = []
    pos = 0
    for index, match in enumerate(_TRAILER.finditer(text)):
        segment = text[pos : match.start()]
        pos = match.end()
        found = described[index] if index < len(described) else []
        settled: dict[int, _Settled] = {}
        for probe, columns in zip(_probes_of(match.group(1)), found, strict=False):
            if columns is None:
                continue
            slots = zip(probe.slots, probe.slot_formulas(), probe.slot_kinds(), strict=False)
            for slot, formula, kind in slots:
                if (marks := _settle(kind, formula, columns)) is not None:
                    settled[slot] = marks
        out.append(_fill(segment, settled))
    out.append(_fill(text[pos:], {}))
    return "".join(out)


_PLAIN = {_OPEN: "", _DIVISOR: " / ", _CLOSE: ""}


def _fill(segment: str, settled: dict[int, _Settled]) -> str:
    def mark(m: re.Match[str]) -> str:
        marks = settled.get(int(m.group(1)))
        if marks is None:
            return _PLAIN[m.group(2)]
        return marks[(_OPEN, _DIVISOR, _CLOSE).index(m.group(2))]

    return _MARK.sub(mark, segment)
