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


def _group_table(alphabet: np.ndarray, size: int) -> np.ndarray:
    """``size`` digits per uint16 or uint32 (most significant digit in the lowest byte, as
    they are read in memory), indexed by value in [0, base**size)."""
    base, rest = len(alphabet), np.arange(len(alphabet) ** size)
    table = np.empty((len(rest), size), dtype=np.uint8)
    for pos in range(size - 1, -1, -1):
        table[:, pos] = alphabet[rest % base]
        rest = rest // base
    return table.view(np.uint16 if size == 2 else np.uint32).ravel()


_GROUPS: dict[tuple[bytes, int], np.ndarray] = {}


def digit_matrix(values: np.ndarray, width: int, alphabet: np.ndarray) -> np.ndarray:
    """Fixed-width base-len(alphabet) digits of non-negative integers, most significant first
    (digits beyond ``width`` are dropped).

    Four digits per division where a table of base**4 fits 16 bits (decimal, hex), else two;
    in 32-bit integers when the values allow (several times faster).
    """
    small = len(values) == 0 or int(values.max()) < 2**32
    dtype = np.uint32 if small else np.uint64
    base = len(alphabet)
    size = 4 if base**4 <= 1 << 16 else 2
    key = (alphabet.tobytes(), size)
    table = _GROUPS.get(key)
    if table is None:
        table = _GROUPS[key] = _group_table(alphabet, size)
    groups = -(-width // size)
    rest = values.astype(dtype)
    out = np.empty((len(values), groups * size), dtype=np.uint8)
    wide = out.view(table.dtype)
    square = dtype(base**size)
    for pos in range(groups - 1, -1, -1):
        quotient = rest // square
        wide[:, pos] = table.take(rest - quotient * square)
        rest = quotient
    return out[:, groups * size - width :]


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


def join_picked(*parts: tuple[pa.Array | np.ndarray, np.ndarray | None]) -> pa.Array:
    """Row i is the concatenation of ``pool[pick[i]]`` for each (pool, pick) part, or of
    ``pool[i]`` where pick is None. A pool is strings without nulls or a (rows, width) uint8
    matrix of fixed-width text (``digit_matrix``'s codes, no string array made of them).

    One take of interleaved indices from the pools laid end to end writes every row's bytes
    in place, a single pass, where taking each part and joining them makes three.
    """
    n = next(len(pool) if pick is None else len(pick) for pool, pick in parts)
    pools = [pool if isinstance(pool, np.ndarray) else pool.cast(pa.string()) for pool, _ in parts]
    size = sum(_data_size(pool) if pick is None else n * _longest(pool)
               for pool, (_, pick) in zip(pools, parts, strict=True))  # fmt: skip
    values = sum(len(pool) for pool in pools) + n * len(parts)
    if n == 0 or max(size, values) >= 2**31 or any(_has_nulls(p) for p in pools):  # the general way
        taken = [_strings(pool) if pick is None else _strings(pool).take(pick)
                 for pool, (_, pick) in zip(pools, parts, strict=True)]  # fmt: skip
        return concat_strings(*taken) if n else pa.array([], pa.string())
    width, index = len(parts), np.empty(n * len(parts), dtype=np.int32)
    start = 0
    for k, (pool, (_, pick)) in enumerate(zip(pools, parts, strict=True)):
        if pick is None:
            index[k::width] = np.arange(start, start + n, dtype=np.int32)
        else:
            np.add(pick, start, out=index[k::width], casting="unsafe")
        start += len(pool)
    # every index is in range by construction: no bounds check (a quarter of the take's time)
    taken = pc.take(_laid_end_to_end(pools), pa.array(index), boundscheck=False)
    offsets = np.frombuffer(taken.buffers()[1], np.int32, n * width + 1, taken.offset * 4)
    bounds = pa.py_buffer(np.ascontiguousarray(offsets[::width]))
    return pa.Array.from_buffers(pa.string(), n, [None, bounds, taken.buffers()[2]])


def _laid_end_to_end(pools: list) -> pa.Array:
    """One string array of every pool's values, in order (matrices copied once, as text)."""
    sizes = [pool.size if isinstance(pool, np.ndarray) else _data_size(pool) for pool in pools]
    data = np.empty(sum(sizes), dtype=np.uint8)
    offsets = np.empty(sum(len(pool) for pool in pools) + 1, dtype=np.int32)
    at = value = 0
    for pool, size in zip(pools, sizes, strict=True):
        if isinstance(pool, np.ndarray):
            rows, width = pool.shape
            data[at : at + size].reshape(rows, width)[:] = pool
            offsets[value : value + rows] = np.arange(rows, dtype=np.int64) * width + at
        else:
            ends = np.frombuffer(pool.buffers()[1], np.int32, len(pool) + 1, pool.offset * 4)
            text = np.frombuffer(pool.buffers()[2], np.uint8) if size else data[:0]
            data[at : at + size] = text[ends[0] : ends[-1]]
            offsets[value : value + len(pool)] = ends[:-1] - ends[0] + at
        at, value = at + size, value + len(pool)
    offsets[-1] = at
    buffers = [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    return pa.Array.from_buffers(pa.string(), len(offsets) - 1, buffers)


def _strings(pool: pa.Array | np.ndarray) -> pa.Array:
    return fixed_width_strings(pool) if isinstance(pool, np.ndarray) else pool


def _has_nulls(pool: pa.Array | np.ndarray) -> bool:
    return not isinstance(pool, np.ndarray) and pool.null_count > 0


def _longest(pool: pa.Array | np.ndarray) -> int:
    """Bytes of the longest value."""
    if isinstance(pool, np.ndarray):
        return pool.shape[1]
    return int(pc.max(pc.binary_length(pool)).as_py() or 0) if len(pool) else 0


def _data_size(pool: pa.Array | np.ndarray) -> int:
    """Bytes of all the values."""
    if isinstance(pool, np.ndarray):
        return pool.size
    if len(pool) == 0:
        return 0
    ends = np.frombuffer(pool.buffers()[1], np.int32, len(pool) + 1, pool.offset * 4)
    return int(ends[-1] - ends[0])
