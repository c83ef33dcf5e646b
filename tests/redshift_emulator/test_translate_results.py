"""Translator units for result types and comparisons: typed slots and their probes, where a
comparison is rewritten (and where it must not be), refusals that name the emulator limit."""

import pytest

from dwsim_redshift.sql import UnsupportedStatementError, translate, translate_typed
from dwsim_redshift.sql.typed import has_slots, probes, render, strip

NUMERIC_5_2 = (1700, (5 << 16 | 2) + 4)


def test_a_sum_of_a_column_is_a_slot_with_a_probe_of_its_from_list():
    text = translate_typed(
        "with c as (select * from t) select g, sum(d) from c join u on u.id = c.id group by g"
    )
    assert has_slots(text)
    [[probe]] = probes(text)
    assert probe.sql == (
        "WITH c AS (SELECT * FROM t) SELECT d FROM c JOIN u ON dwsim_rs.rs_eq(u.id, c.id)"
    )
    assert probe.slots == (0,)
    typed = render(text, [[[NUMERIC_5_2]]])
    assert "CAST(dwsim_rs.sum(d) AS NUMERIC(38, 2))" in typed
    assert "\0" not in typed


def test_a_slot_the_probe_could_not_type_stays_as_postgresql_types_it():
    text = translate_typed("select sum(d) over (partition by g), avg(d) from t group by g, d")
    assert (
        render(text, [[None]])
        == strip(text)
        == translate("select sum(d) over (partition by g), avg(d) from t group by g, d")
    )
    assert render(text, [[[(20, -1), (1700, -1)]]]) == strip(text)  # bigint, unconstrained


def test_sums_of_literals_need_no_probe():
    assert not has_slots(translate_typed("select sum(1), avg(2.5) from t"))


def test_comparisons_with_string_literals_ignore_trailing_blanks_but_assignments_stay():
    sql = translate("update t set v = 'x', w = 'y' where k = 'a' and n in ('b ', 'c')")
    assert sql.startswith("UPDATE t SET v = 'x', w = 'y' WHERE dwsim_rs.rs_eq(k, 'a')")
    assert "dwsim_rs.rs_in(n, 'b', 'c')" in sql
    # between two columns too (PostgreSQL picks the helper by their types: plain = for others)
    joined = translate("select * from a join b on a.v = b.v and b.k = 'x'")
    assert "dwsim_rs.rs_eq(a.v, b.v)" in joined
    # in lists that are not all strings, and against anything but a column, PostgreSQL's stays
    assert "a.v = b.v + 1" in translate("select * from a join b on a.v = b.v + 1")
    assert "n IN (1, 'b') AND" in translate("select * from t where n in (1, 'b') and k = 'a'")


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("select lag(v) ignore nulls over (partition by g) from t", "emulator limit"),
        ("select sum(v) ignore nulls over (order by g rows unbounded preceding) from t", "SUM"),
        (
            "select percentile_disc(0.5) within group (order by v) over w from t "
            "window w as (partition by g)",
            "emulator limit",
        ),
    ],
)
def test_what_cannot_be_emulated_is_refused_as_an_emulator_limit(sql: str, message: str):
    with pytest.raises(UnsupportedStatementError, match=message):
        translate(sql)


def test_a_sum_of_decimal_arithmetic_is_typed_from_its_operands_scales():
    text = translate_typed("select sum(a * 2), sum(a + b * c) from t")
    [[probe]] = probes(text)
    assert probe.sql == "SELECT a, a, b, c FROM t"  # integer literals need no probe
    numeric = [(1700, (8 << 16 | 2) + 4), (1700, (8 << 16 | 2) + 4), NUMERIC_5_2, (23, -1)]
    typed = render(text, [[numeric]])
    assert "CAST(dwsim_rs.sum(a * 2) AS NUMERIC(38, 2))" in typed
    assert "CAST(dwsim_rs.sum(a + b * c) AS NUMERIC(38, 2))" in typed  # max(2, 2 + 0)
    # an operand of no declared scale (a division, a DOUBLE) leaves PostgreSQL's type
    assert render(text, [[[(1700, -1), (1700, -1), NUMERIC_5_2, (701, -1)]]]) == strip(text)


