"""Text fields -> typed Arrow arrays, vectorised. A value that does not parse becomes null and is
flagged in the returned ``bad`` mask, so the caller can name its line and column."""

import json

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dwsim_redshift.copy.errors import LoadErrorCode

_INT_RE = r"^[+-]?[0-9]+$"
_FLOAT_RE = r"^[+-]?(([0-9]+\.?[0-9]*)|(\.[0-9]+))([eE][+-]?[0-9]+)?$|^[+-]?(?i:inf|infinity|nan)$"
_DEC_RE = r"^[+-]?(([0-9]+\.?[0-9]*)|(\.[0-9]+))$"
_UUID_RE = (
    r"^\{?[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}\}?$"
)
TRUE_WORDS = ["t", "true", "1", "y", "yes", "on"]
FALSE_WORDS = ["f", "false", "0", "n", "no", "off"]
INT_RANGES = {
    pa.int16(): (-(2**15), 2**15 - 1),
    pa.int32(): (-(2**31), 2**31 - 1),
    pa.int64(): (-(2**63), 2**63 - 1),
}
_HEX = np.full(256, 255, dtype=np.uint8)
for _i, _c in enumerate(b"0123456789abcdef"):
    _HEX[_c] = _i


class Outcome:
    """Parsed values, plus which rows failed and why (one reason per column)."""

    def __init__(self, values: pa.Array, bad: pa.Array | None = None, code=None, why: str = ""):
        self.values = values
        self.bad = bad
        self.code = code
        self.why = why

    def first_bad(self) -> int | None:
        if self.bad is None:
            return None
        idx = pc.index(self.bad, True).as_py()
        return None if idx < 0 else idx


def failed(raw: pa.Array, parsed: pa.Array) -> pa.Array:
    """Rows with a value in ``raw`` that became null in ``parsed``."""
    return pc.and_kleene(pc.is_valid(raw), pc.is_null(parsed))


def _only(arr: pa.Array, pattern: str) -> tuple[pa.Array, pa.Array]:
    ok = pc.fill_null(pc.match_substring_regex(arr, pattern), False)
    return pc.if_else(ok, arr, None), ok


def parse_int(arr: pa.Array, to: pa.DataType) -> Outcome:
    try:  # fast path: every value is a plain integer
        return int_range(pc.cast(arr, pa.int64()), to, arr)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    arr = pc.utf8_trim_whitespace(arr)
    kept, _ok = _only(arr, _INT_RE)
    short = pc.less_equal(pc.utf8_length(kept), 18)
    values = pc.cast(pc.if_else(short, kept, None), pa.int64())
    long_rows = pc.fill_null(pc.invert(short), False)
    if pc.any(long_rows).as_py():  # 19+ digits: rare, checked one by one
        big = [
            int(v) if v is not None and -(2**63) <= int(v) < 2**63 else None
            for v in pc.if_else(long_rows, kept, None).to_pylist()
        ]
        values = pc.coalesce(values, pa.array(big, pa.int64()))
    bad = failed(arr, kept)
    if pc.any(bad).as_py():
        return Outcome(values, bad, LoadErrorCode.INVALID_DIGIT, "Invalid digit")
    return int_range(values, to, arr)


def int_range(values: pa.Array, to: pa.DataType, raw: pa.Array) -> Outcome:
    lo, hi = INT_RANGES[to]
    if values.type == to:
        return Outcome(values)
    try:
        return Outcome(pc.cast(values, to))
    except pa.ArrowInvalid:
        pass
    floats = pc.cast(values, pa.float64()) if not pa.types.is_integer(values.type) else values
    out = pc.or_kleene(pc.less(floats, lo), pc.greater(floats, hi))
    bad = pc.or_kleene(pc.fill_null(out, False), failed(raw, values))
    if pa.types.is_floating(values.type):
        frac = pc.not_equal(values, pc.trunc(values))
        bad = pc.or_kleene(bad, pc.fill_null(frac, False))
    safe = pc.if_else(bad, None, values)
    return Outcome(pc.cast(safe, to, safe=False), bad, LoadErrorCode.INTEGER_OVERFLOW, "Overflow")


def parse_float(arr: pa.Array, to: pa.DataType) -> Outcome:
    try:
        return Outcome(pc.cast(pc.cast(arr, pa.float64()), to))
    except pa.ArrowInvalid:
        pass
    arr = pc.utf8_trim_whitespace(arr)
    kept, _ = _only(arr, _FLOAT_RE)
    values = pc.cast(pc.cast(kept, pa.float64()), to)
    return Outcome(values, failed(arr, kept), LoadErrorCode.FLOAT_FORMAT, "Invalid digit")


