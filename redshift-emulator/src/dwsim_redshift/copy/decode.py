"""S3 objects -> Arrow record batches: Parquet as is, CSV/text/JSON as strings for conversion."""

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.csv as pacsv

from dwsim_redshift.copy.columnar import COLUMNAR, decode_columnar
from dwsim_redshift.copy.errors import BadRow, LoadErrorCode, LoadErrorDetail, file_error
from dwsim_redshift.copy.fixedwidth import decode_fixed
from dwsim_redshift.copy.json_decode import JsonPath, decode_json
from dwsim_redshift.copy.options import Compression, CopyCommand, DataFormat
from dwsim_redshift.copy.sources import SourceFile
from dwsim_redshift.copy.target import PgKind

BATCH_ROWS = 131_072
_BAD_UTF8 = re.compile(r"string index (\d+)")
CSV_BLOCK = 8 << 20


@dataclass
class Batch:
    """Columns in table-column order (``None``: absent from the file), and the first row's line."""

    columns: list[pa.Array | None]
    num_rows: int
    first_line: int
    source: SourceFile


def decode(
    data,
    source: SourceFile,
    cmd: CopyCommand,
    names: list[str],
    reject: Callable,
    kinds: list[PgKind] | None = None,
    paths: list[JsonPath] | None = None,
) -> Iterator[Batch]:
    """Batches of one file (``data``: bytes, or a readable stream for text formats); a
    malformed row goes to ``reject`` (which raises past MAXERROR). ``kinds``: the target
    columns' kinds; ``paths``: a JSONPaths file's expressions."""
    kinds = kinds or [PgKind.TEXT] * len(names)
    if cmd.format in COLUMNAR:
        for columns, rows, line in decode_columnar(data, source, cmd.format, len(names)):
            yield Batch(columns, rows, line, source)
    elif cmd.format is DataFormat.JSON:
        for columns, rows, line in decode_json(
            _stream(data, cmd), source, cmd, names, kinds, paths
        ):
            yield Batch(columns, rows, line, source)
    elif cmd.format is DataFormat.FIXEDWIDTH:
        for columns, rows, line in decode_fixed(_stream(data, cmd), cmd, kinds, reject, source):
            yield Batch(columns, rows, line, source)
    else:
        yield from _delimited(_stream(data, cmd), source, cmd, names, reject)


def _stream(data, cmd: CopyCommand):
    stream = pa.BufferReader(data) if isinstance(data, bytes) else pa.PythonFile(data, mode="r")
    if cmd.compression is not Compression.NONE:
        stream = pa.CompressedInputStream(stream, cmd.compression.value)
    return stream


def _delimited(
    stream, source: SourceFile, cmd: CopyCommand, targets: list[str], reject: Callable
) -> Iterator[Batch]:
    ncols = len(targets)
    names = [f"c{i}" for i in range(ncols)]
    invalid: list = []
    short: list = []  # rows missing trailing fields, kept under FILLRECORD
    fill = cmd.has("FILLRECORD")

    def on_invalid(row) -> str:
        (short if fill and row.actual_columns < ncols else invalid).append(row)
        return "skip"

    is_csv = cmd.format is DataFormat.CSV
    try:
        reader = pacsv.open_csv(
            stream,
            read_options=pacsv.ReadOptions(
                column_names=names,
                skip_rows=cmd.ignore_header,
                block_size=CSV_BLOCK,
                use_threads=False,
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=cmd.delimiter,
                quote_char=cmd.quote if is_csv else ('"' if cmd.has("REMOVEQUOTES") else False),
                double_quote=is_csv,
                escape_char="\\" if cmd.has("ESCAPE") and not is_csv else False,
                newlines_in_values=is_csv,
                ignore_empty_lines=True,
                invalid_row_handler=on_invalid,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={n: pa.binary() for n in names},  # UTF-8 checked below
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
                null_values=[],
            ),
        )
    except pa.ArrowInvalid as exc:
        if "Empty CSV file" in str(exc):
            return
        raise file_error(source, exc) from None
    except (OSError, ValueError) as exc:
        raise file_error(source, exc) from None
    line = cmd.ignore_header + 1
    while True:
        try:
            rb = reader.read_next_batch()
        except StopIteration:
            break
        except (pa.ArrowInvalid, OSError) as exc:
            raise file_error(source, exc) from None
        for row in invalid:
            reject(_column_count_error(row, source, ncols))
        columns = [_utf8(c, targets[i], line, source, cmd) for i, c in enumerate(rb.columns)]
        yield Batch(columns, rb.num_rows, line, source)
        line += rb.num_rows + len(invalid) + len(short)
        invalid.clear()
        if short:
            yield _filled(short, targets, source, cmd)
            short.clear()
    for row in invalid:
        reject(_column_count_error(row, source, ncols))
    if short:
        yield _filled(short, targets, source, cmd)


def _filled(rows: list, targets: list[str], source: SourceFile, cmd: CopyCommand) -> Batch:
    """FILLRECORD: rows with missing trailing fields, padded with NULLs (parsed one by one)."""
    ncols = len(targets)
    if cmd.format is DataFormat.CSV:
        fields = [
            next(csv.reader([r.text], delimiter=cmd.delimiter, quotechar=cmd.quote)) for r in rows
        ]
    else:
        fields = [r.text.split(cmd.delimiter) for r in rows]
    columns = [
        _utf8(
            pa.array([f[i].encode() if i < len(f) else None for f in fields], pa.binary()),
            targets[i],
            int(rows[0].number or 0),
            source,
            cmd,
        )
        for i in range(ncols)
    ]
    return Batch(columns, len(rows), int(rows[0].number or 0), source)


def _utf8(arr: pa.Array, column: str, line: int, source: SourceFile, cmd: CopyCommand) -> pa.Array:
    """Binary fields -> strings; invalid UTF-8 fails the load, or becomes '?' with ACCEPTINVCHARS."""
    text = arr.view(pa.string())
    try:
        text.validate(full=True)
        return text
    except pa.ArrowInvalid as exc:
        row = int(_BAD_UTF8.search(str(exc)).group(1)) if _BAD_UTF8.search(str(exc)) else 0
    if not cmd.has("ACCEPTINVCHARS"):
        raw = arr[row].as_py() or b""
        raise BadRow(
            LoadErrorDetail(
                filename=source.url,
                line_number=line + row,
                colname=column,
                type="",
                col_length="0",
                position=0,
                raw_line="",
                raw_field_value=raw.decode("utf-8", "replace"),
                err_code=LoadErrorCode.INVALID_UTF8,
                err_reason="String contains invalid or unsupported UTF8 codepoints",
            )
        )
    replacement = cmd.options.get("ACCEPTINVCHARS") or "?"
    return pa.array(
        [
            None if v is None else v.decode("utf-8", "replace").replace("\ufffd", replacement)
            for v in arr.to_pylist()
        ],
        pa.string(),
    )


def _column_count_error(row, source: SourceFile, ncols: int) -> LoadErrorDetail:
    more = row.actual_columns > ncols
    return LoadErrorDetail(
        filename=source.url,
        line_number=int(row.number) if row.number is not None else 0,
        colname="",
        type="",
        col_length="0",
        position=0,
        raw_line=row.text,
        raw_field_value="",
        err_code=LoadErrorCode.MORE_COLUMNS if more else LoadErrorCode.FEWER_COLUMNS,
        err_reason=("Extra column(s) found" if more else "Delimiter not found")
        + f" (expected {ncols} columns, found {row.actual_columns})",
    )
