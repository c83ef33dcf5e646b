"""Histogram rules (what ``dwsim profile`` writes) and measured fan-outs, in the engine."""

import re
from datetime import datetime

import numpy as np
import pyarrow.compute as pc
import pytest
from pydantic import ValidationError

from dwsim_generator.engine import plan_run
from dwsim_generator.engine.errors import GenerationError
from dwsim_shared.contracts.rules import GenerationRule
from tests.generator.helpers import col, experiment, generate, plain, table, values

ROWS = 200_000


def _one(rule: dict, type_: str = "integer", rows: int = ROWS, **kwargs):
    exp = experiment(table("t", rows, [col("c", type_, rule)]))
    return generate(exp, **kwargs)["t"]


def _shares(data, column="c") -> dict:
    counts = pc.value_counts(plain(data).column(column).drop_null()).to_pylist()
    return {c["values"]: c["counts"] / data.num_rows for c in counts}


def test_common_values_keep_their_shares_and_the_rest_follows_the_buckets():
    rule = {"kind": "histogram", "values": [0, -5, 7], "weights": [0.3, 0.2, 0.1],
            "bounds": [-40, -10, 2, 20, 100, 1300], "null_ratio": 0.05}  # fmt: skip
    data = _one(rule)
    shares = _shares(data)
    assert shares[0] == pytest.approx(0.3 * 0.95, abs=0.005)
    assert shares[-5] == pytest.approx(0.2 * 0.95, abs=0.005)
    assert shares[7] == pytest.approx(0.1 * 0.95, abs=0.005)
    assert data.column("c").null_count / ROWS == pytest.approx(0.05, abs=0.003)
    got = np.array(data.column("c").drop_null().to_pylist())
    rest = got[~np.isin(got, [0, -5, 7])]
    assert rest.min() >= -40
    assert rest.max() <= 1300
    # five buckets of equal share: 8% of the non-NULL rows each (40% over 5)
    for low, high in ((-40, -10), (100, 1300)):
        inside = ((rest >= low) & (rest < high)).sum() / len(got)
        assert inside == pytest.approx(0.08, abs=0.005)


def test_distinct_limits_the_rest_to_that_many_values():
    rule = {"kind": "histogram", "bounds": [0.0, 1.0, 5.0, 50.0], "distinct": 40}
    data = _one(rule, "double precision")
    assert pc.count_distinct(data.column("c")).as_py() == 40


def test_values_follow_the_grid_their_samples_share():
    bounds = [f"2013-01-{d:02d}T{(7 * d) % 24:02d}:00:00" for d in range(1, 11)]
    data = _one({"kind": "histogram", "bounds": bounds}, "timestamp", rows=20_000)
    moments = data.column("c").to_pylist()
    assert all(m.minute == 0 and m.second == 0 and m.microsecond == 0 for m in moments)
    assert len({m.hour for m in moments}) == 24  # every hour, not only the samples'
    assert min(moments) >= datetime(2013, 1, 1, 7)
    assert max(moments) <= datetime(2013, 1, 10, 22)
    # samples six hours apart (0, 6, 12, 18) make a six-hour grid
    bounds = [f"2013-01-{d:02d}T{h:02d}:00:00" for d in range(1, 4) for h in (0, 6, 12, 18)]
    data = _one({"kind": "histogram", "bounds": bounds}, "timestamp", rows=2_000)
    assert {m.hour for m in data.column("c").to_pylist()} == {0, 6, 12, 18}


@pytest.mark.parametrize("correlation", [0.9, -0.6])
def test_correlation_makes_a_share_of_rows_follow_the_row_order(correlation):
    rule = {"kind": "histogram", "bounds": [0, 10, 20, 30, 40, 1000],
            "params": {"correlation": correlation}}  # fmt: skip
    got = np.array(_one(rule, "double precision").column("c").to_pylist())
    ranks = np.argsort(np.argsort(got))
    spearman = np.corrcoef(np.arange(len(got)), ranks)[0, 1]
    assert spearman == pytest.approx(correlation, abs=0.1)
    # the distribution is the same: a fifth of the rows in each bucket
    assert ((got >= 40) & (got <= 1000)).mean() == pytest.approx(0.2, abs=0.01)


def test_the_same_rows_whatever_the_chunking():
    rule = {"kind": "histogram", "values": [1.5], "weights": [0.4],
            "bounds": [0.0, 2.0, 9.0], "distinct": 500, "params": {"correlation": 0.7}}  # fmt: skip
    whole = _one(rule, "double precision", rows=150_000)
    chunked = _one(rule, "double precision", rows=150_000, chunk_rows=7_000)
    assert values(whole, "c") == values(chunked, "c")


