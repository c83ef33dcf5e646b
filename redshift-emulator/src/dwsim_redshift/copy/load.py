"""COPY table FROM 's3://...': list, decode, check and stream into the client's own session.

All files go through ONE ``COPY ... FROM STDIN`` on the client's backend session, so the load
is one statement of the client's transaction: it commits, fails or rolls back as a whole.
"""

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import partial

import numpy as np
import pyarrow as pa

from dwsim_redshift.backend.session import BackendError, BackendSession
from dwsim_redshift.copy.columnar import COLUMNAR, column_count
from dwsim_redshift.copy.commits import next_query_id, record_commits
from dwsim_redshift.copy.convert import ConvertOptions, Rejected, convert
from dwsim_redshift.copy.decode import Batch, decode
from dwsim_redshift.copy.encode import HEADER, TRAILER, encode_batch
from dwsim_redshift.copy.errors import (
    LOAD_FAILED,
    BadRow,
    CopyError,
    LoadErrorDetail,
    failure_detail,
    record_load_errors,
)
from dwsim_redshift.copy.json_decode import JsonPath, parse_jsonpaths
from dwsim_redshift.copy.options import CopyCommand, DataFormat, parse_copy
from dwsim_redshift.copy.read_ahead import read_ahead
from dwsim_redshift.copy.sources import (
    SourceFile,
    list_prefix,
    open_object,
    read_manifest,
    read_object,
    read_url,
    s3_client,
)
from dwsim_redshift.copy.target import PgKind, Target, load_context, quote_ident, resolve_target
from dwsim_redshift.copy.textenc import encode_csv
from dwsim_shared.stoppable import Check, StoppableReader, call_stoppable

log = logging.getLogger("dwsim_redshift.copy")
READ_AHEAD_BATCHES = 3  # decoded batches waiting (~8 MiB each for a typical table)


@dataclass(frozen=True)
class CopyResult:
    rows: int
    files: int
    table: str = ""
    query_id: int | None = None  # what pg_last_copy_id() answers, and the load's log entries

    @property
    def message(self) -> str:
        """The INFO notice Redshift sends after a load."""
        return (
            f"Load into table '{self.table}' completed, {self.rows} record(s) loaded successfully."
        )


@dataclass
class _LoadState:
    max_errors: int
    rejected: list[LoadErrorDetail] = field(default_factory=list)
    failed: bool = False
    lines: dict[str, int] = field(default_factory=dict)  # rows read per file (stl_load_commits)

    def reject(self, detail: LoadErrorDetail) -> None:
        """Count a bad row; past MAXERROR the load fails on it."""
        self.rejected.append(detail)
        if len(self.rejected) > self.max_errors:
            self.failed = True
            raise BadRow(detail)


def run_copy(sql: str, session: BackendSession, settings) -> CopyResult:
    try:
        return _run(parse_copy(sql), session, settings)
    except BackendError as exc:
        raise CopyError(exc.message, detail=exc.detail, sqlstate=exc.sqlstate) from None


