"""COPY table FROM 's3://...': list, decode, check and stream into the client's own session.

All files go through ONE ``COPY ... FROM STDIN`` on the client's backend session, so the load
is one statement of the client's transaction: it commits, fails or rolls back as a whole.
"""

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa

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
from dwsim_redshift.copy.options import CopyCommand, DataFormat, parse_copy
from dwsim_redshift.copy.sources import (
    SourceFile,
    list_prefix,
    read_manifest,
    read_object,
    s3_client,
)
from dwsim_redshift.copy.target import PgKind, Target, load_context, quote_ident, resolve_target
from dwsim_redshift.copy.textenc import encode_csv
from dwsim_redshift.session import BackendError, Session

log = logging.getLogger("dwsim_redshift.copy")


@dataclass(frozen=True)
class CopyResult:
    rows: int
    files: int
    table: str = ""

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

    def reject(self, detail: LoadErrorDetail) -> None:
        """Count a bad row; past MAXERROR the load fails on it."""
        self.rejected.append(detail)
        if len(self.rejected) > self.max_errors:
            self.failed = True
            raise BadRow(detail)


def run_copy(sql: str, session: Session, settings) -> CopyResult:
    try:
        return _run(parse_copy(sql), session, settings)
    except BackendError as exc:
        raise CopyError(exc.message, detail=exc.detail, sqlstate=exc.sqlstate) from None


def _run(cmd: CopyCommand, session: Session, settings) -> CopyResult:
    target = resolve_target(session, cmd.table, cmd.columns)
    client = s3_client(settings, cmd.options.get("REGION"))
    files = (
        read_manifest(client, cmd.source)
        if cmd.has("MANIFEST")
        else list_prefix(client, cmd.source)
    )
    ctx = load_context(session, target)
    binary = all(c.kind is not PgKind.OTHER for c in target.columns)
    state = _LoadState(max_errors=cmd.max_errors)
    columns = ", ".join(quote_ident(c.name) for c in target.columns)
    fmt = "binary" if binary else "csv"
    copy_sql = f"COPY {target.qualified} ({columns}) FROM STDIN WITH (FORMAT {fmt})"
    chunks = _chunks(cmd, target, files, client, state, binary)
    try:
        rows = session.copy_in(copy_sql, chunks)
    except Exception as exc:
        if not state.failed:
            if isinstance(exc, BackendError):
                raise CopyError(exc.message, detail=exc.detail, sqlstate=exc.sqlstate) from None
            raise
        query_id = record_load_errors(settings.postgres_url, ctx, state.rejected)
        message = LOAD_FAILED.format(table=target.name)
        log.info(
            "redshift.copy_failed table=%s reason=%s", target.name, state.rejected[-1].err_reason
        )
        raise CopyError(
            message, detail=failure_detail(target.name, state.rejected[-1], query_id)
        ) from None
    if state.rejected:
        record_load_errors(settings.postgres_url, ctx, state.rejected)
    log.info("redshift.copy table=%s rows=%d files=%d", target.name, rows, len(files))
    return CopyResult(rows=rows, files=len(files), table=target.name)


def _chunks(
    cmd: CopyCommand,
    target: Target,
    files: list[SourceFile],
    client,
    state: _LoadState,
    binary: bool,
) -> Iterator[bytes]:
    opts = ConvertOptions(
        null_as=cmd.null_as,
        empty_as_null=cmd.has("EMPTYASNULL"),
        blanks_as_null=cmd.has("BLANKSASNULL"),
        dateformat=cmd.options.get("DATEFORMAT"),
        timeformat=cmd.options.get("TIMEFORMAT"),
        truncate=cmd.has("TRUNCATECOLUMNS"),
        roundec=cmd.has("ROUNDEC"),
        text_source=cmd.format in (DataFormat.TEXT, DataFormat.CSV),
    )
    names = [c.name for c in target.columns]
    kinds = [c.kind for c in target.columns]
    if binary:
        yield HEADER
    for source in files:
        data = read_object(client, source)
        try:
            for batch in decode(data, source, cmd, names, state.reject):
                columns, trim = _convert(batch, target, opts, state, cmd)
                if columns and len(columns[0]):
                    yield encode_batch(columns, kinds, trim) if binary else encode_csv(columns)
        except BadRow as exc:
            if not state.failed:  # a file-level failure: it is the load's error
                state.rejected.append(exc.detail)
                state.failed = True
            raise
    if binary:
        yield TRAILER


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
                and pa.types.is_floating(a.type)
                for a, c in zip(cols, target.columns, strict=True)
            ]
            return out, trim
        col = target.columns[failed_at]
        state.reject(_detail(batch, cols, int(index[rejection.row]), rejection, col, cmd))
        keep = np.ones(n, bool)
        keep[rejection.row] = False
        cols = [a.filter(pa.array(keep)) if a is not None else None for a in cols]
        index = index[keep]
        n -= 1


def _detail(
    batch: Batch, cols, row_in_batch: int, rej: Rejected, col, cmd: CopyCommand
) -> LoadErrorDetail:
    filtered_row = rej.row
    sep = cmd.delimiter if cmd.format in (DataFormat.TEXT, DataFormat.CSV) else "|"
    values = []
    for a in cols:
        v = None if a is None else a[filtered_row].as_py()
        values.append("" if v is None else str(v))
    return LoadErrorDetail(
        filename=batch.source.url,
        line_number=batch.first_line + row_in_batch,
        colname=col.name,
        type=col.typname,
        col_length=col.col_length,
        position=0,
        raw_line=sep.join(values),
        raw_field_value=rej.raw,
        err_code=rej.code,
        err_reason=rej.reason,
    )
