"""COPY of text formats (CSV, delimited text, JSON) from moto S3 into real PostgreSQL: each option."""

import bz2
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

import pyarrow as pa
import pytest

from dwsim_redshift.copy import run_copy

UTC = dt.UTC


@dataclass
class Case:
    ddl: str
    files: dict[str, str]  # key -> text
    options: str
    expected: list[tuple]
    gzip: bool = False
    compression: str | None = None  # bz2 / zstd, through pyarrow's codecs


CASES = [
    pytest.param(
        Case(
            "a int, b varchar(20), c numeric(10,2)",
            {"d/1.csv": 'id,name,amt\n1,"x, y",1.5\n2,"say ""hi""",\n'},
            "CSV IGNOREHEADER 1",
            [(1, "x, y", Decimal("1.50")), (2, 'say "hi"', None)],
        ),
        id="csv-ignoreheader-quotes",
    ),
    pytest.param(
        Case(
            "a int, b varchar(20)",
            {"d/1.csv": "1;'a;b'\n2;'c'\n"},
            "CSV DELIMITER ';' QUOTE AS ''''",
            [(1, "a;b"), (2, "c")],
        ),
        id="csv-delimiter-quote",
    ),
    pytest.param(
        Case(
            "a int, b varchar(20), c varchar(5)",
            {"d/1.csv": "1,nil,\n2,,  \n"},
            "CSV NULL AS 'nil' EMPTYASNULL BLANKSASNULL",
            [(1, None, None), (2, None, None)],
        ),
        id="csv-null-as-emptyasnull-blanksasnull",
    ),
    pytest.param(
        Case("a int, b varchar(20)", {"d/1.csv": "1,\n2,  \n"}, "CSV", [(1, ""), (2, "  ")]),
        id="csv-empty-strings-kept",
    ),
    pytest.param(
        Case(
            "a int, b text",
            {"d/1.csv.gz": "1,one\n2,two\n"},
            "CSV GZIP",
            [(1, "one"), (2, "two")],
            gzip=True,
        ),
        id="csv-gzip",
    ),
    pytest.param(
        Case(
            "a int, b text",
            {"d/1.txt.bz2": "1|one\n2|two\n"},
            "BZIP2",
            [(1, "one"), (2, "two")],
            compression="bz2",
        ),
        id="text-bzip2",
    ),
    pytest.param(
        Case(
            "a int, b text",
            {"d/1.csv.zst": "1,one\n"},
            "CSV ZSTD",
            [(1, "one")],
            compression="zstd",
        ),
        id="csv-zstd",
    ),
    pytest.param(
        Case(
            "a int, b text, c date",
            {"d/1.txt": "1|pipe|2024-02-29\n2|\\N|\n"},
            "",
            [(1, "pipe", dt.date(2024, 2, 29)), (2, None, None)],
        ),
        id="text-pipe-default",
    ),
    pytest.param(
        Case(
            "a int, b text",
            {"d/1.txt": '1|"quoted|pipe"\n2|plain\n'},
            "REMOVEQUOTES",
            [(1, "quoted|pipe"), (2, "plain")],
        ),
        id="text-removequotes",
    ),
    pytest.param(
        Case(
            "a int, b text, c int",
            {"d/1.csv": '1,"x, y",3\n2,z\n4\n'},
            "CSV FILLRECORD",
            [(1, "x, y", 3), (2, "z", None), (4, None, None)],
        ),
        id="csv-fillrecord",
    ),
    pytest.param(
        Case(
            "a int, b text",
            {"d/1.tsv": "1\tone\n2\ttwo\n"},
            "DELIMITER '\\t'",
            [(1, "one"), (2, "two")],
        ),
        id="text-tab",
    ),
    pytest.param(
        Case(
            "id int, name text, tags super_placeholder",
            {
                "d/1.json": '{"id": 1, "name": "a", "tags": {"k": [1, 2]}}\n{"name": "b", "id": 2, "extra": true}\n'
            },
            "JSON 'auto'",
            [(1, "a", {"k": [1, 2]}), (2, "b", None)],
        ),
        id="json-auto-by-name",
    ),
    pytest.param(
        Case(
            "id int, name text",
            {"d/1.json": '{"ID": 1, "Name": "a"}\n'},
            "FORMAT AS JSON 'auto ignorecase'",
            [(1, "a")],
        ),
        id="json-auto-ignorecase",
    ),
    pytest.param(
        Case(
            "id int, name text",
            {"d/1.json": '{"ID": 1, "name": "a"}\n'},
            "JSON 'auto'",
            [(None, "a")],
        ),
        id="json-auto-case-sensitive",
    ),
    pytest.param(
        Case(
            "d date, t timestamp",
            {"d/1.csv": "03/15/2024,15.03.2024 10:11:12\n"},
            "CSV DATEFORMAT 'MM/DD/YYYY' TIMEFORMAT 'DD.MM.YYYY HH24:MI:SS'",
            [(dt.date(2024, 3, 15), dt.datetime(2024, 3, 15, 10, 11, 12))],
        ),
        id="dateformat-timeformat",
    ),
    pytest.param(
        Case(
            "d date, t timestamp",
            {"d/1.csv": "2024/03/15,2024-03-15T10:11:12.250\nMar 16 2024,03/16/2024 01:02:03\n"},
            "CSV DATEFORMAT 'auto' TIMEFORMAT 'auto'",
            [
                (dt.date(2024, 3, 15), dt.datetime(2024, 3, 15, 10, 11, 12, 250000)),
                (dt.date(2024, 3, 16), dt.datetime(2024, 3, 16, 1, 2, 3)),
            ],
        ),
        id="auto-formats",
    ),
    pytest.param(
        Case(
            "t timestamp, tz timestamptz",
            {"d/1.csv": "1700000000,1700000000.5\n"},
            "CSV TIMEFORMAT 'epochsecs'",
            [
                (
                    dt.datetime(2023, 11, 14, 22, 13, 20),
                    dt.datetime(2023, 11, 14, 22, 13, 20, 500000, tzinfo=UTC),
                )
            ],
        ),
        id="epochsecs",
    ),
    pytest.param(
        Case(
            "t timestamp",
            {"d/1.csv": "1700000000123\n"},
            "CSV TIMEFORMAT AS 'epochmillisecs'",
            [(dt.datetime(2023, 11, 14, 22, 13, 20, 123000),)],
        ),
        id="epochmillisecs",
    ),
    pytest.param(
        Case(
            "a numeric, b numeric(50,20), c numeric",
            {"d/1.csv": "1.5,12345678901234567890123456789.12345678901234567890,2.25\n-3,1,10\n"},
            "CSV",
            [
                (
                    Decimal("1.5"),
                    Decimal("12345678901234567890123456789.12345678901234567890"),
                    Decimal("2.25"),
                ),
                (Decimal("-3"), Decimal("1.00000000000000000000"), Decimal("10")),
            ],
        ),
        id="unconstrained-and-wide-numeric",
    ),
    pytest.param(
        Case(
            "a numeric(6,2), b numeric(6,2)",
            {"d/1.csv": "1.239,-1.239\n"},
            "CSV",
            [(Decimal("1.23"), Decimal("-1.23"))],
        ),
        id="decimal-truncated",
    ),
    pytest.param(
        Case(
            "a numeric(6,2), b numeric(6,2)",
            {"d/1.csv": "1.235,-1.235\n"},
            "CSV ROUNDEC",
            [(Decimal("1.24"), Decimal("-1.24"))],
        ),
        id="decimal-roundec",
    ),
    pytest.param(
        Case(
            "a varchar(3), b char(2)",
            {"d/1.csv": "abcdef,xyz\n"},
            "CSV TRUNCATECOLUMNS",
            [("abc", "xy")],
        ),
        id="truncatecolumns",
    ),
    pytest.param(
        Case(
            "a bool, b uuid, c float8, d interval",
            {"d/1.csv": "yes,00000000-0000-0000-0000-00000000000a,1e3,1 day\nf,,-inf,\n"},
            "CSV",
            [
                (True, "00000000-0000-0000-0000-00000000000a", 1000.0, dt.timedelta(days=1)),
                (False, None, float("-inf"), None),
            ],
        ),
        id="bool-uuid-float-and-a-type-sent-as-csv",
    ),
]


@pytest.mark.parametrize("case", CASES)
def test_copy_text_formats(case: Case, session, stage, rs_settings):
    session.execute(f"CREATE TABLE t ({case.ddl.replace('super_placeholder', 'jsonb')})")
    for key, text in case.files.items():
        if case.compression:
            data = text.encode()
            packed = (
                bz2.compress(data)
                if case.compression == "bz2"
                else pa.compress(data, codec=case.compression, asbytes=True)
            )
            stage.put(key, packed)
        else:
            stage.put_gzip(key, text) if case.gzip else stage.put(key, text)
    result = run_copy(
        f"COPY t FROM '{stage.url('d/')}' IAM_ROLE 'arn:aws:iam::1:role/x' {case.options}",
        session,
        rs_settings,
    )
    rows = session.execute("SELECT * FROM t")
    assert sorted(rows, key=repr) == sorted(case.expected, key=repr)
    assert (result.rows, result.files) == (len(case.expected), len(case.files))
