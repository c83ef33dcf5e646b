"""Hostile input through ``POST /api/experiments`` of the running stack: each case is refused
with a 4xx whose message names what was wrong, and nothing is written anywhere: no new
experiment in the metadata service, no S3 object under ``experiments/``, no schema in the
Redshift emulator's database, no SQLite warehouse file. The workers are running, so an
experiment wrongly accepted would be materialized, and seen.
"""

import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.e2e.helpers import wait_job

pytestmark = pytest.mark.slow

COLUMNS = [{"name": "id", "type": "bigint"}]
TWENTY_MB = 20 * 1024 * 1024


def _ddl(text: str, warehouse: str = "redshift") -> dict[str, Any]:
    return {"ddl": text, "dialect": "redshift", "warehouse": warehouse}


def _table(**fields: Any) -> dict[str, Any]:
    """An experiment JSON of one table ``t`` (``id bigint``) with ``fields`` over it."""
    return {"schema": {"tables": [{"name": "t", "columns": COLUMNS, **fields}]}}


def _rule(**rule: Any) -> dict[str, Any]:
    return _table(columns=[{"name": "id", "type": "bigint", "rule": rule}])


# (case, body: JSON fields or raw bytes, status, words the detail must hold). A body without
# "name" gets a fresh one; "{existing}" in a name is the experiment the module made first.
CASES: list[tuple[str, dict[str, Any] | bytes, int, str]] = [
    # malformed DDL
    ("unclosed paren", _ddl("CREATE TABLE t (\n  id INT,\n  x VARCHAR(\n);"), 400, "line 4, column 2"),
    ("no create table", _ddl("DROP TABLE users; --"), 400, "no CREATE TABLE statement"),
    ("empty ddl", _ddl(""), 400, "the DDL is empty"),
    ("binary garbage", _ddl("\x00\x01\x02 \u2603\u2603"), 400, "no CREATE TABLE statement"),
    ("semicolon inside columns", _ddl("CREATE TABLE t (id INT; DROP TABLE x);"), 400, "never closed"),
    # hostile identifiers
    ("quote in table name", _ddl('CREATE TABLE "t""; DROP SCHEMA public; --" (id INT);'), 400, "contains the character '\"'"),
    ("quote in experiment name", {"name": 'e"; DROP SCHEMA public; --', **_ddl("CREATE TABLE t (id INT);")}, 422, "contains the character '\"'"),
    ("bidi override in experiment name", {"name": "invoice\u202etxt", **_ddl("CREATE TABLE t (id INT);")}, 422, "U+202E"),
    ("zero-width space in table name", _ddl('CREATE TABLE "cust\u200bomers" (id INT);'), 400, "U+200B"),
    ("experiment name of dots", {"name": "..", **_ddl("CREATE TABLE t (id INT);")}, 422, "only dots"),
    ("200-character experiment name", {"name": "e" * 200, **_ddl("CREATE TABLE t (id INT);")}, 422, "200 characters long; the limit is 127"),
    ("200-character table name", _ddl(f"CREATE TABLE {'t' * 200} (id INT);"), 400, "200 characters long"),
    ("200-character column name", _ddl(f"CREATE TABLE t ({'c' * 200} INT);"), 400, "200 characters long"),
    ("tables differing in case", _ddl("CREATE TABLE Orders (id INT);\nCREATE TABLE orders (id INT);"), 400, "declared twice"),
    ("columns differing in case", _ddl("CREATE TABLE t (Id INT, id INT);"), 400, "declared twice"),
    ("reserved word as a column name", _ddl("CREATE TABLE t (\n  id INT,\n  from INT\n);"), 400, 'line 3, column 3: from is a reserved word in Redshift and cannot be an unquoted column name (in table t); double-quote it ("from")'),
    ("reserved word as a table name", _ddl("CREATE TABLE select (id INT);"), 400, "select is a reserved word in Redshift"),
    ("experiment name differing in case", {"name": "{existing_upper}", **_ddl("CREATE TABLE t (id INT);")}, 409, "differs only in case"),
    # absurd row counts
    ("negative rows", _table(rows=-5), 422, "greater than or equal to 0"),
    ("10^15 rows", _table(rows=10**15), 400, "DWSIM_MAX_ROWS"),
    ("10^30 rows", _table(rows=10**30), 400, "DWSIM_MAX_ROWS"),
    ("rows not a number", _table(rows="many"), 422, "valid integer"),
    # invalid rules and types
    ("unknown rule kind", _rule(kind="nonsense"), 422, "Input should be 'faker'"),
    ("range min above max", _rule(kind="range", min=10, max=1), 422, "'min' (10) is above its 'max' (1)"),
    ("null ratio of 2", _rule(kind="sequence", null_ratio=2), 422, "less than or equal to 1"),
    ("faker rule without provider", _rule(kind="faker"), 422, "needs 'provider'"),
    ("unparseable type", _table(columns=[{"name": "id", "type": "nonsense(3,"}]), 422, "cannot parse type"),
    ("no tables", {"schema": {"tables": []}}, 422, "at least 1 item"),
    # payloads
    ("20 MB of DDL", b'{"name": "big", "dialect": "redshift", "ddl": "' + b"-" * TWENTY_MB + b'"}', 413, "DWSIM_MAX_BODY_MB"),
    ("not JSON", b'{"name": "x", "ddl', 422, "JSON decode error"),
    ("JSON nested 50,000 levels", b'{"name": "deep", "ddl": ' + b"[" * 50_000 + b"]" * 50_000 + b"}", 422, "nested too deeply: arrays and objects more than 100 levels deep"),
    ("ddl and schema both", {**_ddl("CREATE TABLE t (id INT);"), "schema": {}}, 422, "not both or neither"),
    ("unknown warehouse", {**_ddl("CREATE TABLE t (id INT);"), "warehouse": "oracle"}, 422, "'redshift', 'snowflake' or 'sqlite'"),
]  # fmt: skip


