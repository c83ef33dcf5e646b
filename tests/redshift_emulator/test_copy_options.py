"""COPY/UNLOAD statements are read option by option, flags and values alike (no servers)."""

import pytest

from dwsim_redshift.copy import CopyError, is_copy, is_unload
from dwsim_redshift.copy.options import Compression, DataFormat, parse_copy, parse_unload


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("COPY t FROM 's3://b/p' IAM_ROLE 'arn:x' FORMAT AS PARQUET", True),
        ("  /* load */ copy s.t (a, b) from 's3://b/p' csv", True),
        ("COPY t FROM STDIN", False),
        ("COPY t FROM '/tmp/file.csv'", False),
        ("SELECT 'COPY t FROM ''s3://x'''", False),
        ("copyright", False),
    ],
)
def test_is_copy_only_for_s3_sources(sql, expected):
    assert is_copy(sql) is expected


def test_is_unload():
    assert is_unload("unload ('select 1') to 's3://b/x' iam_role default")
    assert not is_unload("select unload from t")


@pytest.mark.parametrize(
    ("sql", "check"),
    [
        pytest.param(
            "COPY t FROM 's3://b/p' CSV IGNOREHEADER 1 DELIMITER ';' GZIP",
            lambda c: (
                (c.format, c.ignore_header, c.delimiter, c.compression)
                == (DataFormat.CSV, 1, ";", Compression.GZIP)
            ),
            id="flag-then-valued-options",
        ),
        pytest.param(
            "COPY t FROM 's3://b/p' FORMAT AS CSV QUOTE AS '''' NULL AS 'nil' EMPTYASNULL BLANKSASNULL",
            lambda c: (
                (c.quote, c.null_as, c.has("EMPTYASNULL"), c.has("BLANKSASNULL"))
                == ("'", "nil", True, True)
            ),
            id="csv-quote-null",
        ),
        pytest.param(
            r"COPY t FROM 's3://b/p' DELIMITER AS '\t' NULL AS '\N'",
            lambda c: (c.format, c.delimiter, c.null_as) == (DataFormat.TEXT, "\t", "\\N"),
            id="text-tab-delimiter",
        ),
        pytest.param(
            "COPY t FROM 's3://b/p' JSON 'auto ignorecase' REGION AS 'eu-west-1' COMPUPDATE OFF STATUPDATE ON",
            lambda c: (
                (c.format, c.json_ignorecase, c.options["REGION"], c.options["COMPUPDATE"])
                == (DataFormat.JSON, True, "eu-west-1", "OFF")
            ),
            id="json-auto-ignorecase",
        ),
        pytest.param(
            "COPY t FROM 's3://b/m' CREDENTIALS 'aws_access_key_id=A;aws_secret_access_key=B' MANIFEST PARQUET",
            lambda c: c.has("MANIFEST") and c.format is DataFormat.PARQUET,
            id="credentials-manifest",
        ),
        pytest.param(
            "COPY t FROM 's3://b/p' ACCESS_KEY_ID 'a' SECRET_ACCESS_KEY 'b' TIMEFORMAT 'epochsecs' DATEFORMAT AS 'auto' MAXERROR 5 COMPUPDATE TRUNCATECOLUMNS ACCEPTINVCHARS",
            lambda c: (
                (
                    c.options["TIMEFORMAT"],
                    c.options["DATEFORMAT"],
                    c.max_errors,
                    c.has("TRUNCATECOLUMNS"),
                )
                == ("epochsecs", "auto", 5, True)
            ),
            id="optional-values",
        ),
        pytest.param(
            'COPY "Sales"."Orders" ("Id", amount) FROM \'s3://b/p\' PARQUET;',
            lambda c: (
                (c.table.schema, c.table.name, c.columns) == ("Sales", "Orders", ["Id", "amount"])
            ),
            id="quoted-names",
        ),
        pytest.param(
            "COPY #staging FROM 's3://b/p' PARQUET",
            lambda c: c.table.name == "staging",
            id="temp-table",
        ),
    ],
)
def test_parse_copy(sql, check):
    assert check(parse_copy(sql))


@pytest.mark.parametrize(
    ("sql", "message"),
    [
        ("COPY t FROM 's3://b/p' BOGUS 1", 'syntax error at or near "BOGUS"'),
        ("COPY t FROM 's3://b/p' DELIMITER", "DELIMITER needs a value"),
        ("COPY t FROM 's3://b/p' FORMAT AS AVRO 'auto'", "AVRO is not supported"),
        ("COPY t FROM 's3://b/p' JSON 'autox'", "Invalid JSON option 'autox'"),
        ("COPY t FROM 's3://b/p' IGNOREHEADER 'x'", "IGNOREHEADER expects a whole number"),
        ("UNLOAD ('select 1') TO 's3://b/x' FORMAT AS AVRO", "AVRO is not supported"),
    ],
)
def test_bad_options_name_the_problem(sql, message):
    parser = parse_unload if sql.startswith("UNLOAD") else parse_copy
    with pytest.raises(CopyError, match=message):
        parser(sql).ignore_header  # noqa: B018 - IGNOREHEADER is read lazily


def test_parse_unload_unescapes_doubled_quotes():
    cmd = parse_unload(
        "UNLOAD ('select * from t where name = ''it''''s''') TO 's3://b/out/t_' "
        "IAM_ROLE default FORMAT AS CSV HEADER PARALLEL OFF ALLOWOVERWRITE MANIFEST GZIP"
    )
    assert cmd.query == "select * from t where name = 'it''s'"
    assert (cmd.format, cmd.parallel, cmd.compression) == (DataFormat.CSV, False, Compression.GZIP)
    assert [cmd.has(o) for o in ("HEADER", "ALLOWOVERWRITE", "MANIFEST")] == [True] * 3


def test_parse_unload_accepts_backslash_escaped_quotes():
    cmd = parse_unload(
        r"unload ('select * from t where a = \'x\'') to 's3://b/p_' iam_role default delimiter '\t'"
    )
    assert cmd.query == "select * from t where a = 'x'"
    assert cmd.delimiter == "\t"
