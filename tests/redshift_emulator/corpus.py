"""The translation corpus: Redshift SQL and the rows Redshift gives for it.

Each case's setup statements and query are Redshift SQL: the test translates them, runs them on
PostgreSQL with the dwsim_rs helpers installed, and compares the rows. "{schema}" in a statement
stands for the schema the case runs in (for SQL Redshift wants schema-qualified).
"""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Case:
    id: str
    sql: str
    rows: list[tuple]
    source: str
    setup: tuple[str, ...] = field(default=())

    def statements(self, schema: str) -> list[str]:
        return [s.replace("{schema}", schema) for s in (*self.setup, self.sql)]


def all_cases() -> list[Case]:
    from tests.redshift_emulator.corpus_dates import DATE_CASES
    from tests.redshift_emulator.corpus_queries import QUERY_CASES
    from tests.redshift_emulator.corpus_statements import STATEMENT_CASES
    from tests.redshift_emulator.corpus_super import SUPER_CASES

    return [*DATE_CASES, *QUERY_CASES, *STATEMENT_CASES, *SUPER_CASES]
