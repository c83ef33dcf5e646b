"""Statements the emulator refuses outright, with a Snowflake-shaped error naming the limit.

- GET @stage file://...: the connector would ask the emulator for the staged files' paths and
  copy them into a folder, which with the emulator means files moving on the host's disk on a
  client's SQL. Unload to S3 (COPY INTO 's3://...' or an external stage) and read the files
  there instead.
- PUT with the stage as a bind variable (PUT file://x ?): fakesnow then tells the connector to
  write straight into the emulator's stage folder (a path on the emulator's host), where a
  literal stage name uploads over HTTP. PUT file://... @stage (a literal stage) is served: the
  connector reads the client's own file and uploads its bytes, which the emulator keeps in its
  data folder's ``stages/``.
"""

import re

from snowflake.connector.errors import ProgrammingError

from dwsim_snowflake.sql_text import without_comments

_GET = re.compile(r"^\s*GET\s+(?:'?@|\?)", re.IGNORECASE)
_PUT_BOUND_STAGE = re.compile(r"^\s*PUT\s+(?:'[^']*'|\S+)\s+\?", re.IGNORECASE)


def emulator_limit(what: str, instead: str) -> ProgrammingError:
    return ProgrammingError(
        msg=f"SQL compilation error:\n{what} is not supported by the Snowflake emulator "
        f"(an emulator limit, not a Snowflake one). {instead}",
        errno=2,
        sqlstate="0A000",
    )


def check(command: str) -> None:
    command = without_comments(command)
    if _GET.match(command):
        raise emulator_limit(
            "GET (download staged files)",
            "Unload with COPY INTO 's3://...' or an external stage and read the files from S3.",
        )
    if _PUT_BOUND_STAGE.match(command):
        raise emulator_limit(
            "PUT with the stage as a bind variable", "Write the stage name in the statement."
        )
