"""What SVV_TABLE_INFO, PG_TABLE_DEF and SVV_REDSHIFT_COLUMNS say about a table's DISTSTYLE,
DISTKEY, SORTKEY and ENCODE after Redshift DDL sent through the emulator (psycopg2, simple
protocol; redshift_connector, extended protocol)."""

import uuid
from dataclasses import dataclass

import pytest

psycopg2 = pytest.importorskip("psycopg2")

_INFO = (
    "SELECT encoded, diststyle, sortkey1, sortkey1_enc, sortkey_num FROM svv_table_info "
    "WHERE schema = current_schema() AND \"table\" = '{table}'"
)
_DEF = (
    'SELECT "column", encoding, distkey, sortkey FROM pg_table_def '
    "WHERE tablename = '{table}' ORDER BY \"column\""
)


@dataclass(frozen=True)
class Layout:
    id: str
    ddl: tuple[str, ...]
    info: tuple  # encoded, diststyle, sortkey1, sortkey1_enc, sortkey_num
    columns: list[tuple]  # column, encoding, distkey, sortkey (by column name)


CASES = [
    Layout(
        "diststyle-key-compound-sortkey-encodings",
        ("create table t (id bigint encode az64, region varchar(10) encode zstd, "
         "cust int, note varchar(300) encode raw) "
         "diststyle key distkey(cust) compound sortkey(region, id)",),
        ("Y", "KEY(cust)", "region", "zstd", 2),
        [("cust", "none", True, 0), ("id", "az64", False, 2), ("note", "none", False, 0),
         ("region", "zstd", False, 1)],
    ),
    Layout(
        "inline-distkey-and-sortkey",
        ("create table t (a int distkey, b date sortkey encode delta, c varchar(5))",),
        ("Y", "KEY(a)", "b", "delta", 1),
        [("a", "none", True, 0), ("b", "delta", False, 1), ("c", "none", False, 0)],
    ),
    Layout(
        "diststyle-even-plain-sortkey-is-compound",
        ("create table t (a int, b int) diststyle even sortkey(b, a)",),
        ("N", "EVEN", "b", "none", 2),
        [("a", "none", False, 2), ("b", "none", False, 1)],
    ),
    Layout(
        "diststyle-all-interleaved-sortkey",
        ("create table t (a int, b int, c int, d int) diststyle all "
         "interleaved sortkey(c, a, d)",),
        ("N", "ALL", "c", "none", 3),
        [("a", "none", False, 2), ("b", "none", False, 0), ("c", "none", False, -1),
         ("d", "none", False, -3)],
    ),
    Layout(
        "diststyle-auto-sortkey-auto-encode-auto",
        ("create table t (a int) diststyle auto sortkey auto encode auto",),
        ("Y, AUTO(ENCODE)", "AUTO(EVEN)", "AUTO(SORTKEY)", None, 0),
        [("a", "none", False, 0)],
    ),
    Layout(
        "no-attributes-gets-redshift-defaults",
        ("create table t (a int)",),
        ("N", "AUTO(EVEN)", "AUTO(SORTKEY)", None, 0),
        [("a", "none", False, 0)],
    ),
    Layout(
        "ctas-with-attributes",
        ("create table t distkey(y) sortkey(x) as select 1 as x, 'a'::varchar(3) as y",),
        ("N", "KEY(y)", "x", "none", 1),
        [("x", "none", False, 1), ("y", "none", True, 0)],
    ),
    Layout(
        "like-inherits-the-parents-layout",
        ("create table parent (a int encode zstd, b int) distkey(b) sortkey(a)",
         "create table t (like parent)"),
        ("Y", "KEY(b)", "a", "zstd", 1),
        [("a", "zstd", False, 1), ("b", "none", True, 0)],
    ),
    Layout(
        "alter-distkey-sortkey-and-encode",
        ("create table t (a int, b int, c varchar(20))",
         "alter table t alter distkey b",
         "alter table t alter compound sortkey (c, a)",
         "alter table t alter column c encode zstd"),
        ("Y", "KEY(b)", "c", "zstd", 2),
        [("a", "none", False, 2), ("b", "none", True, 0), ("c", "zstd", False, 1)],
    ),
    Layout(
        "alter-diststyle-and-sortkey-none",
        ("create table t (a int, b int) distkey(a) sortkey(a)",
         "alter table t alter diststyle all",
         "alter table t alter sortkey none"),
        ("N", "ALL", None, None, 0),
        [("a", "none", False, 0), ("b", "none", False, 0)],
    ),
    Layout(
        "renamed-table-and-column-keep-their-layout",
        ("create table t0 (a int distkey, b int) sortkey(b)",
         "alter table t0 rename to t",
         "alter table t rename column b to bb"),
        ("N", "KEY(a)", "bb", "none", 1),
        [("a", "none", True, 0), ("bb", "none", False, 1)],
    ),
]  # fmt: skip


