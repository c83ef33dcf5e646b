"""The Redshift corpora on the Redshift emulator: the fidelity corpus (corpus/*.yaml, values and
result types, ``test_fidelity_corpus.run_case``) and the translation corpus (corpus_*.py, rows,
as ``test_translate_corpus`` compares them), each statement checked as ``dwsim check-sql``
checks it, in a schema of the case's own where its setup statements have run."""

import uuid

import psycopg2

from dwsim_shared.compat import Statement, rules_for
from dwsim_shared.compat.checker import _Check  # the check of one statement, as check-sql runs it
from dwsim_shared.compat.redshift_runner import RedshiftRunner
from dwsim_shared.compat.rules import load_explainer
from dwsim_shared.contracts.enums import Warehouse
from dwsim_shared.warehouses.connections import RedshiftConnection
from tests.compat_report.statements import StatementResult, describe
from tests.fixtures.redshift import RedshiftEmulator
from tests.redshift_emulator import corpus_dates, corpus_queries, corpus_statements, corpus_super
from tests.redshift_emulator.corpus import Case, all_cases
from tests.redshift_emulator.test_fidelity_corpus import load_cases, run_case
from tests.redshift_emulator.test_translate_corpus import _normalise

DIALECT = "redshift"
TRANSLATION_CORPORA: dict[str, list[Case]] = {
    "corpus_dates.py": corpus_dates.DATE_CASES,
    "corpus_queries.py": corpus_queries.QUERY_CASES,
    "corpus_statements.py": corpus_statements.STATEMENT_CASES,
    "corpus_super.py": corpus_super.SUPER_CASES,
}


class _Corpora:
    """One emulator session for creating and dropping the cases' schemas, one for the answers
    (each case in a transaction rolled back, as test_translate_corpus runs it)."""

    def __init__(self, emulator: RedshiftEmulator):
        self.emulator = emulator
        self.connection = RedshiftConnection(
            host=emulator.host, port=emulator.port, user=emulator.user, password=emulator.password
        )
        self.admin = psycopg2.connect(emulator.dsn)
        self.admin.autocommit = True
        self.answers = psycopg2.connect(emulator.dsn)

    def close(self) -> None:
        self.admin.close()
        self.answers.close()

    def schemas(self) -> set[str]:
        with self.admin.cursor() as cur:
            cur.execute(
                "SELECT nspname FROM pg_namespace WHERE nspname !~ '^pg_' "
                "AND nspname <> 'information_schema'"
            )
            return {row[0] for row in cur.fetchall()}

    def drop(self, schemas: set[str]) -> None:
        with self.admin.cursor() as cur:
            for schema in sorted(schemas):
                cur.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')

    def case(
        self, corpus: str, case_id: str, setup: list[str], sql: str, wanted: list | None = None
    ) -> list[StatementResult]:
        """Each statement checked in one session (temporary tables are the session's), in a
        schema of the case's own, each setup statement run for real after its check; schemas the
        setup creates are dropped after. With ``wanted``, the case runs again, in a fresh schema
        (a check's rolled-back INSERT still advances an IDENTITY sequence), rows compared."""
        rules = rules_for(Warehouse.REDSHIFT)
        before = self.schemas()
        schema = f"compat_{uuid.uuid4().hex[:8]}"
        with self.admin.cursor() as cur:
            cur.execute(f"CREATE SCHEMA {schema}")
        runner = RedshiftRunner(self.connection, schema)
        results = []
        try:
            runner.open()
            conn = runner._conn  # the check's own session, where the setup must run too
            explain = load_explainer(rules) or runner.explainer()  # as check_statements asks
            check = _Check(rules, runner, explain, 30.0, None)
            for text, role in [*((s, "setup") for s in setup), (sql, "case")]:
                found = check.one(Statement(text.replace("{schema}", schema), 1, 1, corpus))
                found = found.model_copy(update={"sql": text, "elapsed_ms": 0.0})
                if found.reason:
                    found.reason = found.reason.replace(schema, "{schema}")
                results.append(
                    describe(StatementResult(corpus, case_id, text, role, found), DIALECT)
                )
                if role == "setup":
                    with conn.cursor() as cur:
                        cur.execute(text.replace("{schema}", schema))
                    conn.commit()
        finally:
            runner.close()
            self.drop(self.schemas() - before)
        if wanted is not None:
            results[-1].difference = self._rows_differ(setup, sql, wanted)
            results[-1].documented = results[-1].difference is None
        return results

    def _rows_differ(self, setup: list[str], sql: str, wanted: list) -> str | None:
        schema = f"compat_{uuid.uuid4().hex[:8]}"
        with self.admin.cursor() as cur:
            cur.execute(f"CREATE SCHEMA {schema}")
        conn = self.answers
        try:
            with conn.cursor() as cur:
                cur.execute(f"SET search_path TO {schema}; SET TIME ZONE 'UTC'")
                for statement in [*setup, sql]:
                    cur.execute(statement.replace("{schema}", schema))
                rows = (
                    [tuple(map(_normalise, r)) for r in cur.fetchall()] if cur.description else []
                )
        except psycopg2.Error as exc:
            return f"error: {str(exc).strip()}".replace(schema, "{schema}")
        finally:
            conn.rollback()
            self.drop({schema})
        return None if rows == wanted else f"rows {rows}, expected {wanted}"


def check_corpora(emulator: RedshiftEmulator) -> list[StatementResult]:
    listed = [case.id for cases in TRANSLATION_CORPORA.values() for case in cases]
    assert sorted(listed) == sorted(c.id for c in all_cases()), (
        "corpus.all_cases() has cases of a file TRANSLATION_CORPORA does not list"
    )
    corpora = _Corpora(emulator)
    results: list[StatementResult] = []
    try:
        for case in load_cases():
            corpus = f"corpus/{case['file']}"
            checks = corpora.case(corpus, case["id"], case.get("setup", []), case["sql"])
            difference = run_case(emulator.dsn, case)
            checks[-1].documented, checks[-1].difference = difference is None, difference
            results += checks
        for corpus, cases in TRANSLATION_CORPORA.items():
            for case in cases:
                wanted = [tuple(map(_normalise, row)) for row in case.rows]
                results += corpora.case(corpus, case.id, list(case.setup), case.sql, wanted)
    finally:
        corpora.close()
    return results
