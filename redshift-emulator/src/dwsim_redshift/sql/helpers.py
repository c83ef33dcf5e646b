"""HELPER_SQL: the dwsim_rs schema of helper functions and system relations, idempotent.

The Redshift emulator runs it once against its backend database at start; every statement is
CREATE ... IF NOT EXISTS or CREATE OR REPLACE, so running it again is harmless.
"""

from dwsim_redshift.sql.helpers_dates import DATES_SQL
from dwsim_redshift.sql.helpers_json import JSON_SQL
from dwsim_redshift.sql.helpers_text import TEXT_SQL
from dwsim_redshift.sql.system import SYSTEM_SQL

HELPER_SQL: str = SYSTEM_SQL + DATES_SQL + TEXT_SQL + JSON_SQL
