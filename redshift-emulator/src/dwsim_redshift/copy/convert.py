"""Source columns -> the canonical Arrow type of each target column, with Redshift's checks.

A value Redshift would reject raises :class:`Rejected` naming the row, so the load can report
file, line, column and value (PostgreSQL's own error from a binary COPY names no line).
"""

from dataclasses import dataclass

import pyarrow as pa
import pyarrow.compute as pc

from dwsim_redshift.copy import parse
from dwsim_redshift.copy.datetimes import parse_dates, parse_timestamps
from dwsim_redshift.copy.errors import LoadErrorCode
from dwsim_redshift.copy.target import PgKind, TargetColumn


@dataclass(frozen=True)
class ConvertOptions:
    null_as: str = "\\N"
    empty_as_null: bool = False
    blanks_as_null: bool = False
    dateformat: str | None = None
    timeformat: str | None = None
    truncate: bool = False
    roundec: bool = False
    trim_blanks: bool = False  # TRIMBLANKS: trailing blanks off VARCHAR values
    text_source: bool = True  # CSV/text: NULL AS and empty-field rules apply


class Rejected(Exception):
    """Rows of one column Redshift would reject: ``rows`` (ascending) and why, row by row."""

    def __init__(self, rows, code: LoadErrorCode, why: str, raw: pa.Array, col: TargetColumn):
        self.rows = [int(r) for r in rows]
        self.code = code
        self.why = why
        self.values = raw
        self.col = col
        super().__init__(self.reason_for(self.rows[0]))

    @property
    def row(self) -> int:
        return self.rows[0]

    def raw_for(self, row: int) -> str:
        return _raw(self.values, row)

    def reason_for(self, row: int) -> str:
        if self.why not in ("Invalid digit", "Overflow"):
            return self.why
        value = self.raw_for(row)
        pos = next((i for i, ch in enumerate(value) if not (ch.isdigit() or ch in "+-.eE")), 0)
        shown = value[pos] if self.why == "Invalid digit" and value else value
        kind = _TYPE_WORD.get(self.col.kind, self.col.typname)
        return f"{self.why}, Value '{shown}', Pos {pos}, Type: {kind}"


_INTS = {PgKind.INT2: pa.int16(), PgKind.INT4: pa.int32(), PgKind.INT8: pa.int64()}
_FLOATS = {PgKind.FLOAT4: pa.float32(), PgKind.FLOAT8: pa.float64()}
_TYPE_WORD = {
    PgKind.INT2: "Short",
    PgKind.INT4: "Integer",
    PgKind.INT8: "Long",
    PgKind.FLOAT4: "Real",
    PgKind.FLOAT8: "Double",
    PgKind.NUMERIC: "Decimal",
}


def canonical_type(col: TargetColumn, source: pa.DataType | None = None) -> pa.DataType:
    kind = col.kind
    if kind in _INTS:
        return _INTS[kind]
    if kind in _FLOATS:
        return _FLOATS[kind]
    if kind is PgKind.NUMERIC:
        if col.precision_scale:
            return pa.decimal128(*col.precision_scale)
        if source is not None and pa.types.is_decimal(source) and source.precision <= 38:
            return pa.decimal128(source.precision, source.scale)
        return pa.decimal128(38, 15)
    return {
        PgKind.BOOL: pa.bool_(),
        PgKind.DATE: pa.date32(),
        PgKind.TIMESTAMP: pa.timestamp("us"),
        PgKind.TIMESTAMPTZ: pa.timestamp("us", "UTC"),
        PgKind.BYTEA: pa.binary(),
        PgKind.UUID: pa.binary(16),
    }.get(kind, pa.string())


