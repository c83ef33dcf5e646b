"""The emulator as a process: restart persistence, S3 down, data dir or port already in use."""

import subprocess

import pytest
from snowflake.connector.errors import ProgrammingError

from tests.fixtures.s3 import S3Server
from tests.fixtures.servers import bin_path, free_port
from tests.fixtures.snowflake import running_snowflake_emulator
from tests.snowflake_emulator.staging import CUSTOMERS_DDL, PARQUET, customers, put_parquet


def test_tables_stages_and_load_history_survive_a_restart(tmp_path, s3_server, s3_bucket):
    data_dir = tmp_path / "snowflake"
    put_parquet(s3_server, s3_bucket, "runs/r1/customers/part-00000.parquet", customers(0, 25))
    with running_snowflake_emulator(data_dir, s3_server) as emulator:
        conn = emulator.connect(database="SALES", schema="PUBLIC")
        cur = conn.cursor()
        cur.execute(CUSTOMERS_DDL)
        cur.execute(f"CREATE STAGE runs URL='s3://{s3_bucket}/runs/'")
        cur.execute(f"COPY INTO customers FROM @runs/r1/customers/ {PARQUET}")
        local = tmp_path / "extra.csv"
        local.write_text("100,late customer,1.0\n")
        cur.execute("CREATE STAGE uploads")  # internal: files PUT to it live in the data dir
        cur.execute(f"PUT 'file://{local}' @uploads AUTO_COMPRESS=FALSE")
        cur.execute("CREATE DATABASE scratch")
        cur.execute("CREATE TABLE scratch.public.t (x INT)")
        cur.execute("DROP DATABASE scratch")
        conn.close()

    with (
        running_snowflake_emulator(data_dir, s3_server) as emulator,
        emulator.connect() as conn,  # no database named at login: found by USE
    ):
        cur = conn.cursor()
        cur.execute("USE DATABASE sales")
        cur.execute("USE SCHEMA public")
        cur.execute("SELECT count(*), sum(id), max(name) FROM customers")
        assert cur.fetchall() == [(25, sum(range(25)), "customer 9")]
        cur.execute("SHOW DATABASES")
        databases = {row[1] for row in cur.fetchall()}
        assert "SALES" in databases
        assert "SCRATCH" not in databases

        cur.execute(f"COPY INTO customers FROM @runs/r1/customers/ {PARQUET}")
        assert [row[1] for row in cur.fetchall()] == ["LOAD_SKIPPED"]
        cur.execute("COPY INTO customers FROM @uploads FILE_FORMAT=(TYPE=CSV)")
        assert [row[1:4] for row in cur.fetchall()] == [("LOADED", 1, 1)]
        cur.execute("DESCRIBE TABLE customers")
        assert [(row[0], row[1]) for row in cur.fetchall()] == [
            ("ID", "NUMBER(38,0)"),
            ("NAME", "VARCHAR(100)"),
            ("BALANCE", "FLOAT"),
        ]


def test_copy_with_the_s3_server_down_says_so(tmp_path):
    down = S3Server(endpoint_url=f"http://127.0.0.1:{free_port()}")  # nothing listens there
    with (
        # two tries, not the six of use: this is about what the error says, not how long S3
        # is waited for (tests/data_loader/test_s3_outage.py)
        running_snowflake_emulator(
            tmp_path / "snowflake", down, env={"DWSIM_S3_MAX_ATTEMPTS": "2"}
        ) as emulator,
        emulator.connect(database="SALES", schema="PUBLIC") as conn,
    ):
        cur = conn.cursor()
        cur.execute(CUSTOMERS_DDL)
        with pytest.raises(ProgrammingError) as err:
            cur.execute(f"COPY INTO customers FROM 's3://dwsim/runs/r1/customers/' {PARQUET}")

    message = str(err.value)
    assert "Cannot read staged data for table CUSTOMERS" in message
    assert f'Could not connect to the endpoint URL: "{down.endpoint_url}' in message


def test_a_second_emulator_on_the_same_data_dir_is_refused(snowflake_emulator):
    result = subprocess.run(
        [
            bin_path("dwsim"),
            "snowflake-emulator",
            "--port",
            str(free_port()),
            "--data-dir",
            str(snowflake_emulator.data_dir),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 2
    assert f"cannot open the data dir {snowflake_emulator.data_dir}" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_port_in_use_is_refused_with_the_setting_to_change(snowflake_emulator):
    result = subprocess.run(
        [bin_path("dwsim"), "snowflake-emulator", "--port", str(snowflake_emulator.port)],
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{snowflake_emulator.port}" in result.stderr
    assert "DWSIM_SNOWFLAKE_PORT" in result.stderr
