"""Redshift date/time cases: SQL and the rows Redshift returns (its documentation's examples
where it gives one: 'docs: <page>'; otherwise the documented rule applied to boundary values)."""

from datetime import date, datetime

from tests.redshift_emulator.corpus import Case

DATEDIFF_DOC = "docs: DATEDIFF function"
DATEPARTS_DOC = "docs: Date parts for date or timestamp functions"

# (datepart as written, start, end, boundaries crossed)
DATEDIFF_TABLE: list[tuple[str, str, str, int]] = [
    ("year", "2019-12-31", "2020-01-01", 1),
    ("year", "2019-01-01", "2019-12-31 23:59:59", 0),
    ("year", "2020-01-01", "2019-12-31", -1),
    ("y", "2008-12-31", "2009-01-01", 1),
    ("yrs", "2000-06-01", "2010-01-01", 10),
    ("quarter", "2020-03-31 23:59:59", "2020-04-01", 1),
    ("qtr", "2020-01-01", "2020-03-31", 0),
    ("qtrs", "2019-11-15", "2020-02-15", 1),
    ("month", "2020-01-31", "2020-02-01", 1),
    ("mon", "2020-01-01", "2020-01-31", 0),
    ("mons", "2019-12-31", "2021-01-01", 13),
    ("week", "2009-01-01", "2009-12-31", 52),
    ("week", "2023-01-01", "2023-01-02", 1),  # Sunday -> Monday: weeks start on Monday
    ("w", "2023-01-02", "2023-01-08", 0),  # Monday -> Sunday of the same week
    ("weeks", "2023-01-08", "2023-01-09", 1),
    ("day", "2020-01-01 23:59:59", "2020-01-02 00:00:00", 1),
    ("d", "2020-02-28", "2020-03-01", 2),
    ("days", "2008-06-01 09:59:59", "2008-07-04 09:59:59", 33),
    ("hour", "2023-01-01", "2023-01-03 05:04:03", 53),
    ("hour", "2009-01-01 08:30:00", "2009-01-01 10:00:00", 2),
    ("h", "2020-01-01 08:59:59", "2020-01-01 09:00:00", 1),
    ("hrs", "2020-01-01 09:00:00", "2020-01-01 09:59:59", 0),
    ("minute", "2020-01-01 10:00:59", "2020-01-01 10:01:00", 1),
    ("m", "2020-01-01 10:00:00", "2020-01-01 11:00:00", 60),  # m is minute, not month
    ("mins", "2020-01-01 10:00:00", "2020-01-01 10:00:59", 0),
    ("second", "2020-01-01 10:00:00.999", "2020-01-01 10:00:01", 1),
    ("s", "2020-01-01 10:00:00", "2020-01-01 10:00:00.999", 0),
    ("secs", "2020-01-01 00:00:00", "2020-01-02 00:00:00", 86400),
    ("millisecond", "2020-01-01 10:00:00.0009", "2020-01-01 10:00:00.001", 1),
    ("ms", "2020-01-01 10:00:00.001", "2020-01-01 10:00:00.0019", 0),
    ("msec", "2020-01-01 10:00:00", "2020-01-01 10:00:01", 1000),
    ("microsecond", "2020-01-01 10:00:00.000001", "2020-01-01 10:00:00.000002", 1),
    ("us", "2020-01-01 10:00:00", "2020-01-01 10:00:01", 1000000),
    ("decade", "2009-12-31", "2010-01-01", 1),
    ("century", "2000-12-31", "2001-01-01", 1),  # centuries start in year ###1
    ("century", "2000-01-01", "2000-12-31", 0),
    ("millennium", "2000-12-31", "2001-01-01", 1),
    # dbt's cross-database datediff fixture (dbt-tests-adapter BaseDateDiff), run on Redshift
    ("week", "2019-12-31 00:00:00", "2019-12-27 00:00:00", -1),
    ("week", "2019-12-31 00:00:00", "2019-12-30 00:00:00", 0),
    ("week", "2019-12-31 00:00:00", "2020-01-02 00:00:00", 0),
    ("week", "2019-12-31 00:00:00", "2020-01-06 02:00:00", 1),
    ("minute", "2018-01-01 01:00:00", "2018-01-01 02:01:00", 61),
    ("second", "2018-01-01 01:00:00", "2018-01-01 02:00:01", 3601),
]

