"""DATEFORMAT/TIMEFORMAT: Redshift format strings, 'auto' and epochs, parsed vectorised."""

import re

import pyarrow as pa
import pyarrow.compute as pc

_PARTS = [
    ("MONTH", "%B"),
    ("MON", "%b"),
    ("HH24", "%H"),
    ("HH12", "%I"),
    ("HH", "%H"),
    ("YYYY", "%Y"),
    ("YY", "%y"),
    ("MM", "%m"),
    ("MI", "%M"),
    ("DD", "%d"),
    ("SS", "%S"),
    ("AM", "%p"),
    ("PM", "%p"),
]
_PART_RE = re.compile("|".join(p for p, _ in _PARTS), re.I)
_PART_MAP = dict(_PARTS)
_AUTO_DATE = [
    "%Y-%m-%d",
    "%Y/%m/%d",
    "%m/%d/%Y",
    "%m-%d-%Y",
    "%d.%m.%Y",
    "%Y%m%d",
    "%d-%b-%Y",
    "%b %d %Y",
    "%d %b %Y",
    "%B %d, %Y",
    "%b %d, %Y",
]
_AUTO_TIME = [
    "%Y-%m-%d %H:%M:%S",
    "%Y/%m/%d %H:%M:%S",
    "%m/%d/%Y %H:%M:%S",
    "%Y%m%d %H:%M:%S",
    "%d-%b-%Y %H:%M:%S",
    "%b %d %Y %H:%M:%S",
    "%Y-%m-%d %I:%M:%S %p",
    "%m/%d/%Y %I:%M:%S %p",
    "%d.%m.%Y %H:%M:%S",
]
_OFFSET = r"(Z|[+-]\d\d(:?\d\d)?)$"
DEFAULT_DATEFORMAT = "YYYY-MM-DD"
DEFAULT_TIMEFORMAT = "YYYY-MM-DD HH:MI:SS"


def to_strptime(fmt: str) -> str:
    """'DD/MM/YYYY HH24:MI' -> '%d/%m/%Y %H:%M'."""
    return _PART_RE.sub(lambda m: _PART_MAP[m.group(0).upper()], fmt.replace("%", "%%"))


def parse_dates(arr: pa.Array, fmt: str | None) -> pa.Array:
    """String array -> date32; unparsable values become null (the caller names them)."""
    if fmt is None or fmt.upper() == DEFAULT_DATEFORMAT:
        try:  # fast path: all ISO dates
            return pc.cast(arr, pa.date32())
        except pa.ArrowInvalid:
            pass
        ok = pc.match_substring_regex(arr, r"^\d{4}-\d{2}-\d{2}$")
        safe = pc.if_else(ok, arr, None)
        try:
            return pc.cast(safe, pa.date32())
        except pa.ArrowInvalid:
            return _try_formats(safe, ["%Y-%m-%d"]).cast(pa.date32())
    if fmt.lower() == "auto":
        iso = _iso_timestamps(arr, None)
        return pc.coalesce(iso, _try_formats(arr, _AUTO_DATE)).cast(pa.date32())
    return _try_formats(arr, [to_strptime(fmt)]).cast(pa.date32())


def parse_timestamps(arr: pa.Array, fmt: str | None, tz: str | None) -> pa.Array:
    """String array -> timestamp[us] (UTC when ``tz``); unparsable values become null."""
    unit = pa.timestamp("us", tz)
    mode = (fmt or "").lower()
    if mode in ("epochsecs", "epochmillisecs"):
        nums = _safe_cast(arr, pa.float64())
        scale = 1_000_000 if mode == "epochsecs" else 1_000
        micros = pc.round(pc.multiply(nums, scale))
        return _safe_cast(micros, pa.int64()).cast(unit)
    if fmt is None or mode == "auto" or fmt.upper() == DEFAULT_TIMEFORMAT:
        try:  # fast path: all ISO timestamps (with a zone offset when the column has one)
            return pc.cast(arr, unit)
        except pa.ArrowInvalid:
            pass
        iso = _iso_timestamps(arr, tz)
        if mode == "auto":
            iso = pc.coalesce(iso, _try_formats(arr, _AUTO_TIME).cast(unit))
        return iso
    return _try_formats(arr, [to_strptime(fmt)]).cast(unit)


def _iso_timestamps(arr: pa.Array, tz: str | None) -> pa.Array:
    """ISO 8601 text; values with a zone offset are converted, the others are taken as UTC."""
    looks = pc.match_substring_regex(
        arr, r"^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?)?\s*(Z|[+-]\d\d(:?\d\d)?)?$"
    )
    arr = pc.if_else(looks, arr, None)
    has_offset = pc.match_substring_regex(arr, _OFFSET)
    naive = _safe_cast(pc.if_else(has_offset, None, arr), pa.timestamp("us"))
    if tz is None and not pc.any(has_offset).as_py():
        return naive
    aware = _safe_cast(pc.if_else(has_offset, arr, None), pa.timestamp("us", "UTC"))
    if tz is None:
        aware = aware.cast(pa.int64()).cast(pa.timestamp("us"))
        return pc.coalesce(naive, aware)
    return pc.coalesce(naive.cast(pa.int64()).cast(pa.timestamp("us", tz)), aware)


def _try_formats(arr: pa.Array, formats: list[str]) -> pa.Array:
    out = None
    for f in formats:
        parsed = pc.strptime(arr, format=f, unit="s", error_is_null=True)
        # strptime rolls impossible days over (Feb 30 -> Mar 1): keep only values that print back
        back = pc.strftime(parsed, format=f)
        same = pc.equal(_loose(back), _loose(arr))
        parsed = pc.if_else(pc.fill_null(same, False), parsed, None).cast(pa.timestamp("us"))
        out = parsed if out is None else pc.coalesce(out, parsed)
    return out


def _loose(arr: pa.Array) -> pa.Array:
    """Compare dates printed and typed: case and leading zeros aside."""
    return pc.replace_substring_regex(
        pc.utf8_lower(pc.utf8_trim_whitespace(arr)), r"(^|\D)0+(\d)", r"\1\2"
    )


def _safe_cast(arr: pa.Array, to: pa.DataType) -> pa.Array:
    """Cast; when some value fails, cast the values one by one (only those become null)."""
    try:
        return pc.cast(arr, to)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        out = []
        for v in arr.to_pylist():
            try:
                out.append(pc.cast(pa.array([v], arr.type), to)[0].as_py())
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                out.append(None)
        return pa.array(out, to)
