"""The engine's building blocks: injective key maps, fan-out counts, block streams, codes."""

import numpy as np
import pytest

from dwsim_generator.engine.arrays import BASE36, DIGITS, codes, width_for
from dwsim_generator.engine.fanout import Fanout, child_ends
from dwsim_generator.engine.keys import IndexMap, mixed_radix
from dwsim_generator.engine.streams import BLOCK_ROWS, Stream, blocks
from dwsim_shared.contracts.enums import Distribution


@pytest.mark.parametrize(
    ("rows", "capacity", "scramble"),
    [(1000, 1000, True), (1000, 1003, True), (5000, 2**35, True), (5000, 2**62, True),
     (7, 7, False), (2, 2, True)],
)  # fmt: skip
def test_index_maps_are_injective_and_in_range(rows, capacity, scramble):
    keys = IndexMap(rows, capacity, np.uint64(12345), scramble)(np.arange(rows))
    assert len(np.unique(keys)) == rows
    assert keys.min() >= 0
    assert keys.max() < capacity
    if not scramble:
        assert keys.tolist() == list(range(rows))


def test_index_map_refuses_more_rows_than_capacity():
    with pytest.raises(ValueError, match="3 distinct values asked of a capacity of 2"):
        IndexMap(3, 2, np.uint64(1))


@pytest.mark.parametrize(
    ("distribution", "params"),
    [(Distribution.UNIFORM, ()), (Distribution.ZIPF, (("a", 1.2),)),
     (Distribution.POISSON, (("lam", 3.0),)), (Distribution.LOGNORMAL, (("sigma", 2.0),)),
     (Distribution.EXPONENTIAL, ()), (Distribution.NORMAL, (("mean", 1.0), ("std", 5.0)))],
)  # fmt: skip
def test_child_counts_sum_exactly_to_the_child_rows(distribution, params):
    ends = child_ends(99, 123_457, 10_000, distribution, params)
    counts = np.diff(ends, prepend=0)
    assert ends[-1] == 123_457
    assert counts.min() >= 0
    fanout = Fanout(ends)
    parent, position = fanout.parent_of(np.arange(123_457))
    assert np.all(position < counts[parent])
    assert np.array_equal(np.bincount(parent, minlength=10_000), counts)


def test_blocks_cover_a_range_exactly():
    pieces = list(blocks(BLOCK_ROWS - 5, 2 * BLOCK_ROWS + 7))
    assert pieces == [(0, BLOCK_ROWS - 5, BLOCK_ROWS), (1, 0, BLOCK_ROWS), (2, 0, 7)]


def test_streams_are_keyed_by_names_and_block():
    a, b = Stream.of(1, "t", "c", "values"), Stream.of(1, "t", "d", "values")
    assert a.rng(3).random(4).tolist() == Stream.of(1, "t", "c", "values").rng(3).random(4).tolist()
    assert a.rng(3).random(4).tolist() != a.rng(4).random(4).tolist()
    assert a.rng(3).random(4).tolist() != b.rng(3).random(4).tolist()


def test_codes_and_mixed_radix():
    assert codes(np.array([0, 9, 10, 99]), 2, DIGITS).to_pylist() == ["00", "09", "10", "99"]
    assert codes(np.array([35, 36]), 3, BASE36).to_pylist() == ["00z", "010"]
    assert width_for(1296, 36) == 2
    assert width_for(1297, 36) == 3
    assert [d.tolist() for d in mixed_radix(np.array([0, 5, 11]), [3, 4])] == [[0, 1, 2], [0, 1, 3]]


def test_lorem_word_distances_point_at_the_nearest_space_and_word_start():
    from dwsim_generator.engine.columns.text import SPACE, _word_distances
    from dwsim_generator.engine.pools import lorem_buffer

    buffer, _ = lorem_buffer(4096)
    to_word, to_space, from_space = _word_distances(4096)
    text, n = buffer.tobytes().decode(), len(buffer)
    assert len(to_word) == len(to_space) == len(from_space) == n
    for i in range(n):  # read as a circle
        ahead = (text + text)[i:]
        assert to_space[i] == ahead.index(chr(SPACE))
        assert from_space[i] == (text + text)[: n + i + 1][::-1].index(chr(SPACE))
        assert to_word[i] == (text[-1] + text + text)[i:].index(chr(SPACE))


def test_joining_picked_pool_values_and_row_codes():
    import pyarrow as pa

    from dwsim_generator.engine.arrays import digit_matrix, join_picked

    heads, tails = pa.array(["ann", "", "bob.x"]), pa.array(["@a.io", "@b.com"])
    rows = np.array([7, 8, 9, 10])
    joined = join_picked((heads, np.array([2, 0, 1, 2])), (digit_matrix(rows, 3, DIGITS), None),
                         (tails, np.array([1, 1, 0, 0])))  # fmt: skip
    assert joined.to_pylist() == ["bob.x007@b.com", "ann008@b.com", "009@a.io", "bob.x010@a.io"]
    assert join_picked((heads, np.zeros(0, dtype=np.int32))).to_pylist() == []
