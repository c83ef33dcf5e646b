"""Arrow building blocks made from numpy buffers, so no value goes through per-row Python."""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

DIGITS = np.frombuffer(b"0123456789", dtype=np.uint8)
BASE36 = np.frombuffer(b"0123456789abcdefghijklmnopqrstuvwxyz", dtype=np.uint8)
UPPER = np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ", dtype=np.uint8)
HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


def fixed_width_strings(matrix: np.ndarray, type_: pa.DataType | None = None) -> pa.Array:
    """One string (or binary, with ``type_``) per row of a (rows, width) uint8 matrix."""
    rows, width = matrix.shape
    data = pa.py_buffer(np.ascontiguousarray(matrix, dtype=np.uint8))
    if rows * width < 2**31:
        offsets = np.arange(rows + 1, dtype=np.int32) * np.int32(width)
        small = type_ or pa.string()
        return pa.Array.from_buffers(small, rows, [None, pa.py_buffer(offsets), data])
    offsets = np.arange(rows + 1, dtype=np.int64) * width
    large = pa.large_binary() if type_ == pa.binary() else pa.large_string()
    return pa.Array.from_buffers(large, rows, [None, pa.py_buffer(offsets), data])


def _pair_table(alphabet: np.ndarray) -> np.ndarray:
    """Two digits per uint16 (first digit in the low byte), indexed by value in [0, base**2)."""
    pairs = np.arange(len(alphabet) ** 2)
    return alphabet[pairs // len(alphabet)].astype(np.uint16) | (
        alphabet[pairs % len(alphabet)].astype(np.uint16) << 8
    )


_PAIRS: dict[bytes, np.ndarray] = {}


def digit_matrix(values: np.ndarray, width: int, alphabet: np.ndarray) -> np.ndarray:
    """Fixed-width base-len(alphabet) digits of non-negative integers, most significant first.

    Two digits per division, in 32-bit integers when the values allow (several times faster).
    """
    small = len(values) == 0 or int(values.max()) < 2**32
    dtype = np.uint32 if small else np.uint64
    base = len(alphabet)
    pairs = _PAIRS.setdefault(alphabet.tobytes(), _pair_table(alphabet))
    rest = values.astype(dtype)
    out = np.empty((len(values), width + (width % 2)), dtype=np.uint8)
    wide = out.view(np.uint16)
    square = dtype(base * base)
    for pos in range(wide.shape[1] - 1, -1, -1):
        quotient = rest // square
        wide[:, pos] = pairs.take(rest - quotient * square)
        rest = quotient
    return out[:, width % 2 :]


def codes(values: np.ndarray, width: int, alphabet: np.ndarray = BASE36) -> pa.Array:
    """Fixed-width codes of integers: distinct integers give distinct strings."""
    return fixed_width_strings(digit_matrix(values, width, alphabet))


def width_for(count: int, base: int) -> int:
    """Digits needed to write every integer in [0, count) in ``base``."""
    width, capacity = 1, base
    while capacity < count:
        width += 1
        capacity *= base
    return width


def decimal_array(unscaled: np.ndarray, precision: int, scale: int) -> pa.Array:
    """decimal128(precision, scale) from int64 unscaled values (value * 10**scale)."""
    low = unscaled.astype(np.int64)
    pairs = np.empty((len(low), 2), dtype=np.int64)
    pairs[:, 0] = low
    pairs[:, 1] = low >> 63  # sign extension into the high word
    return pa.Array.from_buffers(
        pa.decimal128(precision, scale), len(low), [None, pa.py_buffer(pairs)]
    )


def with_nulls(array: pa.Array, mask: np.ndarray | None) -> pa.Array:
    """``array`` with NULL where ``mask`` is true."""
    if mask is None or not mask.any():
        return array
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    if isinstance(array, pa.DictionaryArray):
        return pa.DictionaryArray.from_arrays(with_nulls(array.indices, mask), array.dictionary)
    if array.null_count == 0 and array.offset == 0 and not pa.types.is_boolean(array.type):
        validity = pa.py_buffer(np.packbits(~mask, bitorder="little"))
        buffers = [validity, *array.buffers()[1:]]
        return pa.Array.from_buffers(array.type, len(array), buffers, null_count=int(mask.sum()))
    return pc.if_else(pa.array(mask), pa.nulls(len(array), array.type), array)


def concat_strings(*parts: pa.Array | str) -> pa.Array:
    """Element-wise concatenation of string arrays and literal strings."""
    return pc.binary_join_element_wise(*parts, "")
