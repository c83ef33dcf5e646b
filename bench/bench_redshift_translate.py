"""What translating a Redshift statement costs, against sqlglot's own Redshift->PostgreSQL
transpile of the same text (the baseline, measured in the same run).

  1. portable statements (BEGIN, SELECT 1, simple queries with $n placeholders): translate()
     answers from its scanner without parsing; the ratio shows what the fast path saves;
  2. Redshift-specific statements (DATEDIFF, LISTAGG, SUPER paths, DDL attributes, QUALIFY...):
     translate() parses with sqlglot and runs its rewrite pass; the ratio is the pass's cost
     on top of sqlglot (sqlglot alone gives wrong or failing SQL for most of these).
Rounds of ours and the baseline alternate; each figure is the best round's per-statement
time (the machine is shared, so the best round is the least disturbed one).

    .venv/bin/python bench/bench_redshift_translate.py [--rounds 200]
"""

import argparse
import contextlib
import logging
import time

import sqlglot

from dwsim_redshift.sql import translate

PORTABLE = [
    "BEGIN",
    "COMMIT",
    "SELECT 1",
    "select id, name from customers where id = $1 and region = $2",
    "insert into events values ($1, $2, $3)",
    "select count(*) from orders o join customers c on o.customer_id = c.id where c.id = %s",
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
        ours.append(_round_us(translate, statements))
        base.append(_round_us(_sqlglot, statements))
    return min(ours), min(base)


def _sqlglot(sql: str) -> None:
    # The baseline's failures (DDL attributes, #temp names...) still cost their time.
    with contextlib.suppress(Exception):
        sqlglot.transpile(sql, read="redshift", write="postgres")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=200)
    args = parser.parse_args()
    logging.getLogger("sqlglot").setLevel(logging.ERROR)
    for name, statements in (("portable", PORTABLE), ("Redshift-specific", REDSHIFT)):
        for sql in statements:  # warm caches and imports
            translate(sql)
            _sqlglot(sql)
        ours, base = _best_us(statements, args.rounds)
        print(
            f"{name} statements ({len(statements)}): translate() {ours:,.1f} us/statement, "
            f"sqlglot.transpile {base:,.1f} us/statement, ratio {ours / base:.2f}x"
        )


if __name__ == "__main__":
    main()