DATEDIFF_CASES = [
    Case(
        f"datediff-{part}-{i}",
        f"select datediff({part}, '{start}', '{end}')",
        [(expected,)],
        DATEPARTS_DOC if part not in ("year", "week", "hour", "days") else DATEDIFF_DOC,
    )
    for i, (part, start, end, expected) in enumerate(DATEDIFF_TABLE)
]

DATE_CASES = [
    *DATEDIFF_CASES,
    Case(
        "datediff-quoted-part-and-timestamptz-literals",
        "select datediff('days', 'Jun 1,2008 09:59:59 EST', 'Jul 4,2008 09:59:59 EST')",
        [(33,)],
        DATEDIFF_DOC,
    ),
    Case(
        "datediff-date-columns",
        "select datediff(day, start_date, end_date) from date_table order by start_date",
        [(81,), (486,)],
        DATEDIFF_DOC,
        setup=(
            "create table date_table (start_date date, end_date date)",
            "insert into date_table values ('2009-01-01', '2009-03-23'), "
            "('2023-01-04', '2024-05-04')",
        ),
    ),
    Case(
        "datediff-time-values",
        "select datediff(hour, time '08:30:00', time '10:00:00'), "
        "datediff(minute, time '20:00:00', time '21:00:00')",
        [(2, 60)],
        DATEDIFF_DOC,
    ),
    Case(
        "datediff-null-is-null",
        "select datediff(day, null::date, '2020-01-01'::date)",
        [(None,)],
        DATEDIFF_DOC,
    ),
    Case(
        "dateadd-month-end",
        "select dateadd(month, 18, '2008-02-28'), dateadd(month, 1, '2008-01-31'), "
        "dateadd(d, 30, '2008-02-28'::date), dateadd(m, 5, '2008-01-01 10:00:00')",
        [
            (
                datetime(2009, 8, 28),
                datetime(2008, 2, 29),
                datetime(2008, 3, 29),
                datetime(2008, 1, 1, 10, 5),
            )
        ],
        "docs: DATEADD function",
    ),
    Case(
        "dateadd-week-quarter-negative",
        "select dateadd(week, 1, '2020-01-01'), dateadd(qtr, -1, '2020-05-15'), "
        "dateadd(year, 1, '2020-02-29')",
        [(datetime(2020, 1, 8), datetime(2020, 2, 15), datetime(2021, 2, 28))],
        "docs: DATEADD function",
    ),
    Case(
        "add-months-last-day",
        "select add_months('2008-03-31', 1), add_months('2008-02-29', 1), "
        "add_months(date '2008-01-15', -2)",
        [(datetime(2008, 4, 30), datetime(2008, 3, 31), datetime(2007, 11, 15))],
        "docs: ADD_MONTHS function",
    ),
    Case(
        "months-between",
        "select months_between('1969-01-18', '1969-03-18'), "
        "months_between(date '2008-03-31', date '2008-02-29'), "
        "months_between(date '2008-02-16', date '2008-01-01')",
        [(-2.0, 1.0, 1 + 15 / 31)],
        "docs: MONTHS_BETWEEN function",
    ),
    Case(
        "last-day-next-day",
        "select last_day(date '2008-02-15'), last_day(timestamp '2009-12-03 10:00'), "
        "next_day('2014-08-20', 'Tuesday'), next_day(date '2014-08-20', 'we')",
        [(date(2008, 2, 29), date(2009, 12, 31), date(2014, 8, 26), date(2014, 8, 27))],
        "docs: NEXT_DAY function",
    ),
    Case(
        "trunc-timestamp-is-date-trunc-number-is-numeric",
        "select trunc(timestamp '2011-07-21 10:32:38.248109'), trunc(111.86), "
        "trunc(111.86, 1), trunc(-111.86, 1)",
        [(date(2011, 7, 21), 111, 111.8, -111.8)],
        "docs: TRUNC function",
    ),
    Case(
        "trunc-getdate-is-today",
        "select trunc(getdate()) = current_date, trunc(sysdate) = current_date",
        [(True, True)],
        "docs: TRUNC function",
    ),
    Case(
        "date-trunc-every-part",
        "select date_trunc('second', timestamp '20200430 04:05:06.789'), "
        "date_trunc('minute', timestamp '20200430 04:05:06.789'), "
        "date_trunc('hour', timestamp '20200430 04:05:06.789'), "
        "date_trunc('day', timestamp '20200430 04:05:06.789'), "
        "date_trunc('week', timestamp '20200430 04:05:06.789'), "
        "date_trunc('month', timestamp '20200430 04:05:06.789'), "
        "date_trunc('quarter', timestamp '20200430 04:05:06.789'), "
        "date_trunc('year', timestamp '20200430 04:05:06.789'), "
        "date_trunc('century', timestamp '20200430 04:05:06.789')",
        [
            (
                datetime(2020, 4, 30, 4, 5, 6),
                datetime(2020, 4, 30, 4, 5),
                datetime(2020, 4, 30, 4),
                datetime(2020, 4, 30),
                datetime(2020, 4, 27),
                datetime(2020, 4, 1),
                datetime(2020, 4, 1),
                datetime(2020, 1, 1),
                datetime(2001, 1, 1),
            )
        ],
        "docs: DATE_TRUNC function",
    ),
    Case(
        "date-trunc-date-input-gives-timestamp",
        "select date_trunc('mon', date '2020-04-30'), date_trunc('week', date '2023-01-01')",
        [(datetime(2020, 4, 1), datetime(2022, 12, 26))],
        "docs: DATE_TRUNC function",
    ),
    Case(
        "date-part-and-datepart",
        "select date_part(minute, timestamp '2023-01-04 04:05:06.789'), "
        "datepart(dow, date '2008-01-05'), date_part('w', date '2008-01-05'), "
        "date_part(sec, timestamp '2009-09-21 11:10:03.189717'), "
        "date_part(epoch, timestamp '2008-01-01 00:00:01')",
        [(5.0, 6.0, 1.0, 3.189717, 1199145601.0)],
        "docs: DATE_PART function",
    ),
    Case(
        "extract-returns-only-the-part",
        "select extract(sec from micro), extract(ms from micro), extract(us from micro), "
        "extract(year from micro), extract(qtr from micro) "
        "from (select timestamp '2009-09-21 11:10:03.189717' as micro) s",
        [(3, 189, 717, 2009, 3)],
        DATEPARTS_DOC,
    ),
    Case(
        "convert-timezone-two-and-three-arguments",
        "select convert_timezone('EST', 'PST', '20080305 12:25:29'), "
        "convert_timezone('America/New_York', '2013-02-01 08:00:00'), "
        "convert_timezone('US/Pacific', timestamp '2008-06-17 09:44:54')",
        [
            (
                datetime(2008, 3, 5, 9, 25, 29),
                datetime(2013, 2, 1, 3, 0),
                datetime(2008, 6, 17, 2, 44, 54),
            )
        ],
        "docs: CONVERT_TIMEZONE function",
    ),
    Case(
        "getdate-is-a-timestamp-to-the-second",
        "select getdate() = date_trunc('second', getdate()), "
        "pg_typeof(getdate())::text, pg_typeof(sysdate)::text",
        [(True, "timestamp without time zone", "timestamp without time zone")],
        "docs: GETDATE function",
    ),
    Case(
        "to-char",
        "select to_char(timestamp '2009-12-31 23:15:59', 'MONTH-DY-DD-YYYY HH12:MIPM')",
        [("DECEMBER -THU-31-2009 11:15PM",)],
        "docs: TO_CHAR",
    ),
]
