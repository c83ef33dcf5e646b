"""Each corpus case translated and run on the real PostgreSQL, rows compared with Redshift's."""

import uuid
from collections.abc import Iterator
from decimal import Decimal

import pytest

from dwsim_redshift.sql import HELPER_SQL, translate
from tests.redshift_emulator.corpus import Case, all_cases

psycopg2 = pytest.importorskip("psycopg2")


@pytest.fixture(scope="module")
def backend(postgres_url: str) -> Iterator:
    """One connection for the whole corpus: helpers installed once, each case rolled back."""
    installer = psycopg2.connect(postgres_url)
    installer.autocommit = True
    with installer.cursor() as cur:
        cur.execute(HELPER_SQL)
    installer.close()
    # A session opened after the install, as the emulator's clients are (setting defaults).
    conn = psycopg2.connect(postgres_url)
    conn.autocommit = True
    schema = f"corpus_{uuid.uuid4().hex[:8]}"
    with conn.cursor() as cur:
        cur.execute(f'CREATE SCHEMA "{schema}"')
    conn.autocommit = False
    with conn.cursor() as cur:
        cur.execute(f"SET search_path TO \"{schema}\"; SET TIME ZONE 'UTC'")
    conn.commit()
    try:
        yield conn, schema
    finally:
        conn.rollback()
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(f'DROP SCHEMA "{schema}" CASCADE')
        conn.close()


def _normalise(value: object) -> object:
    """Compare numbers by value (Redshift's docs print 111.8, PostgreSQL returns Decimal)."""
    if isinstance(value, Decimal | float) and not isinstance(value, bool):
        return round(float(value), 9)
    return value


def _run(conn, schema: str, case: Case) -> list[tuple]:
    with conn.cursor() as cur:
        for statement in case.statements(schema):
            cur.execute(translate(statement))
        return [tuple(_normalise(v) for v in row) for row in cur.fetchall()]


@pytest.mark.parametrize("case", all_cases(), ids=lambda c: c.id)
def test_case_gives_redshift_rows(backend, case: Case) -> None:
    conn, schema = backend
    try:
        rows = _run(conn, schema, case)
    finally:
        conn.rollback()
    expected = [tuple(_normalise(v) for v in row) for row in case.rows]
    assert rows == expected, f"{case.id} ({case.source}): {translate(case.sql)}"
