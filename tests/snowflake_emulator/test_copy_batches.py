"""COPY INTO of many Parquet files with ON_ERROR=ABORT_STATEMENT, which the emulator inserts a
few files per INSERT (copy_batch.py): each file still gets its own result row, a bad row still
names its file, and files loaded before are still skipped."""

import pyarrow as pa
import pytest
from snowflake.connector.errors import ProgrammingError

from dwsim_snowflake.copy_batch import BATCH
from tests.snowflake_emulator.staging import CUSTOMERS_DDL, PARQUET, customers, put_parquet

FILES = 2 * BATCH + 2  # three batches, the last one short


def _rows(cur, sql: str) -> list[tuple]:
    return cur.execute(sql).fetchall()


def _put(s3, bucket: str, prefix: str, i: int, table: pa.Table) -> str:
    return put_parquet(s3, bucket, f"{prefix}/part-{i:05d}.parquet", table)


def test_files_of_different_columns_each_report_their_rows(snowflake_conn, s3_server, s3_bucket):
    tables = [customers(i * 100, 10 + i) for i in range(FILES)]
    # a file without balance, one with id as int32 and its columns in another order: DuckDB
    # could not read them in one read_parquet with the others
    tables[2] = tables[2].drop_columns(["balance"])
    tables[5] = pa.table(
        {
            "balance": tables[5]["balance"],
            "id": tables[5]["id"].cast(pa.int32()),
            "name": tables[5]["name"],
        }
    )
    urls = [_put(s3_server, s3_bucket, "mixed", i, t) for i, t in enumerate(tables)]
    cur = snowflake_conn.cursor()
    cur.execute(CUSTOMERS_DDL)
    copy = f"COPY INTO customers FROM 's3://{s3_bucket}/mixed/' {PARQUET}"

    result = _rows(cur, copy)

    assert [r[:6] for r in result] == [
        (url, "LOADED", t.num_rows, t.num_rows, 1, 0) for url, t in zip(urls, tables, strict=True)
    ]
    expected = sorted(
        (i, f"customer {i}", None if n == 2 else i * 1.5)
        for n, t in enumerate(tables)
        for i in t["id"].to_pylist()
    )
    assert _rows(cur, "SELECT id, name, balance FROM customers ORDER BY id, name") == expected

    # again: every file was loaded before; a new file is the only one loaded
    new = _put(s3_server, s3_bucket, "mixed", FILES, customers(1000, 3))
    again = _rows(cur, copy)
    assert [(r[0], r[1], r[3]) for r in again] == [
        *((url, "LOAD_SKIPPED", 0) for url in urls),
        (new, "LOADED", 3),
    ]
    assert _rows(cur, "SELECT count(*) FROM customers") == [(len(expected) + 3,)]


@pytest.mark.parametrize("bad_file", [0, BATCH + 1, FILES - 1])
def test_a_bad_row_in_any_batch_names_its_file_and_loads_nothing(
    snowflake_conn, s3_server, s3_bucket, bad_file
):
    prefix = f"bad{bad_file}"
    urls = []
    for i in range(FILES):
        table = customers(i * 10, 10)
        if i == bad_file:  # the whole batch reads id as text: its 7th row does not convert
            ids = [str(v) for v in table["id"].to_pylist()]
            ids[6] = "seven"
            table = table.set_column(1, "id", pa.array(ids))
        urls.append(_put(s3_server, s3_bucket, prefix, i, table))
    cur = snowflake_conn.cursor()
    cur.execute(CUSTOMERS_DDL)

    with pytest.raises(ProgrammingError) as err:
        cur.execute(f"COPY INTO customers FROM 's3://{s3_bucket}/{prefix}/' {PARQUET}")

    message = str(err.value)
    assert "Numeric value 'seven' is not recognized" in message
    assert f"File '{urls[bad_file]}'" in message
    assert "Row 7" in message
    assert '"CUSTOMERS"["ID"' in message
    assert _rows(cur, "SELECT count(*) FROM customers") == [(0,)]


def test_a_bad_row_among_files_of_the_same_columns_names_its_file(
    snowflake_conn, s3_server, s3_bucket
):
    """Every file reads id as text, so one INSERT reads the batch; the scan finds the file."""
    urls = []
    for i in range(BATCH):
        table = customers(i * 10, 10)
        ids = [str(v) for v in table["id"].to_pylist()]
        if i == BATCH - 2:
            ids[3] = "four"
        urls.append(_put(s3_server, s3_bucket, "text", i, table.set_column(1, "id", pa.array(ids))))
    cur = snowflake_conn.cursor()
    cur.execute(CUSTOMERS_DDL)

    with pytest.raises(ProgrammingError) as err:
        cur.execute(f"COPY INTO customers FROM 's3://{s3_bucket}/text/' {PARQUET}")

    message = str(err.value)
    assert "'four'" in message
    assert f"File '{urls[BATCH - 2]}'" in message
    assert "Row 4" in message
    assert _rows(cur, "SELECT count(*) FROM customers") == [(0,)]