def convert(arr: pa.Array | None, col: TargetColumn, n: int, opts: ConvertOptions) -> pa.Array:
    to = canonical_type(col, arr.type if arr is not None else None)
    if arr is None:
        arr = pa.nulls(n, to)
    if pa.types.is_dictionary(arr.type):
        arr = arr.dictionary_decode()
    if pa.types.is_large_string(arr.type):
        arr = arr.cast(pa.string())
    if pa.types.is_string(arr.type) and col.kind not in (PgKind.BYTEA,):
        text = _nulls(arr, col, opts) if opts.text_source else arr
        if col.kind is PgKind.NUMERIC and col.precision_scale is None:
            to = pa.decimal128(38, parse.fraction_digits(text))  # trailing zeros trimmed later
        out = _from_text(text, col, to, opts)
    else:
        out = _from_typed(arr, col, to, opts)
    values = _check(out, arr, col)
    if opts.trim_blanks and col.typname == "varchar" and pa.types.is_string(values.type):
        values = pc.utf8_rtrim(values, characters=" ")
    if col.kind is PgKind.TEXT and col.max_length is not None:
        values = _fit_length(values, arr, col, opts)
    if col.not_null and values.null_count:
        rows = _rows(pc.is_null(values))
        raise Rejected(rows, LoadErrorCode.NOT_NULL, "Missing data for not-null field", arr, col)
    return values


def _nulls(arr: pa.Array, col: TargetColumn, opts: ConvertOptions) -> pa.Array:
    """NULL AS, EMPTYASNULL, BLANKSASNULL; empty fields are always NULL for non-text columns."""
    mask = pc.equal(arr, opts.null_as)
    text_like = col.kind is PgKind.TEXT
    if not text_like or opts.empty_as_null:
        mask = pc.or_kleene(mask, pc.equal(arr, ""))
    if not text_like or opts.blanks_as_null:
        mask = pc.or_kleene(mask, pc.utf8_is_space(arr))
    return pc.if_else(pc.fill_null(mask, False), None, arr) if pc.any(mask).as_py() else arr


def _from_text(arr: pa.Array, col: TargetColumn, to: pa.DataType, opts: ConvertOptions):
    kind = col.kind
    if kind in _INTS:
        return parse.parse_int(arr, to)
    if kind in _FLOATS:
        return parse.parse_float(arr, to)
    if kind is PgKind.NUMERIC:
        return parse.parse_decimal(arr, to, opts.roundec)
    if kind is PgKind.BOOL:
        return parse.parse_bool(arr)
    if kind is PgKind.DATE:
        values = parse_dates(arr, opts.dateformat)
        return parse.Outcome(
            values,
            parse.failed(arr, values),
            LoadErrorCode.DATE_FORMAT,
            f"Invalid Date Format [{opts.dateformat or 'YYYY-MM-DD'}]",
        )
    if kind in (PgKind.TIMESTAMP, PgKind.TIMESTAMPTZ):
        values = parse_timestamps(arr, opts.timeformat, to.tz)
        return parse.Outcome(
            values,
            parse.failed(arr, values),
            LoadErrorCode.TIMESTAMP_FORMAT,
            f"Invalid timestamp format or value [{opts.timeformat or 'YYYY-MM-DD HH24:MI:SS'}]",
        )
    if kind is PgKind.UUID:
        return parse.parse_uuid(arr)
    if kind in (PgKind.JSON, PgKind.JSONB):
        return parse.parse_json(arr)
    return parse.Outcome(arr)


