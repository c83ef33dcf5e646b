"""The Snowflake emulator survives its clients' faults: malformed requests get an error answer
(HTTP 400 and a message, not a 500 and a traceback), a client gone mid-query or mid-result
costs nothing to the others, many sessions at once are all served."""

import gzip
import json
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.snowflake_emulator import rest_client as rest

_BAD_QUERIES = {
    "not_json": b"{not json",
    "not_an_object": b"[1, 2]",
    "no_sql_text": json.dumps({"sequenceId": 1}).encode(),
    "sql_text_not_text": json.dumps({"sqlText": 42}).encode(),
    "bindings_not_an_object": json.dumps({"sqlText": "SELECT ?", "bindings": [1]}).encode(),
    "binding_without_value": json.dumps(
        {"sqlText": "SELECT ?", "bindings": {"1": {"type": "FIXED"}}}
    ).encode(),
    "binding_not_a_number": json.dumps(
        {"sqlText": "SELECT ?", "bindings": {"1": {"type": "FIXED", "value": "ten"}}}
    ).encode(),
}


def _refused(response: requests.Response) -> dict:
    assert response.status_code == 400, response.text[:500]
    assert "Traceback" not in response.text
    answer = response.json()
    assert answer["success"] is False
    assert answer["message"]
    return answer


@pytest.mark.parametrize("body", _BAD_QUERIES.values(), ids=_BAD_QUERIES.keys())
def test_malformed_query_request_is_refused_and_the_session_goes_on(snowflake_emulator, body):
    token = rest.login(snowflake_emulator)
    try:
        response = requests.post(
            rest.url(snowflake_emulator, rest.QUERY),
            data=body,
            headers={**rest.auth(token), "Content-Type": "application/json"},
            timeout=30,
        )
        _refused(response)
        assert rest.query(snowflake_emulator, token, "SELECT 1")["success"] is True
    finally:
        rest.logout(snowflake_emulator, token)


def test_body_that_is_not_the_gzip_it_claims_is_refused(snowflake_emulator):
    token = rest.login(snowflake_emulator)
    try:
        headers = {**rest.auth(token), "Content-Encoding": "gzip"}
        url = rest.url(snowflake_emulator, rest.QUERY)
        _refused(requests.post(url, data=b"plain text", headers=headers, timeout=30))
        good = gzip.compress(json.dumps({"sqlText": "SELECT 2"}).encode())
        assert requests.post(url, data=good, headers=headers, timeout=30).json()["success"]
    finally:
        rest.logout(snowflake_emulator, token)


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"{}", json.dumps({"data": []}).encode()],
    ids=["not_json", "no_data", "data_not_an_object"],
)
def test_malformed_login_request_is_refused(snowflake_emulator, body):
    response = requests.post(rest.url(snowflake_emulator, rest.LOGIN), data=body, timeout=30)
    _refused(response)
    rest.logout(snowflake_emulator, rest.login(snowflake_emulator))  # logins go on


def test_client_gone_mid_query_lets_the_statement_finish(snowflake_conn, snowflake_emulator):
    # Snowflake runs a statement whose client went away to its end (ABORT_DETACHED_QUERY is
    # FALSE by default)
    token = snowflake_conn.rest.token
    rest.send_and_hang_up(
        snowflake_emulator,
        token,
        "CREATE TABLE detached AS SELECT count(*) AS n FROM range(4000) a, range(4000) b",
    )
    # the session itself is busy until the statement ends: watch from another one
    with snowflake_emulator.connect(database=snowflake_conn.database, schema="PUBLIC") as other:
        cur = other.cursor()
        deadline = time.monotonic() + 20
        while True:
            cur.execute(
                "SELECT count(*) FROM information_schema.tables WHERE table_name = 'DETACHED'"
            )
            if cur.fetchone() == (1,) or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        assert cur.execute("SELECT n FROM detached").fetchall() == [(16_000_000,)]


def test_client_gone_mid_result_costs_nothing_to_the_others(snowflake_conn, snowflake_emulator):
    token = snowflake_conn.rest.token
    got = rest.send_and_hang_up(
        snowflake_emulator,
        token,
        "SELECT range AS n, repeat('x', 200) AS s FROM range(300000)",
        read_bytes=4096,
    )
    assert got.startswith(b"HTTP/1.1 200")
    assert snowflake_conn.cursor().execute("SELECT 'still here'").fetchall() == [("still here",)]
    with snowflake_emulator.connect() as other:
        assert other.cursor().execute("SELECT 1").fetchall() == [(1,)]


def test_a_hundred_and_fifty_sessions_at_once(snowflake_emulator):
    """Each logs in, runs a query and logs out, all at the same time (over HTTP as the
    connector does; 150 connectors in one process would measure the connector, not the server)."""

    def session(n: int) -> dict:
        token = rest.login(snowflake_emulator)
        try:
            return rest.query(snowflake_emulator, token, f"SELECT {n} + 1 AS n")
        finally:
            rest.logout(snowflake_emulator, token)

    with ThreadPoolExecutor(150) as pool:
        answers = list(pool.map(session, range(150)))
    assert [a["success"] for a in answers] == [True] * 150
    assert [a["data"]["total"] for a in answers] == [1] * 150
    with snowflake_emulator.connect() as conn:
        assert conn.cursor().execute("SELECT 'still here'").fetchall() == [("still here",)]
