"""What translating a Redshift statement costs, against sqlglot's own Redshift->PostgreSQL
transpile of the same text (the baseline, measured in the same run).

  1. portable statements (BEGIN, SELECT 1, simple queries with $n or %s placeholders):
     translate() answers from its scanner without parsing, returning them as written (checked
     first: the bench stops if one is rewritten); the ratio shows what the fast path saves;
  2. Redshift-specific statements (DATEDIFF, LISTAGG, SUPER paths, DDL attributes, QUALIFY...):
     translate() parses with sqlglot and runs its rewrite pass; the ratio is the pass's cost
     on top of sqlglot (sqlglot alone gives wrong or failing SQL for most of these).
  3. a bulk INSERT ... VALUES of 10,000 rows (portable): the scanner alone, against sqlglot;
  4. the DATEDIFF helper on the database: dwsim_rs.datediff('day', a, b) over 1,000,000 rows
     against PostgreSQL's own date subtraction (b::date - a::date), best of 3 runs each.
Rounds of ours and the baseline alternate; each figure is the best round's per-statement
time (the machine is shared, so the best round is the least disturbed one).

    .venv/bin/python bench/bench_redshift_translate.py [--rounds 200] [--rows 1000000]
"""

import argparse
import contextlib
import logging
import os
import time
import uuid

import psycopg2
import sqlglot

from dwsim_redshift.sql import HELPER_SQL, translate
from dwsim_redshift.sql import statements as scanner

ADMIN_URL = os.environ.get("DWSIM_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
ROWS_SQL = (
    "select {expr} from (select timestamp '2020-01-01' + g * interval '1 minute' as a, "
    "timestamp '2020-01-01' + g * interval '97 minutes' as b "
    "from generate_series(1, {rows}) g) s"
)

PORTABLE = [
    "BEGIN",
    "COMMIT",
    "SELECT 1",
    "select id, name from customers where id = $1 and region = $2",
    "insert into events values ($1, $2, $3)",
    "select o.id, o.total from orders o where o.customer_id = %s order by o.id limit 10",
    "SET search_path TO analytics",
]
REDSHIFT = [
    "select datediff(day, order_date, ship_date), dateadd(month, 1, order_date) from orders",
    "select region, listagg(name, ', ') within group (order by name) from c group by region",
    "select doc.customer.name, doc.lines[0].sku from raw_orders where doc.total > 100",
    "create table t (id int identity(1,1) encode az64 distkey, s varchar(max) sortkey) "
    "diststyle key backup no",
    "select top 10 * from sales qualify row_number() over (partition by r order by q) = 1",
    "select trunc(getdate()), convert_timezone('US/Pacific', created_at), nvl(x, 0) from t",
    "select approximate count(distinct user_id), median(amount) from payments",
    "select * into #recent from events where ts > dateadd(day, -7, sysdate)",
]


def _round_us(func, statements: list[str]) -> float:
    start = time.perf_counter()
    for sql in statements:
        func(sql)
    return (time.perf_counter() - start) / len(statements) * 1e6


def _best_us(statements: list[str], rounds: int) -> tuple[float, float]:
    ours, base = [], []
    for _ in range(rounds):
        ours.append(_round_us(_translate_fresh, statements))
        base.append(_round_us(_sqlglot, statements))
    return min(ours), min(base)


def _translate_fresh(sql: str) -> None:
    """translate() of a statement it has not seen (its scan cache emptied first)."""
    scanner._segments.cache_clear()
    scanner._code_text.cache_clear()
    translate(sql)


def _sqlglot(sql: str) -> None:
    # The baseline's failures (DDL attributes, #temp names...) still cost their time.
    with contextlib.suppress(Exception):
        sqlglot.transpile(sql, read="redshift", write="postgres")


def _bulk_insert() -> None:
    rows = ", ".join(f"({i}, 'name {i}', {i}.5, '2020-01-01')" for i in range(10_000))
    sql = "insert into customers values " + rows
    ours = min(_round_us(_translate_fresh, [sql]) for _ in range(3)) / 1e6
    base = min(_round_us(_sqlglot, [sql]) for _ in range(2)) / 1e6
    print(
        f"10,000-row INSERT ... VALUES ({len(sql) / 1e6:.1f} MB): translate() {ours:.3f} s, "
        f"sqlglot.transpile {base:.3f} s, ratio {ours / base:.2f}x"
    )


def _helper_on_database(rows: int) -> None:
    dbname = f"dwsim_bench_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(ADMIN_URL)
    admin.autocommit = True
    admin.cursor().execute(f'CREATE DATABASE "{dbname}"')
    try:
        conn = psycopg2.connect(ADMIN_URL.rpartition("/")[0] + "/" + dbname)
        conn.autocommit = True
        cur = conn.cursor()
        cur.execute(HELPER_SQL)
        timings: dict[str, list[float]] = {"helper": [], "native": []}
        exprs = {
            "helper": "sum(dwsim_rs.datediff('day', a, b))",
            "native": "sum(b::date - a::date)",
        }
        results = {}
        for _ in range(3):
            for name, expr in exprs.items():
                start = time.perf_counter()
                cur.execute(ROWS_SQL.format(expr=expr, rows=rows))
                results[name] = cur.fetchone()[0]
                timings[name].append(time.perf_counter() - start)
        conn.close()
        assert results["helper"] == results["native"], results
        ours, base = min(timings["helper"]), min(timings["native"])
        print(
            f"DATEDIFF(day) over {rows:,} rows: dwsim_rs.datediff {rows / ours:,.0f} rows/s, "
            f"native date subtraction {rows / base:,.0f} rows/s, ratio {ours / base:.2f}x time"
        )
    finally:
        admin.cursor().execute(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
        admin.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--rows", type=int, default=1_000_000)
    args = parser.parse_args()
    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    rewritten = [sql for sql in PORTABLE if translate(sql) != sql]
    if rewritten:  # e.g. a join of two columns: character comparisons ignore trailing blanks
        raise SystemExit(f"no longer on the fast path (rewritten by translate()): {rewritten}")
    for name, statements in (("portable", PORTABLE), ("Redshift-specific", REDSHIFT)):
        for sql in statements:  # warm caches and imports
            translate(sql)
            _sqlglot(sql)
        ours, base = _best_us(statements, args.rounds)
        print(
            f"{name} statements ({len(statements)}): translate() {ours:,.1f} us/statement, "
            f"sqlglot.transpile {base:,.1f} us/statement, ratio {ours / base:.2f}x"
        )
    _bulk_insert()
    _helper_on_database(args.rows)


if __name__ == "__main__":
    main()