def _from_typed(arr: pa.Array, col: TargetColumn, to: pa.DataType, opts: ConvertOptions):
    kind, src = col.kind, arr.type
    nested = pa.types.is_struct(src) or pa.types.is_list(src) or pa.types.is_map(src)
    if nested or (kind in (PgKind.JSON, PgKind.JSONB) and not pa.types.is_string(src)):
        if kind in (PgKind.JSON, PgKind.JSONB, PgKind.TEXT, PgKind.OTHER):
            return parse.Outcome(parse.to_json_text(arr))
        return _cast(
            arr, to, LoadErrorCode.UNKNOWN, f"Cannot load a nested value into {col.type_name}"
        )
    if (
        pa.types.is_timestamp(src)
        and (pa.types.is_timestamp(to) or pa.types.is_date(to))
        and src.tz is None
    ):
        return parse.Outcome(pc.cast(arr, to, safe=False))
    if kind is PgKind.BYTEA:
        if pa.types.is_string(src):
            return parse.parse_hex(arr)
        return _cast(arr, to, LoadErrorCode.UNKNOWN, "Invalid binary value")
    if kind in _INTS:
        if pa.types.is_boolean(src):
            arr = pc.cast(arr, pa.int8())
        return parse.int_range(arr, to, arr)
    if kind is PgKind.NUMERIC:
        if pa.types.is_floating(src):
            scale = to.scale
            arr = pc.cast(
                pc.round(arr, ndigits=scale, round_mode="half_towards_infinity"),
                pa.decimal128(38, scale),
                safe=False,
            )
        elif pa.types.is_integer(src):
            arr = pc.cast(pc.cast(arr, pa.int64()), pa.decimal128(38, 0))
        elif not pa.types.is_decimal(src):
            return _cast(arr, to, LoadErrorCode.DECIMAL_FORMAT, "Invalid decimal value")
        return parse.fit_decimal(arr, to, opts.roundec)
    if kind in (PgKind.TIMESTAMP, PgKind.TIMESTAMPTZ):
        if pa.types.is_integer(src) or pa.types.is_floating(src):
            mode = (opts.timeformat or "").lower()
            scale = {"epochsecs": 1_000_000, "epochmillisecs": 1_000}.get(mode)
            if scale is None:
                return _cast(arr, to, LoadErrorCode.TIMESTAMP_FORMAT, "Invalid timestamp value")
            micros = pc.cast(pc.round(pc.multiply(pc.cast(arr, pa.float64()), scale)), pa.int64())
            return parse.Outcome(micros.cast(to))
        if pa.types.is_timestamp(src):  # zoned (naive ones were handled above): to UTC
            utc = pc.cast(arr, pa.timestamp("us", "UTC"), safe=False)
            return parse.Outcome(utc if to.tz else utc.cast(pa.int64()).cast(to))
    if kind is PgKind.DATE and pa.types.is_timestamp(src) and src.tz is not None:
        utc = pc.cast(arr, pa.timestamp("us", "UTC"), safe=False)
        return parse.Outcome(pc.cast(utc.cast(pa.int64()).cast(pa.timestamp("us")), to, safe=False))
    if kind is PgKind.BOOL and (pa.types.is_integer(src) or pa.types.is_floating(src)):
        return parse.Outcome(pc.not_equal(arr, 0))
    if kind in (PgKind.TEXT, PgKind.OTHER) and pa.types.is_binary(src):
        return _cast(
            arr,
            to,
            LoadErrorCode.INVALID_UTF8,
            "String contains invalid or unsupported UTF8 codepoints",
        )
    return _cast(
        arr,
        to,
        LoadErrorCode.UNKNOWN,
        f"Cannot load a {src} value into a column of type {col.type_name}",
    )


def _cast(arr: pa.Array, to: pa.DataType, code: LoadErrorCode, why: str) -> parse.Outcome:
    """Vectorised cast; on failure, bisect for the first row that fails."""
    try:
        return parse.Outcome(pc.cast(arr, to))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        pass
    lo, hi = 0, len(arr)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        try:
            pc.cast(arr.slice(lo, mid - lo), to)
            lo = mid
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
            hi = mid
    bad = pa.array([i == lo for i in range(len(arr))]) if len(arr) else pa.array([], pa.bool_())
    return parse.Outcome(pa.nulls(len(arr), to), bad, code, why)


def _check(out: parse.Outcome, raw: pa.Array, col: TargetColumn) -> pa.Array:
    if out.first_bad() is None:
        return out.values
    raise Rejected(_rows(out.bad), out.code, out.why, raw, col)


def _rows(mask: pa.Array):
    return pc.indices_nonzero(pc.fill_null(mask, False)).to_numpy()


def _fit_length(
    values: pa.Array, raw: pa.Array, col: TargetColumn, opts: ConvertOptions
) -> pa.Array:
    limit = col.max_length
    too_long = pc.fill_null(pc.greater(pc.binary_length(values), limit), False)
    if not pc.any(too_long).as_py():
        return values
    if opts.truncate:
        cut = pc.utf8_slice_codeunits(values, 0, limit)
        while True:  # Redshift counts bytes: drop whole characters until the bytes fit
            over = pc.fill_null(pc.greater(pc.binary_length(cut), limit), False)
            if not pc.any(over).as_py():
                return cut
            shorter = pc.utf8_slice_codeunits(cut, 0, -1)
            cut = pc.if_else(over, shorter, cut)
    raise Rejected(
        _rows(too_long), LoadErrorCode.OUT_OF_RANGE, "String length exceeds DDL length", raw, col
    )


def _raw(arr: pa.Array, row: int) -> str:
    value = arr[row].as_py()
    if value is None:
        return ""
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return str(value)
