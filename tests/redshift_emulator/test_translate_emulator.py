"""A few corpus cases end to end: psycopg2 -> the Redshift emulator -> PostgreSQL."""

import uuid

import pytest

from tests.redshift_emulator.corpus import Case, all_cases
from tests.redshift_emulator.test_translate_corpus import _normalise

psycopg2 = pytest.importorskip("psycopg2")

THROUGH_THE_WIRE = {
    "datediff-year-0",
    "datediff-m-23",
    "dateadd-month-end",
    "trunc-timestamp-is-date-trunc-number-is-numeric",
    "listagg-within-group",
    "qualify-keeps-outer-order",
    "partiql-qualified-and-cast",
    "ddl-attributes-accepted",
    "temp-tables",
    "set-query-group-and-show",
    "maintenance-statements-accepted",
    "system-relations",
    "pivot",
    "partiql-unnest-with-index",
    "avg-keeps-the-argument-type",
    "stored-procedure-body-is-translated",
    "lateral-alias-in-where",
}
CASES = [case for case in all_cases() if case.id in THROUGH_THE_WIRE]


def test_every_chosen_case_exists() -> None:
    assert {case.id for case in CASES} == THROUGH_THE_WIRE


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_case_through_the_emulator(redshift_emulator, case: Case) -> None:
    conn = psycopg2.connect(redshift_emulator.dsn)
    schema = f"wire_{uuid.uuid4().hex[:8]}"
    try:
        with conn.cursor() as cur:
            cur.execute(f'CREATE SCHEMA "{schema}"')
            cur.execute(f'SET search_path TO "{schema}"')
            for statement in case.statements(schema):
                cur.execute(statement)
            rows = [tuple(_normalise(v) for v in row) for row in cur.fetchall()]
    finally:
        conn.rollback()
        conn.close()
    assert rows == [tuple(_normalise(v) for v in row) for row in case.rows], case.source
