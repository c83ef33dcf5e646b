"""Arrow columns -> PostgreSQL binary COPY, vectorised (numpy + Arrow kernels, no per-row Python).

Each column becomes a binary array whose element i is field i (int32 length, then the value);
``binary_join_element_wise`` then lays the fields of each row side by side, so the joined
array's data buffer is the COPY stream of the batch.
"""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from dwsim_redshift.copy.target import PgKind

HEADER = b"PGCOPY\n\xff\r\n\x00" + b"\x00\x00\x00\x00" + b"\x00\x00\x00\x00"
TRAILER = b"\xff\xff"
PG_EPOCH_DAYS = 10_957  # 2000-01-01 - 1970-01-01
PG_EPOCH_MICROS = PG_EPOCH_DAYS * 86_400 * 1_000_000
_NUMERIC_NEG = 0x4000
_BIG_ENDIAN = {
    pa.int16(): ">i2",
    pa.int32(): ">i4",
    pa.int64(): ">i8",
    pa.float32(): ">f4",
    pa.float64(): ">f8",
}


def encode_batch(columns: list[pa.Array], kinds: list[PgKind], trim: list[bool]) -> memoryview:
    """Rows of one batch in binary COPY format (without the stream's header and trailer), as a
    view of the buffer they were laid out in (not copied into a bytes object).

    Neighbouring fixed-width columns without nulls are laid out together in one numpy block,
    and so are the length words of variable-width values, so Arrow's join only interleaves
    those blocks with the variable-width values' bytes.
    """
    n = len(columns[0])
    count = (np.full(n, len(columns), ">i2"), False)  # (values, needs a length word)
    pieces: list[list[tuple[np.ndarray, bool]] | pa.Array] = [[count]]
    for arr, kind, t in zip(columns, kinds, trim, strict=True):
        piece = _field(arr, kind, t)
        if isinstance(piece, pa.Array):
            pieces.append(piece)
            continue
        if not isinstance(pieces[-1], list):
            pieces.append([])
        if isinstance(piece, tuple):  # (length words, bytes) of a variable-width column
            pieces[-1].append((piece[0], False))
            pieces.append(piece[1])
        else:
            pieces[-1].append((piece, True))
    blocks = [_block(p, n) if isinstance(p, list) else p for p in pieces]
    if len(blocks) == 1:
        return memoryview(blocks[0].reshape(-1))
    rows = pc.binary_join_element_wise(*[_as_binary(b) for b in blocks], b"")
    offsets = np.frombuffer(rows.buffers()[1], np.int32)
    start, end = offsets[rows.offset], offsets[rows.offset + n]
    return memoryview(rows.buffers()[2])[start:end]


def _block(parts: list[tuple[np.ndarray, bool]], n: int) -> np.ndarray:
    """Fixed-width fields side by side, one packed record per row, as (n, bytes) uint8.

    A structured dtype lets numpy copy each field (and its length word) in one strided pass.
    """
    fields, values = [], []
    for i, (p, with_length) in enumerate(parts):
        sub = np.dtype(p.dtype) if p.ndim == 1 else np.dtype((p.dtype, p.shape[1:]))
        if with_length:
            fields.append((f"l{i}", ">i4"))
            values.append(sub.itemsize)
        fields.append((f"v{i}", sub))
        values.append(p)
    rec = np.empty(n, np.dtype(fields))
    for (name, _), value in zip(fields, values, strict=True):
        rec[name] = value
    return rec.view(np.uint8).reshape(n, rec.dtype.itemsize)


def _as_binary(piece: np.ndarray | pa.Array) -> pa.Array:
    if not isinstance(piece, np.ndarray):
        return piece
    n, w = piece.shape
    offsets = np.arange(0, n * w + 1, w, dtype=np.int32)
    data = np.ascontiguousarray(piece)
    return pa.Array.from_buffers(pa.binary(), n, [None, pa.py_buffer(offsets), pa.py_buffer(data)])


def _field(
    arr: pa.Array, kind: PgKind, trim: bool
) -> np.ndarray | tuple[np.ndarray, pa.Array] | pa.Array:
    """Fields of one column: the (n, width) values when fixed-width without nulls; for text
    and bytes, the length words and the values' bytes; else a binary array of whole fields
    (length word and value)."""
    typ = arr.type
    if typ in _BIG_ENDIAN:
        return _fixed(_values(arr, typ.to_pandas_dtype()).astype(_BIG_ENDIAN[typ]), arr)
    if pa.types.is_boolean(typ):
        return _fixed(pc.fill_null(arr, False).to_numpy(zero_copy_only=False).astype(np.uint8), arr)
    if pa.types.is_date32(typ):
        days = _values(arr, np.int32) - np.int32(PG_EPOCH_DAYS)
        return _fixed(days.astype(">i4"), arr)
    if pa.types.is_timestamp(typ):
        micros = _values(arr, np.int64) - np.int64(PG_EPOCH_MICROS)
        return _fixed(micros.astype(">i8"), arr)
    if pa.types.is_decimal(typ):
        return _fixed(_numeric(arr, trim), arr)
    if pa.types.is_fixed_size_binary(typ):
        raw = np.frombuffer(arr.buffers()[1], np.uint8)
        w = typ.byte_width
        return _fixed(raw[arr.offset * w : (arr.offset + len(arr)) * w].reshape(len(arr), w), arr)
    if pa.types.is_string(typ) or pa.types.is_binary(typ):
        return _variable(arr, b"\x01" if kind is PgKind.JSONB else b"")
    raise TypeError(f"no binary encoding for Arrow type {typ}")


