"""The fidelity corpus (corpus/*.yaml): each statement's values and result types as Snowflake
documents them, run on the emulator. See corpus/runner.py for the file format."""

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from tests.snowflake_emulator.corpus.runner import check, load_files

FILES = load_files()


@pytest.fixture(scope="module")
def corpus_databases(snowflake_emulator) -> Iterator[dict[str, Any]]:
    """One database per corpus file, set up once; dropped at the end."""
    connections: dict[str, Any] = {}
    try:
        for name, data in FILES.items():
            database = f"CORPUS_{uuid.uuid4().hex[:8].upper()}"
            conn = snowflake_emulator.connect(database=database, schema="PUBLIC")
            connections[name] = (conn, database)
            for statement in data.get("setup", []):
                conn.cursor().execute(statement)
        yield {name: conn for name, (conn, _) in connections.items()}
    finally:
        for conn, database in connections.values():
            conn.cursor().execute(f"DROP DATABASE IF EXISTS {database}")
            conn.close()


@pytest.mark.parametrize(
    ("file", "case"),
    [
        pytest.param(name, case, id=f"{name}/{case['id']}")
        for name, data in FILES.items()
        for case in data["cases"]
    ],
)
def test_emulator_answers_as_snowflake(corpus_databases, file, case):
    problem = check(corpus_databases[file].cursor(), case)
    assert problem is None, problem
