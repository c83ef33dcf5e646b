"""Generation rules: Faker, ranges, distributions, categories, nulls, patterns, sequences."""

import re
from datetime import date, datetime

import numpy as np
import pytest
from faker.providers.lorem.en_US import Provider as LoremProvider

from dwsim_generator.engine import GenerationError
from dwsim_shared.contracts.enums import Distribution
from tests.generator.helpers import col, experiment, generate, table, values

N = 50_000


def one(type_: str, rule: dict | None, rows: int = N, nullable: bool = True, **kw) -> list:
    exp = experiment(table("t", rows, [col("c", type_, rule, nullable)]), **kw)
    return values(generate(exp)["t"], "c")


def test_faker_provider_by_name_and_locale():
    english = one("VARCHAR(60)", {"kind": "faker", "provider": "city"}, rows=2000)
    german = one("VARCHAR(60)", {"kind": "faker", "provider": "city", "locale": "de_DE"}, rows=2000)
    assert len(set(english)) > 100
    assert set(english).isdisjoint(set(german)) or len(set(english) & set(german)) < 20
    phones = one("VARCHAR(40)", {"kind": "faker", "provider": "msisdn"}, rows=500)
    assert all(p.isdigit() for p in phones)


def test_faker_values_are_cut_to_the_column_length():
    got = one("VARCHAR(5)", {"kind": "faker", "provider": "company"}, rows=2000)
    assert max(len(v) for v in got) <= 5


def test_faker_numbers_fill_numeric_columns():
    got = one(
        "INTEGER",
        {"kind": "faker", "provider": "pyint", "params": {"min_value": 3, "max_value": 9}},
    )
    assert set(got) <= set(range(3, 10))


@pytest.mark.parametrize(("type_", "low", "high"), [("INTEGER", -5, 17), ("BIGINT", 10**12, 10**12 + 3),
                                                    ("DOUBLE", -1.5, 2.5), ("SMALLINT", 0, 1)])  # fmt: skip
def test_numeric_range_stays_within_min_and_max(type_, low, high):
    got = one(type_, {"kind": "range", "min": low, "max": high})
    assert min(got) >= low
    assert max(got) <= high
    if type_ != "DOUBLE":
        assert set(got) == set(range(int(low), int(high) + 1))  # every value is reachable


def test_date_and_timestamp_ranges():
    days = one("DATE", {"kind": "range", "min": "2024-02-27", "max": "2024-03-02"})
    assert set(days) == {
        date(2024, 2, 27),
        date(2024, 2, 28),
        date(2024, 2, 29),
        date(2024, 3, 1),
        date(2024, 3, 2),
    }
    stamps = one(
        "TIMESTAMP", {"kind": "range", "min": "2024-01-01 10:00:00", "max": "2024-01-01 10:00:05"}
    )
    assert min(stamps) >= datetime(2024, 1, 1, 10, 0, 0)
    assert max(stamps) <= datetime(2024, 1, 1, 10, 0, 5)
    assert len(set(stamps)) > 1000  # microsecond resolution


@pytest.mark.parametrize(
    ("distribution", "params", "mean", "std"),
    [
        (Distribution.NORMAL, {"mean": 50, "std": 10}, 50, 10),
        (Distribution.LOGNORMAL, {"mean": 1, "sigma": 0.5}, np.exp(1.125), np.sqrt((np.exp(0.25) - 1) * np.exp(2.25))),
        (Distribution.EXPONENTIAL, {"scale": 4}, 4, 4),
        (Distribution.BETA, {"a": 2, "b": 5}, 2 / 7, np.sqrt(10 / (49 * 8))),
        (Distribution.POISSON, {"lam": 3}, 3, np.sqrt(3)),
        (Distribution.UNIFORM, {"low": 0, "high": 12}, 6, np.sqrt(12)),
    ],
)  # fmt: skip
def test_distribution_moments_within_tolerance(distribution, params, mean, std):
    rule = {"kind": "distribution", "distribution": distribution.value, "params": params}
    got = np.array(one("DOUBLE", rule), dtype=float)
    assert abs(got.mean() - mean) < 0.03 * max(mean, std)
    assert abs(got.std() - std) < 0.05 * std


