"""FIXEDWIDTH 'label:width,...': each line cut into fields by character widths, in column order.

Fields of character columns keep their padding (CHAR drops trailing blanks itself; TRIMBLANKS
trims VARCHAR); other columns' fields are stripped, so '  42' and '0042' both read as 42.
"""

from collections.abc import Callable, Iterator

import pyarrow as pa
import pyarrow.compute as pc

from dwsim_redshift.copy.errors import BadRow, CopyError, LoadErrorCode, LoadErrorDetail
from dwsim_redshift.copy.options import CopyCommand
from dwsim_redshift.copy.sources import SourceFile, read_all
from dwsim_redshift.copy.target import PgKind

BATCH_LINES = 131_072


def decode_fixed(
    stream, cmd: CopyCommand, kinds: list[PgKind], reject: Callable, source: SourceFile
) -> Iterator[tuple[list[pa.Array], int, int]]:
    """(string columns, rows, first line) per batch; lines of the wrong length are rejected."""
    widths = [w for _, w in cmd.fixed_widths]
    if len(widths) != len(kinds):
        raise CopyError(
            f"The fixedwidth_spec has {len(widths)} columns; the table (or column list) has "
            f"{len(kinds)}"
        )
    total = sum(widths)
    lines = _text(read_all(stream), cmd, source).splitlines()
    number = cmd.ignore_header
    batch: list[str] = []
    first = number + 1
    for text in lines[cmd.ignore_header :]:
        number += 1
        if not text.strip() and cmd.has("IGNOREBLANKLINES"):
            continue
        length = len(text)
        if (length < total and not cmd.has("FILLRECORD")) or text[total:].strip():
            reject(_wrong_length(source, number, text, total))
            continue
        if not batch:
            first = number
        batch.append(text)
        if len(batch) >= BATCH_LINES:
            yield _cut(batch, widths, kinds), len(batch), first
            batch = []
    if batch:
        yield _cut(batch, widths, kinds), len(batch), first


def _cut(lines: list[str], widths: list[int], kinds: list[PgKind]) -> list[pa.Array]:
    arr = pa.array(lines, pa.string())
    out, start = [], 0
    for width, kind in zip(widths, kinds, strict=True):
        field = pc.utf8_slice_codeunits(arr, start, start + width)
        present = pc.greater(pc.utf8_length(arr), start)  # FILLRECORD: missing fields are NULL
        field = pc.if_else(present, field, None)
        if kind is not PgKind.TEXT:
            field = pc.utf8_trim_whitespace(field)
        out.append(field)
        start += width
    return out


def _text(data: bytes, cmd: CopyCommand, source: SourceFile) -> str:
    """The file as text: invalid UTF-8 fails the load, or becomes ACCEPTINVCHARS' character."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if cmd.has("ACCEPTINVCHARS"):
            replacement = cmd.options.get("ACCEPTINVCHARS") or "?"
            return data.decode("utf-8", "replace").replace("\ufffd", replacement)
        line = data.count(b"\n", 0, exc.start) + 1
        raise BadRow(
            LoadErrorDetail(
                filename=source.url,
                line_number=line,
                colname="",
                type="",
                col_length="0",
                position=0,
                raw_line="",
                raw_field_value="",
                err_code=LoadErrorCode.INVALID_UTF8,
                err_reason="String contains invalid or unsupported UTF8 codepoints",
            )
        ) from None


def _wrong_length(source: SourceFile, number: int, text: str, total: int) -> LoadErrorDetail:
    longer = len(text) > total
    return LoadErrorDetail(
        filename=source.url,
        line_number=number,
        colname="",
        type="",
        col_length="0",
        position=0,
        raw_line=text,
        raw_field_value="",
        err_code=LoadErrorCode.MORE_COLUMNS if longer else LoadErrorCode.FEWER_COLUMNS,
        err_reason=f"Line length {len(text)} does not match the fixedwidth_spec ({total} characters)",
    )