def _run(cmd: CopyCommand, session: BackendSession, settings) -> CopyResult:
    target = resolve_target(session, cmd.table, cmd.columns)
    client = s3_client(settings, cmd.options.get("REGION"))
    check = session.check_cancelled
    files = call_stoppable(
        lambda: (
            read_manifest(client, cmd.source)
            if cmd.has("MANIFEST")
            else list_prefix(client, cmd.source)
        ),
        check,
        "copy-list",
    )
    first = (
        call_stoppable(lambda: read_object(client, files[0]), check, "copy-read")
        if cmd.format in COLUMNAR
        else None
    )
    target = _without_identity(cmd, target, first)
    paths = _jsonpaths(cmd, client, len(target.columns))
    ctx = load_context(session, target)
    query_id = next_query_id(session)
    binary = all(c.kind is not PgKind.OTHER for c in target.columns)
    state = _LoadState(max_errors=cmd.max_errors)
    columns = ", ".join(quote_ident(c.name) for c in target.columns)
    fmt = "binary" if binary else "csv"
    copy_sql = f"COPY {target.qualified} ({columns}) FROM STDIN WITH (FORMAT {fmt})"
    chunks = _chunks(cmd, target, files, client, state, binary, first, paths, check)
    try:
        if cmd.has("NOLOAD"):  # check every file, load nothing
            for _ in chunks:
                pass
            rows = 0
        else:
            rows = session.copy_in(copy_sql, chunks)
    except Exception as exc:
        if not state.failed:
            if isinstance(exc, BackendError):
                raise CopyError(exc.message, detail=exc.detail, sqlstate=exc.sqlstate) from None
            raise
        _record(settings, ctx, query_id, state.rejected)
        message = LOAD_FAILED.format(table=target.name)
        log.info(
            "redshift.copy_failed table=%s reason=%s", target.name, state.rejected[-1].err_reason
        )
        raise CopyError(
            message, detail=failure_detail(target.name, state.rejected[-1], query_id)
        ) from None
    if state.rejected:
        _record(settings, ctx, query_id, state.rejected)
    if not cmd.has("NOLOAD"):
        record_commits(session, ctx, query_id, files, state.lines, state.rejected, cmd.format)
    log.info("redshift.copy table=%s rows=%d files=%d", target.name, rows, len(files))
    return CopyResult(rows=rows, files=len(files), table=target.name, query_id=query_id)


def _record(settings, ctx, query_id: int, rejected: list[LoadErrorDetail]) -> None:
    """stl_load_errors rows; a backend that refuses them must not hide the load's own error."""
    try:
        record_load_errors(settings.postgres_url, ctx, rejected, query_id)
    except Exception as exc:  # logged; the user still gets Redshift's message
        log.warning("redshift.load_errors_not_recorded table=%s error=%s", ctx.table_name, exc)


def _jsonpaths(cmd: CopyCommand, client, ncols: int) -> list[JsonPath] | None:
    if cmd.format is not DataFormat.JSON or not cmd.json_mode.lower().startswith("s3://"):
        return None
    return parse_jsonpaths(read_url(client, cmd.json_mode), cmd.json_mode, ncols)


def _without_identity(cmd: CopyCommand, target: Target, first: bytes | None) -> Target:
    """Redshift leaves IDENTITY columns out of a COPY without a column list (unless
    EXPLICIT_IDS). The backend cannot tell IDENTITY from GENERATED BY DEFAULT AS IDENTITY
    (which Redshift does load), so a Parquet file decides: identity columns are left out when
    the file has exactly the other columns."""
    identity = [c for c in target.columns if c.identity]
    if cmd.columns is not None or cmd.has("EXPLICIT_IDS") or not identity:
        return target
    if first is None:  # only a Parquet or ORC file says how many columns it has
        return target
    others = [c for c in target.columns if not c.identity]
    found = column_count(first, cmd.format)  # None: decode() reports the bad file
    return replace(target, columns=others) if found == len(others) else target


def _chunks(
    cmd: CopyCommand,
    target: Target,
    files: list[SourceFile],
    client,
    state: _LoadState,
    binary: bool,
    first: bytes | None,
    paths: list[JsonPath] | None,
    check: Check,
) -> Iterator[bytes | memoryview]:
    opts = ConvertOptions(
        null_as=cmd.null_as,
        empty_as_null=cmd.has("EMPTYASNULL"),
        blanks_as_null=cmd.has("BLANKSASNULL"),
        dateformat=cmd.options.get("DATEFORMAT"),
        timeformat=cmd.options.get("TIMEFORMAT"),
        truncate=cmd.has("TRUNCATECOLUMNS"),
        roundec=cmd.has("ROUNDEC"),
        trim_blanks=cmd.has("TRIMBLANKS"),
        text_source=cmd.format in (DataFormat.TEXT, DataFormat.CSV, DataFormat.FIXEDWIDTH),
    )
    names = [c.name for c in target.columns]
    kinds = [c.kind for c in target.columns]
    if binary:
        yield HEADER
    try:
        batches = _batches(cmd, files, client, state, first, names, kinds, paths, check)
        for batch in batches:
            url = batch.source.url
            state.lines[url] = state.lines.get(url, 0) + batch.num_rows
            columns, trim = _convert(batch, target, opts, state, cmd)
            if columns and len(columns[0]):
                yield encode_batch(columns, kinds, trim) if binary else encode_csv(columns, trim)
    except BadRow as exc:
        if not state.failed:  # a file-level failure: it is the load's error
            state.rejected.append(exc.detail)
            state.failed = True
        raise
    if binary:
        yield TRAILER