def test_zipf_is_heavy_tailed_and_integral():
    got = np.array(
        one("BIGINT", {"kind": "distribution", "distribution": "zipf", "params": {"a": 2}})
    )
    assert got.min() >= 1
    assert 0.55 < (got == 1).mean() < 0.66  # P(1) = 1/zeta(2) = 0.608
    assert got.max() > 100


def test_distribution_is_clipped_to_min_and_max():
    rule = {"kind": "distribution", "distribution": "normal", "params": {"mean": 0, "std": 100},
            "min": -10, "max": 10}  # fmt: skip
    got = one("DECIMAL(6,2)", rule)
    assert min(got) == -10
    assert max(got) == 10


def test_categorical_follows_weights():
    rule = {"kind": "categorical", "values": ["a", "b", "c"], "weights": [0.7, 0.2, 0.1]}
    got = np.array(one("VARCHAR(1)", rule))
    for value, weight in zip("abc", [0.7, 0.2, 0.1], strict=True):
        assert abs((got == value).mean() - weight) < 0.01


def test_boolean_probability():
    got = np.array(one("BOOLEAN", {"kind": "boolean", "probability": 0.8}))
    assert abs(got.mean() - 0.8) < 0.01


def test_null_ratio_on_nullable_column():
    got = one("INTEGER", {"kind": "range", "min": 1, "max": 5, "null_ratio": 0.25})
    assert abs(sum(v is None for v in got) / N - 0.25) < 0.01


def test_pattern_codes():
    got = one("VARCHAR(10)", {"kind": "pattern", "pattern": "AB-####-??"}, rows=5000)
    assert all(re.fullmatch(r"AB-\d{4}-[A-Z]{2}", v) for v in got)
    assert len(set(got)) > 4000


def test_unique_pattern_uses_every_code_once():
    got = one("CHAR(3)", {"kind": "pattern", "pattern": "X##", "unique": True}, rows=100)
    assert sorted(got) == [f"X{i:02d}" for i in range(100)]


def test_sequence_with_start_and_step():
    got = one("BIGINT", {"kind": "sequence", "start": 100, "step": 5}, rows=1000)
    assert got == list(range(100, 100 + 5 * 1000, 5))


def test_constant():
    assert set(one("VARCHAR(5)", {"kind": "constant", "value": "x"}, rows=100)) == {"x"}


def test_text_within_length_bounds():
    got = one("VARCHAR(300)", {"kind": "text", "min_length": 10, "max_length": 20}, rows=5000)
    lengths = [len(v) for v in got]
    assert min(lengths) == 10
    assert max(lengths) == 20


def test_unique_rule_on_text_gives_distinct_values_within_length():
    got = one("VARCHAR(4)", {"kind": "text", "unique": True}, rows=20_000)
    assert len(set(got)) == 20_000
    assert max(len(v) for v in got) <= 4


def test_unique_faker_email_keeps_its_shape():
    got = one("VARCHAR(40)", {"kind": "faker", "provider": "email", "unique": True}, rows=30_000)
    assert len(set(got)) == 30_000
    assert all(re.fullmatch(r"[^@]+@[^@]+\.[a-z]+", v) and len(v) <= 40 for v in got)


def test_unknown_faker_provider_is_named():
    with pytest.raises(GenerationError, match=r"t\.c: unknown Faker provider 'not_a_provider'"):
        one("VARCHAR(10)", {"kind": "faker", "provider": "not_a_provider"}, rows=10)


def test_unknown_locale_is_named():
    with pytest.raises(GenerationError, match=r"t\.c: unknown Faker locale 'xx_YY'"):
        one("VARCHAR(10)", {"kind": "faker", "provider": "name", "locale": "xx_YY"}, rows=10)