def test_decode_compares_without_trailing_blanks_and_matches_null_with_null():
    sql = translate("select decode(v, 'a', 1, w, 2, null, 3, 0) from t")
    assert sql == (
        "SELECT CASE WHEN dwsim_rs.rs_eq(v, 'a') THEN 1 WHEN dwsim_rs.rs_eq(v, w) OR "
        "(v IS NULL AND w IS NULL) THEN 2 WHEN v IS NULL THEN 3 ELSE 0 END FROM t"
    )


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        (
            "select v, x from a join b using (v) where v > 'a' order by v",
            "SELECT a.v AS v, x FROM a JOIN b ON dwsim_rs.rs_eq(a.v, b.v) "
            "WHERE dwsim_rs.rs_gt(a.v, 'a') ORDER BY v",
        ),
        (
            "select v, count(*) from a x full join b using (v, k) group by v",
            "SELECT COALESCE(x.v, b.v) AS v, COUNT(*) FROM a AS x FULL JOIN b ON "
            "dwsim_rs.rs_eq(x.v, b.v) AND dwsim_rs.rs_eq(x.k, b.k) GROUP BY COALESCE(x.v, b.v)",
        ),
        (
            "select upper(v) from a right join b using (v) join c using (v)",
            "SELECT UPPER(b.v) FROM a RIGHT JOIN b ON dwsim_rs.rs_eq(a.v, b.v) "
            "JOIN c ON dwsim_rs.rs_eq(b.v, c.v)",
        ),
        # SELECT * and a left side of several tables keep USING, guarded (test_join_using.py)
        (
            "select * from a join b using (v)",
            "SELECT * FROM a JOIN b USING (v) WHERE dwsim_rs.rs_using_plain(v, 'v')",
        ),
        (
            "select v from (a join b using (v)) j",
            "SELECT v FROM (a JOIN b USING (v)) AS j WHERE dwsim_rs.rs_using_plain(v, 'v')",
        ),
        (
            "select v from a natural join s.b",
            "SELECT v FROM a NATURAL JOIN s.b "
            "WHERE dwsim_rs.rs_natural_plain(CAST(NULL AS a), CAST(NULL AS s.b))",
        ),
    ],
)
def test_join_using_becomes_on_with_the_merged_column(sql: str, expected: str):
    assert translate(sql) == expected


NUMERIC_8_2 = (1700, (8 << 16 | 2) + 4)


def test_select_list_arithmetic_is_cast_and_a_division_computed_at_redshifts_scale():
    text = translate_typed("select a * b, a / b as r, round(a / b, 2) from t")
    assert strip(text) == "SELECT a * b, a / b AS r, dwsim_rs.round(a / b, 2) FROM t"
    [[probe]] = probes(text)
    assert probe.sql == "SELECT a, b, a, b, a, b FROM t"
    typed = render(text, [[[NUMERIC_8_2] * 6]])
    assert typed == (
        "SELECT CAST(a * b AS NUMERIC(17, 4)), "
        "CAST(dwsim_rs.decimal_div(a, b, 9) AS NUMERIC(17, 9)) AS r, "
        "dwsim_rs.round(CAST(dwsim_rs.decimal_div(a, b, 9) AS NUMERIC(17, 9)), 2) FROM t"
    )
    # an operand of no declared scale (a DOUBLE) leaves PostgreSQL's type and division
    assert render(text, [[[NUMERIC_8_2, (701, -1)] * 3]]) == strip(text)


def test_an_integer_literal_gives_a_scale_but_no_precision():
    text = translate_typed("select a * 2, a / 2, sum(a / 2), sum(a * 2) from t")
    typed = render(text, [[[NUMERIC_8_2] * 2, [NUMERIC_8_2] * 3]])
    assert typed == (
        "SELECT a * 2, a / 2, dwsim_rs.sum(a / 2), CAST(dwsim_rs.sum(a * 2) AS NUMERIC(38, 2)) "
        "FROM t"
    )


def test_a_grouped_division_outside_an_aggregate_is_left_to_postgresql():
    sql = "select a / b, sum(a / b) from t group by a / b"
    text = translate_typed(sql)
    typed = render(text, [[[NUMERIC_8_2] * 2, [NUMERIC_8_2] * 2]])
    assert typed.startswith("SELECT a / b, CAST(dwsim_rs.sum(CAST(dwsim_rs.decimal_div(a, b, 9)")
    assert typed.endswith("AS NUMERIC(38, 9)) FROM t GROUP BY a / b")


@pytest.mark.parametrize(
    "sql", ["select * from t where x = -1", "select count(*) from t", "select t.* from t"]
)
def test_a_star_or_a_negative_literal_is_no_arithmetic_and_stays_as_written(sql: str):
    assert translate_typed(sql) == sql
