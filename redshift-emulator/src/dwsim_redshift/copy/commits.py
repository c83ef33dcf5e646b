"""stl_load_commits: one row per file a COPY loaded, written in the client's own transaction
(a load that is rolled back leaves none), and the query id pg_last_copy_id() answers."""

from collections.abc import Iterable

from dwsim_redshift.backend.session import BackendSession
from dwsim_redshift.copy.errors import LoadContext, LoadErrorDetail
from dwsim_redshift.copy.option_table import DataFormat
from dwsim_redshift.copy.sources import SourceFile
from dwsim_redshift.copy.target import quote_literal

LAST_COPY_SETTING = "dwsim.last_copy_id"
_FORMATS = {
    DataFormat.TEXT: "Text",
    DataFormat.CSV: "Text",
    DataFormat.FIXEDWIDTH: "Text",
    DataFormat.JSON: "Json",
    DataFormat.PARQUET: "Parquet",
    DataFormat.ORC: "ORC",
}


def next_query_id(session: BackendSession) -> int:
    """The load's query id, shared by its stl_load_errors and stl_load_commits rows."""
    _, rows = session.query(
        "SELECT pg_catalog.nextval('dwsim_rs.load_query_seq'::pg_catalog.regclass)::int8"
    )
    return int(rows[0][0])


def record_commits(
    session: BackendSession,
    ctx: LoadContext,
    query_id: int,
    files: Iterable[SourceFile],
    lines: dict[str, int],
    rejected: list[LoadErrorDetail],
    fmt: DataFormat,
) -> None:
    values = []
    for f in files:
        errors = sum(1 for r in rejected if r.filename == f.url)
        scanned = lines.get(f.url, 0)
        values.append(
            f"({ctx.userid}, {query_id}, 0, {quote_literal(ctx.table_name[:256])}, "
            f"{quote_literal(f.url[:256])}, 0, {scanned}, {errors}, "
            f"pg_catalog.now() at time zone 'utc', 1, {quote_literal(_FORMATS.get(fmt, 'Text'))}, 0, 0)"
        )
    if values:
        session.query(
            "INSERT INTO dwsim_rs.stl_load_commits (userid, query, slice, name, filename, "
            "byte_offset, lines_scanned, errors, curtime, status, file_format, is_partial, "
            "start_offset) VALUES " + ", ".join(values)
        )
    session.query(f"SELECT pg_catalog.set_config('{LAST_COPY_SETTING}', '{query_id}', false)")
