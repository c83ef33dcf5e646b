"""The dwsim_rs helper schema on the real PostgreSQL: installs are repeatable and concurrent,
and wrong arguments fail with a message that names the function and the value."""

import threading

import pytest

from dwsim_redshift.sql import HELPER_SQL, translate

psycopg2 = pytest.importorskip("psycopg2")


def test_install_is_repeatable_and_safe_to_run_concurrently(postgres_url: str) -> None:
    errors: list[BaseException] = []

    def install() -> None:
        try:
            conn = psycopg2.connect(postgres_url)
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute(HELPER_SQL)
            conn.close()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=install) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with psycopg2.connect(postgres_url) as conn, conn.cursor() as cur:
        cur.execute(translate("select datediff(year, '2019-12-31', '2020-01-01')"))
        assert cur.fetchone() == (1,)


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("select datediff(yy, '2019-12-31', '2020-01-01')", 'DATEDIFF does not support the date part "yy"'),
        ("select dateadd(fortnight, 1, '2020-01-01')", 'DATEADD does not support the date part "fortnight"'),
        ("select datediff(epoch, '2019-12-31', '2020-01-01')", 'DATEDIFF does not support the date part "epoch"'),
        ("select strtol('12z', 10)", 'STRTOL: "12z" is not a number in base 10'),
        ("select next_day('2020-01-01', 'someday')", 'NEXT_DAY: "someday" is not a day of the week'),
        ("select json_extract_path_text('{\"a\":', 'a')", "JSON parsing error"),
    ],
)  # fmt: skip
def test_wrong_arguments_say_what_was_wrong(postgres_url: str, sql: str, message: str) -> None:
    with psycopg2.connect(postgres_url) as conn:
        with conn.cursor() as cur:
            cur.execute(HELPER_SQL)
        conn.commit()
        with conn.cursor() as cur, pytest.raises(psycopg2.Error) as failure:
            cur.execute(translate(sql))
    assert message in str(failure.value)


def test_result_columns_carry_redshifts_names(postgres_url: str) -> None:
    """Redshift's documentation shows these headers (date_diff, pgdate_part, timestamp...)."""
    sql = (
        "select datediff(day, '2020-01-01', '2020-01-02'), dateadd(day, 1, '2020-01-01'), "
        "date_part(year, date '2020-01-01'), sysdate, getdate(), trunc(1.5), "
        "listagg(x) within group (order by x), median(n), avg(n), concat('a', 'b'), "
        "ratio_to_report(sum(n)) over (), strtol('ff', 16) "
        "from (select 'a' as x, 1 as n) s"
    )
    with psycopg2.connect(postgres_url) as conn, conn.cursor() as cur:
        cur.execute(HELPER_SQL)
        cur.execute(translate(sql))
        names = [column.name for column in cur.description]
    assert names == [
        "date_diff", "date_add", "pgdate_part", "timestamp", "getdate", "trunc", "listagg",
        "median", "avg", "concat", "ratio_to_report", "strtol",
    ]  # fmt: skip