def _batches(
    cmd: CopyCommand,
    files: list[SourceFile],
    client,
    state: _LoadState,
    first: bytes | None,
    names: list[str],
    kinds: list[PgKind],
    paths: list[JsonPath] | None,
    check: Check,
) -> Iterator[Batch]:
    """Every file's batches in order. Parquet and ORC are fetched and decoded ahead on a
    thread; text formats stream from S3 and are decoded here, as their bad rows are counted
    as they are met. Either way a cancel ends the wait for S3 at once."""
    if cmd.format in COLUMNAR:
        fetched = {files[0].url: first} if first is not None else {}  # read to count columns

        def columnar(source: SourceFile) -> Iterator[Batch]:
            data = fetched.pop(source.url, None) or read_object(client, source)
            return decode(data, source, cmd, names, _never, kinds)

        yield from read_ahead(files, columnar, READ_AHEAD_BATCHES, check)
        return
    for source in files:

        def reject(detail: LoadErrorDetail, url: str = source.url) -> None:
            state.lines[url] = state.lines.get(url, 0) + 1  # a line read, then refused
            state.reject(detail)

        body = call_stoppable(partial(open_object, client, source), check, "copy-open")
        stream = StoppableReader(body, check, "copy-stream")
        try:
            yield from decode(stream, source, cmd, names, reject, kinds, paths)
        finally:
            stream.close()


def _never(detail: LoadErrorDetail) -> None:
    raise AssertionError("columnar files have no row-level decode errors")


def _convert(
    batch: Batch, target: Target, opts: ConvertOptions, state: _LoadState, cmd: CopyCommand
) -> tuple[list[pa.Array], list[bool]]:
    """Convert every column; under MAXERROR, drop each rejected row and convert again."""
    cols, n = batch.columns, batch.num_rows
    index = np.arange(n)
    while True:
        out, failed_at = [], None
        for i, (a, c) in enumerate(zip(cols, target.columns, strict=True)):
            try:
                out.append(convert(a, c, n, opts))
            except Rejected as rej:
                failed_at, rejection = i, rej
                break
        if failed_at is None:
            trim = [
                c.kind is PgKind.NUMERIC
                and c.precision_scale is None
                and a is not None
                and (pa.types.is_floating(a.type) or pa.types.is_string(a.type))
                for a, c in zip(cols, target.columns, strict=True)
            ]
            return out, trim
        col = target.columns[failed_at]
        for row in rejection.rows:  # raises once past MAXERROR
            state.reject(_detail(batch, cols, int(index[row]), row, rejection, col, cmd))
        keep = np.ones(n, bool)
        keep[rejection.rows] = False
        mask = pa.array(keep)
        cols = [a.filter(mask) if a is not None else None for a in cols]
        index = index[keep]
        n = len(index)


def _detail(
    batch: Batch, cols, line_offset: int, row: int, rej: Rejected, col, cmd: CopyCommand
) -> LoadErrorDetail:
    sep = cmd.delimiter if cmd.format in (DataFormat.TEXT, DataFormat.CSV) else "|"
    values = []
    for a in cols:
        v = None if a is None else a[row].as_py()
        values.append("" if v is None else str(v))
    return LoadErrorDetail(
        filename=batch.source.url,
        line_number=batch.first_line + line_offset,
        colname=col.name,
        type=col.typname,
        col_length=col.col_length,
        position=0,
        raw_line=sep.join(values),
        raw_field_value=rej.raw_for(row),
        err_code=rej.code,
        err_reason=rej.reason_for(row),
    )
