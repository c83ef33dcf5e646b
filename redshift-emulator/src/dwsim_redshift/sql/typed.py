"""Result types the translator cannot know alone: typed slots in the translated text.

Redshift declares SUM/AVG of a DECIMAL(p, s) as NUMERIC(38, s); PostgreSQL says NUMERIC with no
precision, and no SQL expression can carry a scale it reads from another one. So the translator
marks each such result as a slot and adds a probe: a statement that selects the slot's argument
from the same FROM list, which PostgreSQL can describe (Parse + Describe, nothing runs). An
argument computed with + - * (``sum(a * 2)``) is probed by its operands instead, with a formula
(sql/decimal_scale.py) that gives the scale Redshift computes for it. The relay
(dwsim_redshift.relay.result_types) describes the probes on the client's backend session, then
render() casts each slot whose argument is a DECIMAL of scale s to NUMERIC(38, s) and leaves the
others as they are.

In the translated text a slot is ``\\0{n}\\1 ... \\0{n}\\2`` and each statement's probes follow it
as ``\\0\\3{json}\\0\\4``. A NUL byte can never be part of a PostgreSQL statement, so these marks
cannot clash with the SQL; strip() (or render() without types) gives the plain statement.
"""

import json
import re
from dataclasses import dataclass

from sqlglot import exp
from sqlglot.dialects.postgres import Postgres

from dwsim_redshift.sql.decimal_scale import Formula, numeric38

_TRAILER = re.compile(r"\x00\x03(.*?)\x00\x04", re.DOTALL)
_MARK = re.compile(r"\x00(\d+)[\x01\x02]")


class TypedSlot(exp.Expression):
    """A result whose declared type the relay settles once it knows its argument's type."""

    arg_types = {"this": True, "slot": True}


class PostgresTarget(Postgres):
    """PostgreSQL as the translator writes it: sqlglot's, plus typed slots as marks."""

    class Generator(Postgres.Generator):
        TRANSFORMS = {
            **Postgres.Generator.TRANSFORMS,
            TypedSlot: lambda self, e: (
                f"\x00{e.args['slot']}\x01{self.sql(e, 'this')}\x00{e.args['slot']}\x02"
            ),
        }


@dataclass(frozen=True)
class Probe:
    """A statement selecting the arguments of some slots: one column per slot, in order, or
    (with ``formulas``, one per slot) the operands each slot's formula names by position."""

    sql: str
    slots: tuple[int, ...]
    formulas: tuple[Formula, ...] = ()

    def slot_formulas(self) -> tuple[Formula, ...]:
        return self.formulas or tuple(["col", i] for i in range(len(self.slots)))


def trailer(probes: list[Probe]) -> str:
    payload = [{"sql": p.sql, "slots": list(p.slots), "formulas": list(p.formulas)} for p in probes]
    return f"\x00\x03{json.dumps(payload)}\x00\x04"


def has_slots(text: str) -> bool:
    return "\x00" in text


def strip(text: str) -> str:
    """The statement with every slot left as PostgreSQL types it."""
    if "\x00" not in text:
        return text
    return _MARK.sub("", _TRAILER.sub("", text))


def probes(text: str) -> list[list[Probe]]:
    """The probes of each statement of ``text`` that has slots, in order."""
    return [_probes_of(m.group(1)) for m in _TRAILER.finditer(text)]


def _probes_of(payload: str) -> list[Probe]:
    return [
        Probe(p["sql"], tuple(p["slots"]), tuple(p.get("formulas", ())))
        for p in json.loads(payload)
    ]


Described = list[tuple[int, int]] | None
"""A probe's columns as (type OID, type modifier), or None if it could not be described."""


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
        casts: dict[int, str] = {}
        for probe, columns in zip(_probes_of(match.group(1)), found, strict=False):
            if columns is None:
                continue
            for slot, formula in zip(probe.slots, probe.slot_formulas(), strict=False):
                if (cast := numeric38(formula, columns)) is not None:
                    casts[slot] = cast
        out.append(_fill(segment, casts))
    out.append(_fill(text[pos:], {}))
    return "".join(out)


def _fill(segment: str, casts: dict[int, str]) -> str:
    def mark(m: re.Match[str]) -> str:
        slot = int(m.group(1))
        if slot not in casts:
            return ""
        return "CAST(" if m.group(0)[-1] == "\x01" else f" AS {casts[slot]})"

    return _MARK.sub(mark, segment)
