"""Compatibility checks: how each statement of a file, a folder or a query log fares on an
emulator (``dwsim check-sql``, ``POST /api/experiments/{name}/check-sql``).

read_sources(path) -> [(file, text)]          a file, or every .sql file under a folder
statements_of(sources, dialect, per_line=)     the statements, with file, line and column
check_statements(statements, warehouse, connection, schema=, timeout_s=, refuse=) -> CheckReport
"""

from dwsim_shared.compat.checker import check_statements
from dwsim_shared.compat.rules import CHECKABLE, rules_for
from dwsim_shared.compat.sources import SourceError, read_sources, statements_of
from dwsim_shared.compat.statements import Statement, split_lines, split_statements

__all__ = [
    "CHECKABLE",
    "SourceError",
    "Statement",
    "check_statements",
    "read_sources",
    "rules_for",
    "split_lines",
    "split_statements",
    "statements_of",
]