def test_redshift_varchar_counts_bytes():
    rule = {"kind": "categorical", "values": ["äöü"]}
    with pytest.raises(GenerationError, match="longer than the column's 4 bytes"):
        one("VARCHAR(4)", rule, rows=10)
    assert one("VARCHAR(4)", rule, rows=10, warehouse="snowflake")[0] == "äöü"


def test_unique_timestamps_and_dates():
    got = one(
        "DATE",
        {"kind": "range", "min": "2024-01-01", "max": "2024-12-31", "unique": True},
        rows=366,
    )
    assert len(set(got)) == 366
    stamps = one("TIMESTAMPTZ", {"kind": "range", "unique": True}, rows=20_000)
    assert len(set(stamps)) == 20_000


def test_long_text_column_lengths_are_guarded():
    got = one("CHAR(2)", {"kind": "boolean"}, rows=100)  # 'true'/'false' into CHAR(2)
    assert set(got) == {"tr", "fa"}


def test_constant_null_and_categorical_with_null_give_sql_nulls():
    assert set(one("VARCHAR(5)", {"kind": "constant", "value": None}, rows=10)) == {None}
    got = one("VARCHAR(5)", {"kind": "categorical", "values": ["a", None]}, rows=2000)
    assert set(got) == {"a", None}


LOREM = set(LoremProvider.word_list)


@pytest.mark.parametrize(
    ("type_", "low", "high", "shortest", "longest"),
    [
        ("VARCHAR(300)", 1, 30, 1, 30),
        ("VARCHAR(300)", 1, 1, 1, 1),  # only 'a' and 'I' fit
        ("VARCHAR(300)", None, 2, 2, 2),  # min_length 3 is cut to the max_length
        ("VARCHAR(300)", 5, 5, 5, 5),
        ("VARCHAR(300)", 20, 20, 20, 20),  # no run of words from a start fits: a last word does
        ("VARCHAR(300)", 30, 33, 30, 33),
        ("VARCHAR(300)", 3, 117, 3, 117),
        ("VARCHAR(5)", 3, 40, 3, 5),  # the column's limit wins
    ],
)
def test_text_values_are_whole_lorem_words_within_the_lengths(type_, low, high, shortest, longest):
    rule = {"kind": "text", "min_length": low, "max_length": high}
    got = one(type_, {k: v for k, v in rule.items() if v is not None}, rows=5000, nullable=False)
    # one space between words, none at the edges, no word cut or made up
    assert [v for v in got if not set(v.split(" ")) <= LOREM] == []
    lengths = [len(v.encode()) for v in got]  # Redshift counts bytes
    assert (min(lengths), max(lengths)) == (shortest, longest)


def test_text_of_max_length_zero_is_empty():
    assert set(one("VARCHAR(10)", {"kind": "text", "max_length": 0}, rows=100)) == {""}


def test_text_values_run_on_from_one_another_like_prose():
    got = one("VARCHAR(300)", {"kind": "text", "min_length": 20, "max_length": 120}, rows=2000)
    words = [w for v in got for w in v.split(" ")]
    assert len(set(words)) > 700  # drawn from the whole lorem vocabulary
    assert 60 < sum(map(len, got)) / len(got) < 75  # about the middle of the range, less a word


def test_timestamp_and_time_precision_is_kept():
    stamps = one("TIMESTAMP(0)", {"kind": "range"}, rows=2000)
    assert all(v.microsecond == 0 for v in stamps)
    assert len(set(stamps)) > 1900
    times = one("TIME(3)", {"kind": "range"}, rows=2000)
    assert all(v.microsecond % 1000 == 0 for v in times)


def test_unique_timestamps_with_whole_seconds():
    rule = {
        "kind": "range",
        "min": "2024-01-01 00:00:00",
        "max": "2024-01-01 00:59:59",
        "unique": True,
    }
    got = one("TIMESTAMP(0)", rule, rows=3600)
    assert len(set(got)) == 3600
    assert all(v.microsecond == 0 for v in got)
