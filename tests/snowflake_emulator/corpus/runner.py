"""Run the fidelity corpus: statements with the values and result types Snowflake returns.

Each YAML file here has a ``setup`` (statements run once, in a fresh database) and ``cases``:
``sql`` (with ``before``: statements run just before it), then either ``rows`` (values in
order; NUMBER values as strings with their scale, "3.500000"; dates and timestamps ISO) and
``types`` (Snowflake's: NUMBER(p,s), of which the scale is compared, FLOAT, TEXT, DATE,
TIMESTAMP_NTZ, BOOLEAN, VARIANT, ...), or ``error`` (a substring of the message) and ``errno``.
``columns`` (the result's column names in order: SHOW / DESCRIBE output) is checked too, and
``pick`` (some of those names) compares ``rows`` on those columns only (SHOW's created_on is the
emulator's). ``doc`` says where Snowflake documents the answer.

    python -m tests.snowflake_emulator.corpus.runner --port 8787   # prints the pass rate
"""

import argparse
import datetime
import math
import re
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from snowflake.connector.constants import FIELD_ID_TO_NAME

HERE = Path(__file__).parent
_TYPE = re.compile(r"^(\w+)(?:\((\d+),\s*(\d+)\))?$")
_NAMES = {"FIXED": "NUMBER", "REAL": "FLOAT"}


def load_files() -> dict[str, dict]:
    return {p.stem: yaml.safe_load(p.read_text()) for p in sorted(HERE.glob("*.yaml"))}


def cases() -> list[tuple[str, dict]]:
    return [(name, case) for name, data in load_files().items() for case in data["cases"]]


def _value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime.date | datetime.datetime | datetime.time):
        return value.isoformat()
    return value


def _same(actual: Any, expected: Any) -> bool:
    if isinstance(expected, float) and isinstance(actual, float | int | str):
        try:
            return math.isclose(float(actual), expected, rel_tol=1e-9, abs_tol=1e-12)
        except ValueError:
            return False
    if isinstance(expected, int) and not isinstance(expected, bool) and isinstance(actual, str):
        return actual == str(expected)  # a NUMBER(p, 0)
    return actual == expected


def _type_ok(description: Any, expected: str) -> bool:
    match = _TYPE.match(expected)
    if match is None:
        return False
    name = FIELD_ID_TO_NAME.get(description.type_code, str(description.type_code))
    if _NAMES.get(name, name) != match[1]:
        return False
    return match[3] is None or description.scale == int(match[3])


def check(cursor: Any, case: dict) -> str | None:
    """None when the emulator answers as Snowflake; otherwise what differs."""
    for statement in case.get("before", []):
        cursor.execute(statement)
    try:
        cursor.execute(case["sql"])
        rows = [[_value(v) for v in row] for row in cursor.fetchall()]
        names = [d[0] for d in cursor.description]
    except Exception as exc:  # the corpus records Snowflake's errors too
        if "error" in case and case["error"] in str(exc):
            errno = case.get("errno")
            if errno is None or getattr(exc, "errno", None) == errno:
                return None
            return f"error code {getattr(exc, 'errno', None)}, expected {errno}: {exc}"
        return f"{type(exc).__name__}: {str(exc)[:300]}"
    if "error" in case:
        return f"expected error {case['error']!r}, got rows {rows}"
    if "columns" in case and names != case["columns"]:
        return f"columns {names}, expected {case['columns']}"
    if pick := case.get("pick"):
        rows = [[row[names.index(name)] for name in pick] for row in rows]
    expected = case["rows"]
    if len(rows) != len(expected) or not all(
        len(a) == len(e) and all(_same(x, y) for x, y in zip(a, e, strict=True))
        for a, e in zip(rows, expected, strict=True)
    ):
        return f"rows {rows}, expected {expected}"
    types = case.get("types")
    if types:
        found = [
            f"{FIELD_ID_TO_NAME.get(d.type_code)}({d.precision},{d.scale})"
            for d in cursor.description
        ]
        if len(types) != len(found) or not all(
            _type_ok(d, t) for d, t in zip(cursor.description, types, strict=True)
        ):
            return f"types {found}, expected {types}"
    return None


def run(connect: Any) -> tuple[int, list[tuple[str, str]]]:
    """(cases passed, [(case id, difference)]) against the emulator ``connect()`` reaches."""
    passed, failed = 0, []
    for name, data in load_files().items():
        database = f"CORPUS_{uuid.uuid4().hex[:8].upper()}"
        conn = connect(database)
        try:
            cursor = conn.cursor()
            for statement in data.get("setup", []):
                cursor.execute(statement)
            for case in data["cases"]:
                problem = check(conn.cursor(), case)
                if problem is None:
                    passed += 1
                else:
                    failed.append((f"{name}/{case['id']}", problem))
        finally:
            conn.cursor().execute(f"DROP DATABASE IF EXISTS {database}")
            conn.close()
    return passed, failed


def main() -> None:
    import snowflake.connector

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()

    def connect(database: str) -> Any:
        return snowflake.connector.connect(
            host=args.host, port=args.port, protocol="http", account="corpus", user="corpus",
            password="corpus", database=database, schema="PUBLIC", network_timeout=60,
            session_parameters={"CLIENT_OUT_OF_BAND_TELEMETRY_ENABLED": False},
        )  # fmt: skip

    passed, failed = run(connect)
    for case_id, problem in failed:
        print(f"FAIL {case_id}: {problem}")
    total = passed + len(failed)
    print(f"fidelity corpus: {passed}/{total} passed ({100 * passed / total:.0f}%)")


if __name__ == "__main__":
    main()
