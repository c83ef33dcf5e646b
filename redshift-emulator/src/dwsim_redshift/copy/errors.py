"""Load failures as Redshift reports them: its message, and rows in stl_load_errors.

The client's transaction is aborted by a failed COPY, so the error rows are written through a
separate autocommit connection to the backend database, where they persist as in Redshift.
"""

import contextlib
from dataclasses import dataclass
from enum import IntEnum

from dwsim_redshift.sql.helpers import helper_file

LOAD_FAILED = "Load into table '{table}' failed.  Check 'stl_load_errors' system table for details."


class LoadErrorCode(IntEnum):
    """Redshift's load error codes (docs: Load error reference)."""

    UNKNOWN = 1200
    MORE_COLUMNS = 1202
    FEWER_COLUMNS = 1203
    OUT_OF_RANGE = 1204  # also "String length exceeds DDL length"
    DATE_FORMAT = 1205
    TIMESTAMP_FORMAT = 1206
    INVALID_DIGIT = 1207
    FLOAT_FORMAT = 1208
    DECIMAL_FORMAT = 1209
    BOOLEAN_FORMAT = 1210
    NOT_NULL = 1213
    INVALID_UTF8 = 1220
    INTEGER_OVERFLOW = 1222
    INVALID_JSON = 1224


class CopyError(Exception):
    """A COPY/UNLOAD that failed; ``str()`` is the message Redshift gives, ``detail`` its DETAIL."""

    def __init__(self, message: str, detail: str | None = None, sqlstate: str = "XX000") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail
        self.sqlstate = sqlstate


@dataclass
class LoadErrorDetail:
    """One rejected value: the columns of an stl_load_errors row that describe it."""

    filename: str
    line_number: int
    colname: str
    type: str
    col_length: str
    position: int
    raw_line: str
    raw_field_value: str
    err_code: LoadErrorCode
    err_reason: str


LOAD_ERRORS_DDL = helper_file("00_schema.sql") + helper_file("01_load_errors.sql")
"""The relations behind stl_load_errors / sys_load_error_detail (also in the SQL helpers)."""

_INSERT = """
INSERT INTO dwsim_rs.stl_load_errors (userid, slice, tbl, starttime, session, query, filename,
    line_number, colname, type, col_length, position, raw_line, raw_field_value, err_code,
    err_reason, is_partial, start_offset)
VALUES %s
"""
_ROW = "(%s, 0, %s, now() at time zone 'utc', %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, 0, 0)"


@dataclass
class LoadContext:
    """Who ran the load: filled from the client's backend session before any data moves."""

    database: str
    userid: int
    session: int
    table_oid: int
    table_name: str


def record_load_errors(
    postgres_url: str, ctx: LoadContext, errors: list[LoadErrorDetail], query_id: int
) -> None:
    """Write the rows through a separate autocommit connection, under the load's query id."""
    import psycopg2
    from psycopg2.extras import execute_values

    # the URL's superuser: nothing a client made (public.nextval(text)...) may be on its path
    conn = psycopg2.connect(
        postgres_url, dbname=ctx.database, options="-c search_path=pg_catalog,dwsim_rs"
    )
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            _ensure_relations(cur)
            rows = [
                (
                    ctx.userid,
                    ctx.table_oid,
                    ctx.session,
                    query_id,
                    err.filename[:256],
                    err.line_number,
                    err.colname[:127],
                    err.type[:10],
                    err.col_length[:10],
                    err.position,
                    err.raw_line[:1024],
                    err.raw_field_value[:1024],
                    int(err.err_code),
                    err.err_reason[:100],
                )
                for err in errors
            ]
            execute_values(cur, _INSERT, rows, template=_ROW, page_size=1000)
    finally:
        conn.close()


def _ensure_relations(cur) -> None:
    cur.execute("SELECT to_regclass('dwsim_rs.stl_load_errors') IS NOT NULL")
    if cur.fetchone()[0]:
        return
    import psycopg2

    with contextlib.suppress(psycopg2.errors.UniqueViolation):  # created concurrently
        cur.execute(LOAD_ERRORS_DDL)


def failure_detail(table: str, err: LoadErrorDetail, query_id: int) -> str:
    """The DETAIL block Redshift sends with a failed load."""
    rule = "  " + "-" * 47
    return "\n".join(
        [
            "",
            rule,
            f"  error:  {LOAD_FAILED.format(table=table)}",
            f"  code:      {int(err.err_code)}",
            f"  context:   {err.err_reason}",
            f"  query:     {query_id}",
            "  location:  dwsim copy",
            "  process:   dwsim",
            rule,
        ]
    )


class BadRow(Exception):
    """Raised inside the load pipeline for a value Redshift would reject (internal)."""

    def __init__(self, detail: LoadErrorDetail) -> None:
        super().__init__(detail.err_reason)
        self.detail = detail


def file_error(source, exc: Exception, code=LoadErrorCode.UNKNOWN) -> BadRow:
    text = str(exc).split("\n")[0]
    return BadRow(
        LoadErrorDetail(
            filename=source.url,
            line_number=0,
            colname="",
            type="",
            col_length="0",
            position=0,
            raw_line="",
            raw_field_value="",
            err_code=code,
            err_reason=f"Cannot read the file: {text}",
        )
    )
