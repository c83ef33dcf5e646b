"""The pure parts of profiling: values as pg_stats prints them, the pool a distinct count
needs, and measured counts as fan-outs."""

import math

import pytest

from dwsim_shared.contracts.enums import Distribution, TypeKind
from dwsim_shared.profile.column_rules import pool_size
from dwsim_shared.profile.fanouts import profile_fanout
from dwsim_shared.profile.stats import ColumnStats, FanoutCounts
from dwsim_shared.profile.values import convert


@pytest.mark.parametrize(
    ("text", "kind", "value"),
    [
        ("2013-01-01 10:00:00+00", TypeKind.TIMESTAMPTZ, "2013-01-01T10:00:00+00:00"),
        ("2013-01-01 10:00:00.25", TypeKind.TIMESTAMP, "2013-01-01T10:00:00.250000"),
        ("2013-06-30", TypeKind.DATE, "2013-06-30"),
        ("infinity", TypeKind.DATE, None),
        ("0044-03-15 BC", TypeKind.DATE, None),
        ("12.50", TypeKind.DECIMAL, 12.5),
        ("NaN", TypeKind.DOUBLE, None),
        ("-7", TypeKind.INTEGER, -7),
        ("t", TypeKind.BOOLEAN, True),
        ("N725MQ", TypeKind.VARCHAR, "N725MQ"),
        ("{1,2}", TypeKind.UUID, None),
        (None, TypeKind.TEXT, None),
    ],
)
def test_values_as_pg_stats_prints_them(text, kind, value):
    assert convert(text, kind) == value


@pytest.mark.parametrize(("distinct", "drawn"), [(40, 10_000), (427, 56_000), (800, 1_000)])
def test_a_pool_shows_about_the_distinct_count_when_drawn_from(distinct, drawn):
    pool = pool_size(distinct, drawn)
    assert pool >= distinct
    assert pool * (1 - math.exp(-drawn / pool)) == pytest.approx(distinct, rel=0.01)


def test_nearly_unique_columns_draw_from_no_pool():
    assert pool_size(990, 1_000) is None


def test_equal_counts_stay_uniform_and_the_fewest_is_every_parents_minimum():
    fanout = profile_fanout(FanoutCounts([(4, 250)]), None, None)
    assert fanout.distribution == Distribution.UNIFORM
    fanout = profile_fanout(FanoutCounts([(1, 50), (2, 30), (9, 20)]), None, None)
    assert fanout.distribution == Distribution.HISTOGRAM
    assert fanout.params == {"min": 1.0}
    assert fanout.bounds[0] == 0
    assert fanout.bounds[-1] == 8
    assert len(fanout.bounds) == 101


def test_common_values_pin_parents_and_leave_the_rest_to_the_others():
    stats = ColumnStats(null_frac=0.2, n_distinct=3, common=["a", "b"], freqs=[0.4, 0.2])
    counts = FanoutCounts([(0, 7), (40, 1), (20, 1), (20, 1)])
    fanout = profile_fanout(counts, stats, TypeKind.VARCHAR)
    assert fanout.values == ["a", "b"]
    assert fanout.weights == pytest.approx([0.5, 0.25], abs=1e-6)  # of the non-NULL rows
    # without the two pinned parents: seven with none, one with 20
    assert fanout.bounds[0] == 0
    assert fanout.bounds[-1] == 20