def _values(arr: pa.Array, dtype) -> np.ndarray:
    """The values buffer as numpy (null slots hold whatever is there: they are never sent)."""
    return np.frombuffer(arr.buffers()[1], dtype)[arr.offset : arr.offset + len(arr)]


def _valid(arr: pa.Array) -> np.ndarray | None:
    if arr.null_count == 0:
        return None
    return pc.is_valid(arr).to_numpy(zero_copy_only=False)


def _fixed(values: np.ndarray, arr: pa.Array) -> np.ndarray | pa.Array:
    """Fields of a fixed-width type: ``values`` holds one big-endian value (row) per element."""
    n = len(arr)
    payload = values.view(np.uint8).reshape(n, -1)
    valid = _valid(arr)
    if valid is None:
        return payload  # the caller adds the length words when it lays out the row
    w = payload.shape[1]
    rec = np.empty((n, 4 + w), np.uint8)
    rec[:, 4:] = payload
    lengths = np.full(n, w, ">i4")
    lengths[~valid] = -1
    rec[:, :4] = lengths.view(np.uint8).reshape(n, 4)
    keep = np.ones((n, 4 + w), bool)
    keep[~valid, 4:] = False
    offsets = np.zeros(n + 1, np.int32)
    np.cumsum(np.where(valid, 4 + w, 4), out=offsets[1:])
    return pa.Array.from_buffers(
        pa.binary(), n, [None, pa.py_buffer(offsets), pa.py_buffer(rec[keep])]
    )


def _variable(arr: pa.Array, prefix: bytes) -> tuple[np.ndarray, pa.Array]:
    """(length word of each field, -1 for NULL; the fields' bytes, empty for NULL)."""
    body = arr.cast(pa.binary()) if pa.types.is_string(arr.type) else arr
    lengths = pc.fill_null(pc.binary_length(body), -1 - len(prefix)).to_numpy(zero_copy_only=False)
    lengths = (lengths + len(prefix)).astype(">i4")
    if prefix:
        with_prefix = pc.binary_join_element_wise(pa.scalar(prefix, pa.binary()), body, b"")
        body = pc.if_else(pc.is_valid(body), with_prefix, b"")
    return lengths, pc.fill_null(body, b"") if body.null_count else body


def _numeric(arr: pa.Array, trim: bool) -> np.ndarray:
    """decimal128 -> PostgreSQL binary numeric with a fixed digit count per column.

    Base-10000 digits come from long division of the 128-bit magnitude in 32-bit limbs; the
    backend strips leading/trailing zero digits itself (numeric_recv -> make_result).
    """
    typ = arr.type
    n = len(arr)
    words = np.frombuffer(arr.buffers()[1], np.uint64)[2 * arr.offset : 2 * (arr.offset + n)]
    lo, hi = words[0::2].copy(), words[1::2].copy()
    negative = (hi >> np.uint64(63)).astype(bool)
    if negative.any():  # two's complement negation of the negative values
        nlo = ~lo + np.uint64(1)
        nhi = ~hi + (nlo == 0).astype(np.uint64)
        lo, hi = np.where(negative, nlo, lo), np.where(negative, nhi, hi)
    mask32 = np.uint64(0xFFFFFFFF)
    if hi.any():
        limbs = [hi >> np.uint64(32), hi & mask32, lo >> np.uint64(32), lo & mask32]
    else:  # every magnitude fits in 64 bits (precision <= 19): one limb is enough
        limbs = [lo]
    scale, precision = typ.scale, typ.precision
    frac_groups = -(-scale // 4)
    int_groups = max(0, -(-(precision - scale) // 4))
    pad = 4 * frac_groups - scale
    groups = []  # least significant first
    if pad:
        limbs, rem = _divmod(limbs, 10 ** (4 - pad))
        groups.append(rem * np.uint64(10**pad))
    while len(groups) < frac_groups + int_groups:
        limbs, rem = _divmod(limbs, 10_000)
        groups.append(rem)
    ndigits = max(1, len(groups))
    out = np.zeros((n, 4 + ndigits), ">i2")
    out[:, 0] = ndigits
    out[:, 1] = int_groups - 1
    out[:, 2] = np.where(negative, _NUMERIC_NEG, 0)
    out[:, 3] = _trimmed_scale(groups[:frac_groups], scale, pad) if trim else scale
    for j, g in enumerate(reversed(groups)):
        out[:, 4 + j] = g.astype(np.int16)
    return out


def _divmod(limbs: list[np.ndarray], divisor: int) -> tuple[list[np.ndarray], np.ndarray]:
    d = np.uint64(divisor)
    rem = np.zeros_like(limbs[0])
    quotient = []
    if len(limbs) == 1:
        q, r = np.divmod(limbs[0], d)
        return [q], r
    for limb in limbs:  # most significant first; rem < 10^4 so (rem << 32) | limb fits in 64 bits
        q, rem = np.divmod((rem << np.uint64(32)) | limb, d)
        quotient.append(q)
    return quotient, rem


def _trimmed_scale(frac: list[np.ndarray], scale: int, pad: int) -> np.ndarray:
    """Display scale without trailing zeros (floats loaded into an unconstrained NUMERIC)."""
    if not frac:
        return np.int64(scale)
    zeros = np.zeros(len(frac[0]), np.int64)
    active = np.ones(len(zeros), bool)
    for g in frac:
        g = g.astype(np.int64)
        z = np.where(g == 0, 4, (g % 10 == 0).astype(np.int64) + (g % 100 == 0) + (g % 1000 == 0))
        zeros += np.where(active, z, 0)
        active &= g == 0
    return np.clip(scale - (zeros - pad), 0, scale)