@pytest.fixture
def cur(redshift_emulator):
    conn = psycopg2.connect(redshift_emulator.dsn)
    conn.autocommit = True
    schema = f"layout_{uuid.uuid4().hex[:8]}"
    with conn.cursor() as cursor:
        cursor.execute(f"CREATE SCHEMA {schema}")
        cursor.execute(f"SET search_path TO {schema}")
        yield cursor
        cursor.execute(f"DROP SCHEMA {schema} CASCADE")
    conn.close()


def _info(cur, table: str = "t") -> list[tuple]:
    cur.execute(_INFO.format(table=table))
    return cur.fetchall()


def _oid(cur, table: str = "t") -> int:
    cur.execute(f"SELECT '{table}'::regclass::oid")
    return cur.fetchone()[0]


def _layout_rows(cur, oid: int) -> int:
    cur.execute(
        "SELECT (SELECT count(*) FROM dwsim_rs.table_layout WHERE relid = %(oid)s)"
        " + (SELECT count(*) FROM dwsim_rs.column_encoding WHERE relid = %(oid)s)",
        {"oid": oid},
    )
    return cur.fetchone()[0]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_catalog_reports_the_declared_layout(cur, case: Layout) -> None:
    for statement in case.ddl:
        cur.execute(statement)
    assert _info(cur) == [case.info]
    cur.execute(_DEF.format(table="t"))
    assert cur.fetchall() == case.columns
    cur.execute(
        "SELECT column_name, encoding, distkey, sortkey FROM svv_redshift_columns "
        "WHERE schema_name = current_schema() AND table_name = 't' ORDER BY column_name"
    )
    assert cur.fetchall() == case.columns


def test_ctas_keeps_its_row_count_and_temp_tables_their_layout(cur) -> None:
    cur.execute("create table src (a int)")
    cur.execute("insert into src values (1), (2), (3)")
    cur.execute("create temp table #tmp diststyle even sortkey(a) as select a from src")
    assert cur.rowcount == 3
    cur.execute(_DEF.format(table="tmp"))
    assert cur.fetchall() == [("a", "none", False, 1)]


def test_each_create_of_a_multi_statement_query_gets_its_own_layout(cur) -> None:
    cur.execute(
        "create table t (x int, y int) distkey(y) sortkey(x); "
        "create table t2 (y int encode zstd) diststyle all"
    )
    assert _info(cur) == [("N", "KEY(y)", "x", "none", 1)]
    assert _info(cur, "t2") == [("Y", "ALL", "AUTO(SORTKEY)", None, 0)]


def test_create_if_not_exists_on_an_existing_table_keeps_its_layout(cur) -> None:
    cur.execute("create table t (a int) distkey(a)")
    cur.execute("create table if not exists t (a int) diststyle all")
    assert _info(cur) == [("N", "KEY(a)", "AUTO(SORTKEY)", None, 0)]


def test_drop_table_leaves_no_stale_layout(cur) -> None:
    cur.execute("create table t (a int distkey encode zstd) sortkey(a)")
    oid = _oid(cur)
    assert _layout_rows(cur, oid) == 2
    cur.execute("drop table t")
    assert _layout_rows(cur, oid) == 0
    cur.execute("create table t (a int)")  # same name, no attributes: Redshift's defaults
    assert _info(cur) == [("N", "AUTO(EVEN)", "AUTO(SORTKEY)", None, 0)]


def test_rolled_back_create_leaves_no_layout(cur) -> None:
    cur.execute("begin")
    cur.execute("create table t (a int encode zstd) diststyle all sortkey(a)")
    oid = _oid(cur)
    assert _info(cur) == [("Y", "ALL", "a", "zstd", 1)]
    assert _layout_rows(cur, oid) == 2
    cur.execute("rollback")
    assert _layout_rows(cur, oid) == 0
    assert _info(cur) == []


@pytest.mark.parametrize(
    ("statement", "message"),
    [
        ("create table t (a int) distkey(zz)", 'column "zz" named in DISTKEY does not exist'),
        ("create table t (a int) sortkey(a, b)", 'column "b" named in SORTKEY does not exist'),
        ("alter table nowhere alter distkey a", 'relation "nowhere" does not exist'),
    ],
)
def test_layout_naming_a_missing_column_or_table_fails_and_creates_nothing(
    cur, statement: str, message: str
) -> None:
    with pytest.raises(psycopg2.Error, match=message):
        cur.execute(statement)
    cur.execute("SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()")
    assert cur.fetchone() == (0,)


def test_extended_protocol_clients_get_the_layout_too(redshift_emulator) -> None:
    redshift_connector = pytest.importorskip("redshift_connector")
    conn = redshift_connector.connect(**redshift_emulator.connect_kwargs(ssl=False))
    name = f"ext_{uuid.uuid4().hex[:8]}"
    try:
        cur = conn.cursor()
        cur.execute(f"create table {name} (a int encode az64, b int) distkey(b) sortkey(a)")
        cur.execute(f"alter table {name} alter diststyle even")
        cur.execute(
            "SELECT diststyle, sortkey1, sortkey_num FROM svv_table_info "
            f"WHERE \"table\" = '{name}'"
        )
        assert cur.fetchall() == (["EVEN", "a", 1],)
    finally:
        conn.rollback()
        conn.close()
