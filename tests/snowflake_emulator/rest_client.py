"""The Snowflake emulator's REST endpoints spoken to directly, as the connector never would:
malformed bodies, a client that hangs up before its answer."""

import json
import socket
import uuid
from typing import Any

import requests

from tests.fixtures.snowflake import SnowflakeEmulator

LOGIN = "/session/v1/login-request"
QUERY = "/queries/v1/query-request"


def url(emulator: SnowflakeEmulator, path: str) -> str:
    return f"http://{emulator.host}:{emulator.port}{path}"


def auth(token: str) -> dict[str, str]:
    return {"Authorization": f'Snowflake Token="{token}"'}


def login(emulator: SnowflakeEmulator, database: str | None = None) -> str:
    """A new session's token."""
    params = {"databaseName": database, "schemaName": "PUBLIC"} if database else {}
    body = {"data": {"SESSION_PARAMETERS": {}}}
    answer = requests.post(url(emulator, LOGIN), params=params, json=body, timeout=30).json()
    assert answer["success"], answer
    return answer["data"]["token"]


def query(emulator: SnowflakeEmulator, token: str, sql: str) -> dict[str, Any]:
    """The emulator's JSON answer to running ``sql`` in the session of ``token``."""
    body = {"sqlText": sql, "sequenceId": 1, "queryContextDTO": {}}
    return requests.post(url(emulator, QUERY), json=body, headers=auth(token), timeout=60).json()


def logout(emulator: SnowflakeEmulator, token: str) -> None:
    requests.post(url(emulator, "/session?delete=true"), headers=auth(token), timeout=30)


def send_and_hang_up(
    emulator: SnowflakeEmulator, token: str, sql: str, read_bytes: int = 0
) -> bytes:
    """POST a query, read at most ``read_bytes`` of the answer (0: none), then close."""
    body = json.dumps({"sqlText": sql, "sequenceId": 1, "queryContextDTO": {}}).encode()
    head = (
        f"POST {QUERY}?requestId={uuid.uuid4()} HTTP/1.1\r\nHost: {emulator.host}\r\n"
        f'Authorization: Snowflake Token="{token}"\r\nContent-Type: application/json\r\n'
        f"Content-Length: {len(body)}\r\n\r\n"
    ).encode()
    got = b""
    with socket.create_connection((emulator.host, emulator.port), timeout=60) as sock:
        sock.sendall(head + body)
        while len(got) < read_bytes:
            chunk = sock.recv(min(65536, read_bytes - len(got)))
            if not chunk:
                break
            got += chunk
    return got
