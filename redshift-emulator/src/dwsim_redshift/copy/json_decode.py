"""JSON files -> Arrow columns: 'auto' / 'auto ignorecase' (keys matched to column names),
'noshred' (each whole document into the one SUPER column), or a JSONPaths file (one path per
column, in column order)."""

import json
import re
from collections.abc import Iterator

import pyarrow as pa
import pyarrow.json as pajson

from dwsim_redshift.copy.errors import CopyError, LoadErrorCode, file_error
from dwsim_redshift.copy.options import CopyCommand
from dwsim_redshift.copy.sources import SourceFile, read_all
from dwsim_redshift.copy.target import PgKind

BATCH_ROWS = 131_072
BLOCK = 8 << 20
SUPER_KINDS = (PgKind.JSON, PgKind.JSONB)
JsonPath = tuple[str | int, ...]
_STEP = re.compile(
    r"\.([^.\[\]]+)|\[\s*'((?:[^'\\]|\\.)*)'\s*\]|\[\s*\"([^\"]*)\"\s*\]|\[\s*(\d+)\s*\]"
)


def parse_jsonpaths(body: bytes, url: str, ncols: int) -> list[JsonPath]:
    """A JSONPaths file: {"jsonpaths": ["$['a']", "$.b[0]", ...]}, one path per column."""
    try:
        doc = json.loads(body)
        exprs = doc["jsonpaths"]
        if not isinstance(exprs, list) or not all(isinstance(e, str) for e in exprs):
            raise TypeError
    except (ValueError, KeyError, TypeError):
        raise CopyError(
            f"Invalid JSONPath format in '{url}': expected an object with a \"jsonpaths\" array "
            "of strings"
        ) from None
    if len(exprs) != ncols:
        raise CopyError(
            "Number of jsonpaths and the number of columns should match. "
            f"JSONPath size: {len(exprs)}, Number of columns in table or column list: {ncols}"
        )
    return [_path(e) for e in exprs]


def _path(expr: str) -> JsonPath:
    text = expr.strip()
    if not text.startswith("$"):
        raise CopyError(f"Invalid JSONPath format: '{expr}' does not start with $")
    steps: list[str | int] = []
    pos = 1
    while pos < len(text):
        m = _STEP.match(text, pos)
        if m is None or m.group(1) in ("*",) or "*" in (m.group(2) or ""):
            raise CopyError(
                f"Invalid JSONPath format: '{expr}' (only explicit names and array indexes; "
                "wildcards and filters are not supported by Redshift)"
            )
        name, quoted, dquoted, index = m.groups()
        steps.append(int(index) if index is not None else (name or quoted or dquoted))
        pos = m.end()
    return tuple(steps)


def decode_json(
    stream,
    source: SourceFile,
    cmd: CopyCommand,
    names: list[str],
    kinds: list[PgKind],
    paths: list[JsonPath] | None,
) -> Iterator[tuple[list[pa.Array | None], int, int]]:
    """(columns, rows, first line) per batch, columns in table order (None: absent)."""
    data = read_all(stream)
    auto = cmd.json_mode in ("auto", "auto ignorecase")
    if auto and not any(k in SUPER_KINDS for k in kinds):
        try:  # Arrow's reader when the columns have one type each
            yield from _auto(data, names, cmd.json_ignorecase)
            return
        except pa.ArrowInvalid:
            pass  # mixed types in a key: read document by document
    if cmd.json_mode == "noshred" and (len(kinds) != 1 or kinds[0] not in SUPER_KINDS):
        raise CopyError("JSON 'noshred' loads into a table (or column list) of one SUPER column")
    if auto:
        folded = [n.lower() for n in names] if cmd.json_ignorecase else names
        paths = [(n,) for n in folded]
    rows: list[list] = []
    first = 1
    for line, doc in _documents(data, source):
        if not rows:
            first = line
        if auto and cmd.json_ignorecase and isinstance(doc, dict):
            doc = {str(k).lower(): v for k, v in doc.items()}
        rows.append([doc] if paths is None else [_follow(doc, p) for p in paths])
        if len(rows) >= BATCH_ROWS:
            yield _columns(rows, kinds), len(rows), first
            rows = []
    if rows:
        yield _columns(rows, kinds), len(rows), first


def _auto(data: bytes, names: list[str], ignorecase: bool) -> Iterator:
    """Arrow's JSON reader: raises ArrowInvalid for what it cannot type (or parse)."""
    try:
        table = pajson.read_json(
            pa.BufferReader(data),
            read_options=pajson.ReadOptions(use_threads=False, block_size=BLOCK),
            parse_options=pajson.ParseOptions(newlines_in_values=True),
        )
    except pa.ArrowInvalid as exc:
        if "Empty JSON file" in str(exc):
            return
        raise
    index = {(k.lower() if ignorecase else k): i for i, k in enumerate(table.column_names)}
    line = 1
    for rb in table.to_batches(max_chunksize=BATCH_ROWS):
        cols = []
        for name in names:
            i = index.get(name.lower() if ignorecase else name)
            cols.append(rb.column(i) if i is not None else None)
        yield cols, rb.num_rows, line
        line += rb.num_rows


def _documents(data: bytes, source: SourceFile) -> Iterator[tuple[int, object]]:
    """Top-level JSON values, one after another (objects or arrays, spread over lines or not)."""
    text = data.decode("utf-8", "replace")
    decoder = json.JSONDecoder()
    pos, line, n = 0, 1, len(text)
    while True:
        start = pos
        while pos < n and text[pos] in " \t\r\n":
            pos += 1
        line += text.count("\n", start, pos)
        if pos >= n:
            return
        try:
            doc, end = decoder.raw_decode(text, pos)
        except ValueError as exc:
            raise file_error(
                source,
                ValueError(f"Invalid JSON at line {line}: {exc}"),
                LoadErrorCode.INVALID_JSON,
            ) from None
        yield line, doc
        line += text.count("\n", pos, end)
        pos = end


def _follow(doc: object, path: JsonPath) -> object:
    for step in path:
        if isinstance(step, int):
            if not isinstance(doc, list) or step >= len(doc):
                return None
        elif not isinstance(doc, dict):
            return None
        doc = doc[step] if isinstance(step, int) else doc.get(step)
    return doc


def _columns(rows: list[list], kinds: list[PgKind]) -> list[pa.Array]:
    """Strings for conversion: JSON text for SUPER columns, the value's text for the others."""
    out = []
    for i, kind in enumerate(kinds):
        values = [r[i] for r in rows]
        if kind in SUPER_KINDS:
            out.append(
                pa.array([None if v is None else json.dumps(v) for v in values], pa.string())
            )
        else:
            out.append(pa.array([_text(v) for v in values], pa.string()))
    return out


def _text(value: object) -> str | None:
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value)
    return str(value)
