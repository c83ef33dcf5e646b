"""Every import warning names the 1-based line of the statement or column it is about."""

from dwsim_shared.contracts.enums import Dialect
from dwsim_shared.ddl import import_ddl

DDL = """-- a comment line
CREATE TABLE t (
    id INT PRIMARY KEY,
    spot GEOGRAPHY,
    doubled INT GENERATED ALWAYS AS (id * 2) STORED,
    CHECK (doubled <> 7)
) WITH SOMETHING odd;

GRANT SELECT ON t TO analyst;
ALTER TABLE t ADD COLUMN extra INT, DROP COLUMN spot;
COMMENT ON COLUMN t.missing IS 'x';
CREATE TABLE copy AS SELECT * FROM t;
GRANT SELECT ON t TO other;
ALTER TABLE nowhere ADD COLUMN x INT;
"""

EXPECTED = [  # (line, table, column, the message's start)
    (4, "t", "spot", "type GEOGRAPHY is not supported"),
    (5, "t", "doubled", "computed column AS (id * 2)"),
    (7, "t", None, "ignored 'WITH SOMETHING odd' after the column list"),
    (10, "t", None, "ALTER TABLE t: ignored 'DROP COLUMN spot'"),
    (11, None, None, "COMMENT ON COLUMN names t.missing, which is not declared"),
    (12, "copy", None, "CREATE TABLE copy AS ... declares no columns"),
    (14, None, None, "ALTER TABLE names table nowhere, which is not declared"),
    (6, "t", None, "CHECK (doubled <> 7) is kept but not enforced"),
    (9, None, None, "skipped 2 GRANT statements (lines 9, 13)"),  # at the first of them
]


def test_each_warning_names_its_line_table_and_column():
    exp = import_ddl(DDL, dialect=Dialect.POSTGRES, name="lines")
    got = [(w.line, w.table, w.column, w.message) for w in exp.warnings]
    assert len(got) == len(EXPECTED), got
    for (line, table, column, message), expected in zip(got, EXPECTED, strict=True):
        assert (line, table, column) == expected[:3], (message, expected)
        assert message.startswith(expected[3]), (message, expected)
        assert f"line {line}" not in message  # said once, by the line field
    spot = next(w for w in exp.warnings if w.column == "spot")
    assert str(spot).startswith("line 4: t.spot: type GEOGRAPHY is not supported")


def test_a_type_on_the_line_after_its_column_name_is_that_line():
    ddl = "CREATE TABLE s (\n  id INT,\n  spot\n    GEOGRAPHY\n);"
    [warning] = import_ddl(ddl, dialect=Dialect.REDSHIFT, name="s").warnings
    assert (warning.column, warning.line) == ("spot", 4)
