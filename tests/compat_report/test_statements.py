"""How the report names a statement's kind and the functions it calls, and where it writes."""

import pytest

from tests.compat_report.markdown import END, START, splice
from tests.compat_report.statements import functions_of, kind_of


@pytest.mark.parametrize(
    ("sql", "kind"),
    [
        ("with a as (select 1) select * from a", "SELECT"),
        ("create temp table #ids (id int)", "CREATE TABLE"),
        ("create table t2 as select * from t", "CREATE TABLE AS"),
        ("CREATE OR REPLACE TRANSIENT TABLE t (a INT)", "CREATE TABLE"),
        ("create materialized view mv as select 1", "CREATE MATERIALIZED VIEW"),
        ("SHOW IMPORTED KEYS IN TABLE t", "SHOW IMPORTED KEYS"),
        ("show terse schemas in database d limit 10000", "SHOW TERSE SCHEMAS"),
        ("SHOW TABLES", "SHOW TABLES"),
        ("show query_group", "SHOW QUERY_GROUP"),
        ("DESCRIBE TABLE t", "DESCRIBE TABLE"),
        ("insert into t values (1)", "INSERT"),
    ],
)
def test_kind(sql, kind):
    assert kind_of(sql) == kind


def test_functions_are_calls_not_tables_types_or_keys():
    sql = (
        "create table child (id int identity(1, 1), v varchar(10), d decimal(12, 2), "
        "p int references parent(id)) distkey(id) sortkey(id)"
    )
    assert functions_of(sql, "redshift") == []
    sql = "select nvl(a, 0), left(b, 2), percentile_cont(0.5) within group (order by a) from t"
    assert functions_of(sql, "redshift") == ["NVL", "LEFT", "PERCENTILE_CONT"]
    assert functions_of("select x from f(1) cols(a int)", "redshift") == ["F"]


def test_splice_keeps_the_prose_around_the_markers():
    doc = f"intro\n{START}\nold\n{END}\noutro\n"
    assert splice(doc, "new") == f"intro\n{START}\nnew\n{END}\noutro\n"
    with pytest.raises(ValueError, match="must hold the markers"):
        splice("no markers here", "new")
