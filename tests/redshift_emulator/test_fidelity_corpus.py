"""The fidelity corpus (corpus/*.yaml): Redshift SQL with the values AND result column types
the Redshift documentation gives, run through the emulator's wire protocol.

Each case: ``id``, ``source`` (the documentation page), optional ``setup`` statements, ``sql``,
then ``rows`` and ``types`` (format_type names; ``~`` skips a column, "numeric" alone checks
the base type) or ``error`` (a substring of the message). ``known_gap`` marks a difference the
emulator still has: the test fails if such a case starts passing, so the list stays true.
Run with -s to see the pass rate.
"""

import datetime as dt
import uuid
from decimal import Decimal
from pathlib import Path

import psycopg2
import pytest
import yaml

from tests.fixtures.redshift import RedshiftEmulator

CORPUS = Path(__file__).parent / "corpus"
_TYPES = {
    16: "boolean",
    20: "bigint",
    21: "smallint",
    23: "integer",
    25: "text",
    700: "real",
    701: "double precision",
    1042: "character",
    1043: "character varying",
    1082: "date",
    1114: "timestamp without time zone",
    1184: "timestamp with time zone",
    1700: "numeric",
    3802: "jsonb",
}


def load_cases() -> list[dict]:
    cases = []
    for path in sorted(CORPUS.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text()):
            case["file"] = path.name
            cases.append(case)
    return cases


def _type_name(column) -> str:
    name = _TYPES.get(column.type_code, str(column.type_code))
    if name == "numeric" and column.precision not in (None, 0, 65535):  # 65535: no typmod
        return f"numeric({column.precision},{column.scale})"
    return name


def _same_type(expected: str | None, actual: str) -> bool:
    if expected is None:
        return True
    return actual == expected or ("(" not in expected and actual.split("(")[0] == expected)


def _same_value(expected: object, actual: object) -> bool:
    if isinstance(actual, Decimal):
        return expected is not None and actual == Decimal(str(expected))
    if isinstance(actual, dt.date | dt.datetime):
        return str(actual) == str(expected)
    if isinstance(actual, float) and isinstance(expected, int | float):
        return abs(actual - expected) < 1e-9
    return actual == expected


def run_case(dsn: str, case: dict) -> str | None:
    """None when the emulator gives what Redshift gives, else what differs."""
    schema = f"fid_{uuid.uuid4().hex[:8]}"
    conn = psycopg2.connect(dsn)
    try:
        with conn.cursor() as cur:
            cur.execute(f"CREATE SCHEMA {schema}")
            cur.execute(f"SET search_path TO {schema}")
            for statement in case.get("setup", []):
                cur.execute(statement.replace("{schema}", schema))
            try:
                cur.execute(case["sql"].replace("{schema}", schema))
            except psycopg2.Error as exc:
                if "error" in case and case["error"] in str(exc):
                    return None
                return f"error: {str(exc).strip()}"
            if "error" in case:
                return f"no error, expected {case['error']!r}"
            rows = [list(r) for r in cur.fetchall()]
            types = [_type_name(c) for c in cur.description]
        wanted_types = case.get("types", [None] * len(types))
        if len(wanted_types) != len(types) or not all(
            _same_type(w, a) for w, a in zip(wanted_types, types, strict=True)
        ):
            return f"types {types}, expected {wanted_types}"
        wanted = case["rows"]
        same = len(rows) == len(wanted) and all(
            len(r) == len(w) and all(_same_value(x, y) for x, y in zip(w, r, strict=True))
            for r, w in zip(rows, wanted, strict=True)
        )
        return None if same else f"rows {rows}, expected {wanted}"
    finally:
        conn.rollback()
        with conn.cursor() as cur:  # a case that committed (TRUNCATE does) leaves its schema
            cur.execute(f"DROP SCHEMA IF EXISTS {schema} CASCADE")
        conn.commit()
        conn.close()


def test_fidelity_corpus(redshift_emulator: RedshiftEmulator) -> None:
    cases = load_cases()
    outcomes = {c["id"]: run_case(redshift_emulator.dsn, c) for c in cases}
    passed = sum(1 for v in outcomes.values() if v is None)
    print(f"\nfidelity corpus: {passed}/{len(cases)} cases pass ({100 * passed / len(cases):.0f}%)")
    for case in cases:
        if outcomes[case["id"]] is not None:
            print(f"  {case['file']} {case['id']}: {outcomes[case['id']]}")
    unexpected = {
        c["id"]: outcomes[c["id"]] for c in cases if outcomes[c["id"]] and "known_gap" not in c
    }
    closed = [c["id"] for c in cases if "known_gap" in c and outcomes[c["id"]] is None]
    assert not unexpected, f"cases where the emulator differs from Redshift: {unexpected}"
    assert not closed, f"known gaps that pass now (drop their known_gap): {closed}"


@pytest.mark.parametrize("case", load_cases(), ids=lambda c: c["id"])
def test_case_is_well_formed(case: dict) -> None:
    assert {"id", "source", "sql"} <= set(case)
    assert ("rows" in case) != ("error" in case)
    assert case["source"].startswith("https://docs.aws.amazon.com/redshift/")
