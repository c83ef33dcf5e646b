"""Fan-out ends made block by block of parents (memory flat in the parents) are the ends of
the whole-array computation: ``floor(cumsum(weights) * rest / total)`` over every parent."""

import numpy as np
import pytest

from dwsim_generator.engine.fanout import Fanout, fanout_ends
from dwsim_generator.engine.fanout_ends import LEAF, Weights
from dwsim_generator.engine.streams import BLOCK_ROWS, Stream
from dwsim_shared.contracts.enums import Distribution

PARENTS = LEAF + 3 * BLOCK_ROWS + 123  # past one summed leaf, a short last block


def whole_array_ends(key, children, parents, distribution, params, bounds=()):
    """The ends as the engine computed them with every weight in memory at once."""
    spec = dict(params)
    least = min(int(spec.pop("min", 0)), children // parents)
    weights = Weights(Stream(key), parents, distribution, spec, bounds).range(0, parents)
    rest = children - least * parents
    ends = np.floor(np.cumsum(weights) * (rest / weights.sum())).astype(np.int64)
    np.minimum(ends, rest, out=ends)
    ends[-1] = rest
    return ends + (np.arange(parents, dtype=np.int64) + 1) * least


@pytest.mark.parametrize(
    ("distribution", "params", "bounds"),
    [(Distribution.POISSON, (("lam", 4.0),), ()), (Distribution.ZIPF, (("a", 0.8),), ()),
     (Distribution.LOGNORMAL, (("min", 1.0), ("sigma", 2.0)), ()),
     (Distribution.HISTOGRAM, (), (0.0, 1.0, 3.0, 40.0))],
)  # fmt: skip
@pytest.mark.parametrize("held_whole", [True, False])
def test_block_by_block_ends_are_the_whole_array_ends(
    distribution, params, bounds, held_whole, monkeypatch
):
    if not held_whole:  # searched block by block, as fan-outs of more parents are
        monkeypatch.setattr(Fanout, "WHOLE_BLOCKS", 0)
    children = 4 * PARENTS + 17
    expected = whole_array_ends(5, children, PARENTS, distribution, params, bounds)
    ends = fanout_ends(5, children, PARENTS, distribution, params, bounds)
    assert np.array_equal(ends.whole(), expected)
    counts = np.diff(expected, prepend=0)
    fanout = Fanout(ends)
    assert fanout.small == held_whole
    assert fanout.max_children() == counts.max() <= fanout.children_bound()
    rows = np.random.default_rng(1).integers(0, children, 20_000)  # any rows, any blocks
    parent, position = fanout.parent_of(rows)
    assert np.array_equal(parent, np.searchsorted(expected, rows, side="right"))
    assert np.all(position < counts[parent])
    start = int(expected[BLOCK_ROWS - 1]) - 5  # a range across a block of parents
    parent, position = fanout.parent_of_range(start, start + 300_000)
    assert np.array_equal(parent, np.searchsorted(expected, np.arange(start, start + 300_000),
                                                  side="right"))  # fmt: skip
    picks = np.random.default_rng(2).random(5_000)
    drawn = np.searchsorted(expected, (picks * children).astype(np.int64), side="right")
    assert np.array_equal(fanout.draw(picks), drawn)
    parents = np.random.default_rng(3).integers(0, PARENTS, 5_000)
    assert np.array_equal(fanout.ends_at(parents), expected[parents])
    span, before = fanout.ends_range(BLOCK_ROWS - 7, 3 * BLOCK_ROWS + 9)
    assert np.array_equal(span, expected[BLOCK_ROWS - 7 : 3 * BLOCK_ROWS + 9])
    assert before == expected[BLOCK_ROWS - 8]


def test_equal_shares_need_no_draws():
    ends = fanout_ends(0, 10 * PARENTS + 3, PARENTS, Distribution.UNIFORM, ())
    counts = np.diff(ends.whole(), prepend=0)
    assert set(counts.tolist()) == {10, 11}
    assert counts.sum() == 10 * PARENTS + 3