def parse_decimal(arr: pa.Array, to: pa.DataType, roundec: bool = False) -> Outcome:
    if not pc.any(pc.match_substring(arr, "e", ignore_case=True)).as_py():
        try:  # fast path: no value has more digits after the point than the column
            return fit_decimal(pc.cast(arr, pa.decimal128(38, to.scale)), to, roundec)
        except pa.ArrowInvalid:
            pass
    arr = pc.utf8_trim_whitespace(arr)
    kept, _ = _only(arr, _DEC_RE)
    bad = failed(arr, kept)
    if pc.any(bad).as_py():
        return Outcome(pa.nulls(len(arr), to), bad, LoadErrorCode.INVALID_DIGIT, "Invalid digit")
    scale = max(to.scale, fraction_digits(kept))
    try:
        parsed = pc.cast(kept, pa.decimal128(38, scale))
    except pa.ArrowInvalid:
        return Outcome(
            pa.nulls(len(arr), to),
            pc.is_valid(arr),
            LoadErrorCode.OUT_OF_RANGE,
            "Numeric data overflow (result precision)",
        )
    return fit_decimal(parsed, to, roundec)


def fraction_digits(arr: pa.Array) -> int:
    """Most digits after the decimal point among the values (at most 38)."""
    dot = pc.find_substring(arr, ".")
    frac = pc.if_else(pc.greater_equal(dot, 0), pc.subtract(pc.utf8_length(arr), pc.add(dot, 1)), 0)
    return min(38, pc.max(frac).as_py() or 0)


def fit_decimal(values: pa.Array, to: pa.DataType, roundec: bool = False) -> Outcome:
    """Fit the column's scale (truncated as Redshift does, rounded with ROUNDEC); flag values
    with too many integer digits."""
    if values.type.scale > to.scale:
        mode = "half_towards_infinity" if roundec else "towards_zero"
        values = pc.round(values, ndigits=to.scale, round_mode=mode)
    wide = pc.cast(values, pa.decimal128(38, to.scale))
    if to.precision >= 38:
        return Outcome(wide)
    limit = pa.scalar(10 ** (to.precision - to.scale), pa.decimal128(38, 0)).cast(
        pa.decimal128(38, to.scale)
    )
    too_big = pc.fill_null(pc.greater_equal(pc.abs(wide), limit), False)
    if not pc.any(too_big).as_py():
        return Outcome(pc.cast(wide, to))
    fitted = pc.cast(pc.if_else(too_big, None, wide), to)
    return Outcome(
        fitted, too_big, LoadErrorCode.OUT_OF_RANGE, "Numeric data overflow (result precision)"
    )


def parse_bool(arr: pa.Array) -> Outcome:
    word = pc.utf8_lower(pc.utf8_trim_whitespace(arr))
    is_true = pc.is_in(word, pa.array(TRUE_WORDS))
    is_false = pc.is_in(word, pa.array(FALSE_WORDS))
    values = pc.if_else(is_true, True, pc.if_else(is_false, False, None))
    return Outcome(
        values, failed(arr, values), LoadErrorCode.BOOLEAN_FORMAT, "Invalid Boolean value"
    )


def parse_uuid(arr: pa.Array) -> Outcome:
    kept, _ = _only(pc.utf8_trim_whitespace(arr), _UUID_RE)
    bad = failed(arr, kept)
    hexes = pc.utf8_lower(pc.replace_substring_regex(kept, r"[-{}]", ""))
    filled = pc.fill_null(hexes, "0" * 32).cast(pa.binary())
    offsets = np.frombuffer(filled.buffers()[1], np.int32)[
        filled.offset : filled.offset + len(filled) + 1
    ]
    data = np.frombuffer(filled.buffers()[2], np.uint8)[offsets[0] : offsets[-1]]
    nib = _HEX[data].reshape(len(filled), 32)
    raw = (nib[:, 0::2] << 4 | nib[:, 1::2]).astype(np.uint8)
    values = pa.FixedSizeBinaryArray.from_buffers(
        pa.binary(16), len(filled), [None, pa.py_buffer(raw.tobytes())]
    )
    values = pc.if_else(pc.is_valid(hexes), values, None)
    return Outcome(values, bad, LoadErrorCode.INVALID_DIGIT, "Invalid uuid")


def parse_json(arr: pa.Array) -> Outcome:
    """JSON text is validated value by value (SUPER columns are rare; PostgreSQL names no line)."""
    bad = []
    for v in arr.to_pylist():
        ok = True
        if v is not None:
            try:
                json.loads(v)
            except ValueError:
                ok = False
        bad.append(not ok)
    return Outcome(arr, pa.array(bad), LoadErrorCode.INVALID_JSON, "Invalid JSON")


def to_json_text(arr: pa.Array) -> pa.Array:
    """Nested JSON values (struct/list from JSON 'auto') back to JSON text."""
    return pa.array(
        [None if v is None else json.dumps(v, default=str) for v in arr.to_pylist()], pa.string()
    )


def parse_hex(arr: pa.Array) -> Outcome:
    out, bad = [], []
    for v in arr.to_pylist():
        try:
            out.append(None if v is None else bytes.fromhex(v.removeprefix("\\x")))
            bad.append(False)
        except ValueError:
            out.append(None)
            bad.append(True)
    return Outcome(
        pa.array(out, pa.binary()), pa.array(bad), LoadErrorCode.INVALID_DIGIT, "Invalid hex digit"
    )
