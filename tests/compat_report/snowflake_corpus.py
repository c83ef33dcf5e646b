"""The Snowflake fidelity corpus (tests/snowflake_emulator/corpus/*.yaml) on the Snowflake
emulator: per file a database of its own where the setup runs (each statement checked first),
then per case its ``before`` statements and ``sql`` checked in one session as ``dwsim check-sql``
checks them, and the answer compared as ``test_fidelity_corpus`` compares it."""

import uuid

from dwsim_shared.compat import Statement, check_statements
from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.warehouses.connections import SnowflakeConnection
from tests.compat_report.statements import StatementResult, describe
from tests.fixtures.snowflake import SnowflakeEmulator
from tests.snowflake_emulator.corpus.runner import check, load_files

DIALECT = "snowflake"


def check_corpus(emulator: SnowflakeEmulator) -> list[StatementResult]:
    results: list[StatementResult] = []
    for name, data in load_files().items():
        corpus = f"corpus/{name}.yaml"
        database = f"COMPAT_{uuid.uuid4().hex[:8].upper()}"
        conn = emulator.connect(database=database, schema="PUBLIC")
        connection = SnowflakeConnection(
            host=emulator.host, port=emulator.port, account=emulator.account,
            user=emulator.user, password=emulator.password, database=database,
        )  # fmt: skip
        try:
            for sql in data.get("setup", []):
                results += _checked(connection, corpus, [(sql, "setup", "setup")])
                conn.cursor().execute(sql)
            # every case of the file in one session (its SETs hold for the cases after it)
            texts = [
                (text, role, case["id"])
                for case in data["cases"]
                for text, role in [*((b, "setup") for b in case.get("before", [])),
                                   (case["sql"], "case")]
            ]  # fmt: skip
            checks = _checked(connection, corpus, texts)
            answers = {case["id"]: check(conn.cursor(), case) for case in data["cases"]}
            for result in checks:
                if result.role == "case":
                    result.difference = answers[result.case]
                    result.documented = result.difference is None
            results += checks
        finally:
            conn.cursor().execute(f"DROP DATABASE IF EXISTS {database}")
            conn.close()
    return results


def _checked(
    connection: SnowflakeConnection, corpus: str, texts: list[tuple[str, str, str]]
) -> list[StatementResult]:
    """(sql, role, case id) checked in order in one session."""
    statements = [Statement(sql, 1, 1, corpus) for sql, _, _ in texts]
    report = check_statements(statements, Warehouse.SNOWFLAKE, connection, schema="PUBLIC")
    return [
        describe(
            StatementResult(
                corpus, case_id, sql, role, found.model_copy(update={"elapsed_ms": 0.0})
            ),
            DIALECT,
        )
        for (sql, role, case_id), found in zip(texts, report.statements, strict=True)
    ]