@pytest.fixture(scope="module")
def existing(stack) -> str:
    """An experiment made before the cases (on SQLite: cheap), its tables created."""
    name = f"Existing_{uuid.uuid4().hex[:8]}"
    with stack.client() as http:
        body = {"name": name, **_ddl("CREATE TABLE t (id INT);", warehouse="sqlite")}
        response = http.post("/api/experiments", json=body)
        assert response.status_code == 201, response.text
        assert wait_job(http, response.headers["X-Job-Id"])["status"] == "succeeded"
    return name


def _written(stack) -> dict[str, set[str]]:
    """What the stack holds: experiments, staged S3 keys, warehouse schemas and files."""
    import psycopg2

    from dwsim_shared.s3 import s3_client

    with stack.client() as http:
        experiments = {e["name"] for e in http.get("/api/experiments").json()}
    settings = stack.settings
    pages = s3_client(settings).get_paginator("list_objects_v2")
    keys = {
        o["Key"]
        for page in pages.paginate(Bucket=settings.s3_bucket, Prefix="experiments/")
        for o in page.get("Contents", [])
    }
    with psycopg2.connect(stack.postgres_url) as conn, conn.cursor() as cur:
        cur.execute("SELECT schema_name FROM information_schema.schemata")
        schemas = {row[0] for row in cur.fetchall()}
    conn.close()
    files = {str(p) for p in Path(stack.data_dir, "sqlite").glob("*")}
    return {"experiments": experiments, "s3": keys, "schemas": schemas, "sqlite": files}


def _request(body: dict[str, Any] | bytes, existing: str) -> dict[str, Any]:
    if isinstance(body, bytes):
        return {"content": body, "headers": {"Content-Type": "application/json"}}
    name = body.get("name", f"bad_{uuid.uuid4().hex[:8]}")
    return {"json": {**body, "name": name.replace("{existing_upper}", existing.upper())}}


def _message(detail: str | list[dict[str, Any]]) -> str:
    """The detail as a user reads it: the message, or each field's path and message."""
    if isinstance(detail, str):
        return detail
    return "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in detail)


@pytest.mark.parametrize(
    ("body", "status", "words"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_hostile_input_is_refused_and_writes_nothing(stack, existing, body, status, words):
    before = _written(stack)
    with stack.client() as http:
        response = http.post("/api/experiments", **_request(body, existing))
    assert response.status_code == status, response.text[:2000]
    assert words in _message(response.json()["detail"]), response.text[:2000]
    assert _written(stack) == before


def test_a_chunked_body_over_the_limit_is_refused_too(stack):
    """No Content-Length to refuse on: the gateway counts the body as it comes."""

    def chunks():
        yield b'{"name": "chunked", "dialect": "redshift", "ddl": "'
        for _ in range(TWENTY_MB // (1024 * 1024)):
            yield b"-" * (1024 * 1024)
        yield b'"}'

    before = _written(stack)
    with httpx.Client(base_url=stack.gateway_url, timeout=60) as http:
        response = http.post(
            "/api/experiments", content=chunks(), headers={"Content-Type": "application/json"}
        )
    assert response.status_code == 413, response.text[:2000]
    assert "DWSIM_MAX_BODY_MB" in response.json()["detail"]
    assert _written(stack) == before