def test_text_keeps_common_values_samples_and_their_shape():
    rule = {"kind": "histogram", "values": ["UA", "B6"], "weights": [0.5, 0.2],
            "bounds": ["N123AB", "N99XZ", "Q7740"], "distinct": 3000}  # fmt: skip
    data = _one(rule, "varchar(8)")
    shares = _shares(data)
    assert shares["UA"] == pytest.approx(0.5, abs=0.005)
    assert shares["B6"] == pytest.approx(0.2, abs=0.005)
    assert {"N123AB", "N99XZ", "Q7740"} <= set(shares)
    shapes = (r"N\d{3}[A-Z]{2}", r"N\d{2}[A-Z]{2}", r"Q\d{4}")
    rest = [v for v in shares if v not in ("UA", "B6")]
    assert all(any(re.fullmatch(s, v) for s in shapes) for v in rest)
    assert len(rest) > 1500  # distinct values beyond the three samples


def test_histogram_rules_are_checked_before_any_work():
    with pytest.raises(ValidationError, match=r"sum to 1\.2000, above 1"):
        GenerationRule(kind="histogram", values=[1, 2], weights=[0.6, 0.6], bounds=[0, 9])
    with pytest.raises(ValidationError, match="needs 'values'"):
        GenerationRule(kind="histogram")
    with pytest.raises(ValidationError, match="lies in"):
        GenerationRule(kind="histogram", bounds=[0, 1], params={"correlation": 2})
    exp = experiment(table("t", 10, [col("c", "integer", {"kind": "histogram",
                                                          "bounds": [5, 1]})]))  # fmt: skip
    with pytest.raises(GenerationError, match=r"t\.c.*ascending"):
        plan_run(exp)
    exp = experiment(table("t", 10, [col("c", "boolean", {"kind": "histogram",
                                                          "bounds": [0, 1]})]))  # fmt: skip
    with pytest.raises(GenerationError, match="histogram rule cannot fill a boolean"):
        plan_run(exp)
    rule = {"kind": "distribution", "distribution": "histogram"}
    with pytest.raises(GenerationError, match="it is for fan-outs"):
        plan_run(experiment(table("t", 10, [col("c", "integer", rule)])))


def _carriers(fanout: dict, parents: int = 16, rows: int = 100_000):
    codes = [f"C{i:02d}" for i in range(parents)]
    parent = table("p", parents, [col("code", "varchar(5)", {"kind": "categorical",
                   "values": codes, "unique": True}, nullable=False)],
                   primary_key=["code"])  # fmt: skip
    child = table("c", rows, [col("code", "varchar(5)", nullable=False)],
                  foreign_keys=[{"columns": ["code"], "references_table": "p",
                                 "references_columns": ["code"], "fanout": fanout}])  # fmt: skip
    return generate(experiment(parent, child))["c"]


def test_fanout_values_pin_their_parents_shares():
    fanout = {"distribution": "histogram", "bounds": [0, 1, 5, 100],
              "values": ["C03", "C07"], "weights": [0.4, 0.2]}  # fmt: skip
    shares = _shares(_carriers(fanout), "code")
    assert shares["C03"] == pytest.approx(0.4, abs=0.001)
    assert shares["C07"] == pytest.approx(0.2, abs=0.001)
    others = sum(v for k, v in shares.items() if k not in ("C03", "C07"))
    assert others == pytest.approx(0.4, abs=0.001)


def test_a_fanout_value_no_parent_holds_keeps_its_share_on_another_parent():
    fanout = {"distribution": "histogram", "bounds": [0, 1],
              "values": ["ZZZ"], "weights": [0.5]}  # fmt: skip
    shares = sorted(_shares(_carriers(fanout), "code").values(), reverse=True)
    assert shares[0] == pytest.approx(0.5, abs=0.001)
    assert shares[1] < 0.2


def test_histogram_fanout_follows_the_measured_counts():
    # half the parents have no child, the other half 1-3
    fanout = {"distribution": "histogram", "bounds": [0, 0, 0, 1, 3]}
    data = _carriers(fanout, parents=1000, rows=20_000)
    assert pc.count_distinct(data.column("code")).as_py() == pytest.approx(500, abs=30)
    with pytest.raises(ValidationError, match="at least two 'bounds'"):
        _carriers({"distribution": "histogram"})
