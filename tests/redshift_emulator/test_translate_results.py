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
