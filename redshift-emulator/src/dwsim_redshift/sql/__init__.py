"""Redshift SQL -> PostgreSQL: sqlglot, a rewrite pass, and helper functions in schema dwsim_rs.

translate(sql) -> str              one or more statements, placeholders preserved
translate_typed(sql) -> str        the same with typed result slots (sql/typed.py) for the relay
UnsupportedStatementError          a statement that cannot be emulated (message says why)
HELPER_SQL                         idempotent DDL for dwsim_rs, run once at server start
SYSTEM_RELATIONS                   emulated system relations (name -> what it holds)
"""

from dwsim_redshift.sql.errors import InvalidStatementError, UnsupportedStatementError
from dwsim_redshift.sql.helpers import HELPER_SQL
from dwsim_redshift.sql.system import HELPER_SCHEMA, SYSTEM_RELATIONS
from dwsim_redshift.sql.translate import translate, translate_typed

__all__ = [
    "HELPER_SCHEMA",
    "HELPER_SQL",
    "SYSTEM_RELATIONS",
    "InvalidStatementError",
    "UnsupportedStatementError",
    "translate",
    "translate_typed",
]
