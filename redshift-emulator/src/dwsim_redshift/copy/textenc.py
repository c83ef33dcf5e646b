"""Arrow columns -> CSV COPY text: the path for column types with no binary encoder here."""

import io

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv


def encode_csv(columns: list[pa.Array], trim: list[bool]) -> bytes:
    """CSV where NULL is an unquoted empty field and every string is quoted (PostgreSQL's CSV).

    ``trim``: decimals written without trailing fractional zeros (unconstrained NUMERIC).
    """
    texts = [
        _trimmed(_as_text(a)) if t else _as_text(a) for a, t in zip(columns, trim, strict=True)
    ]
    table = pa.table({f"c{i}": arr for i, arr in enumerate(texts)})
    sink = io.BytesIO()
    pacsv.write_csv(table, sink, pacsv.WriteOptions(include_header=False, quoting_style="needed"))
    return sink.getvalue()


def _as_text(arr: pa.Array) -> pa.Array:
    typ = arr.type
    if pa.types.is_string(typ):
        return arr
    if pa.types.is_fixed_size_binary(typ) and typ.byte_width == 16:
        return pa.array([None if v is None else _uuid(v) for v in arr.to_pylist()], pa.string())
    if pa.types.is_binary(typ):
        return pa.array(
            [None if v is None else "\\x" + v.hex() for v in arr.to_pylist()], pa.string()
        )
    if pa.types.is_timestamp(typ) and typ.tz is not None:
        naive = arr.cast(pa.int64()).cast(pa.timestamp("us"))
        return pc.binary_join_element_wise(pc.cast(naive, pa.string()), "+00", "")
    return pc.cast(arr, pa.string())


def _trimmed(text: pa.Array) -> pa.Array:
    text = pc.replace_substring_regex(text, r"(\.[0-9]*?)0+$", r"\1")
    return pc.replace_substring_regex(text, r"\.$", "")


def _uuid(raw: bytes) -> str:
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
