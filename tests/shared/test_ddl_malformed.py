"""Bad DDL (tests/ddl/malformed/) is an error naming line, column and what is wrong; never a
traceback. Through the CLI: exit code 2, the message on stderr, nothing on stdout."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from dwsim_cli.main import main
from dwsim_shared.contracts.enums import Dialect, TypeKind
from dwsim_shared.ddl import import_ddl
from dwsim_shared.errors import DDLError

MALFORMED = Path(__file__).resolve().parents[1] / "ddl" / "malformed"
CORPUS = MALFORMED.parent

ERRORS = [
    pytest.param("empty.sql", 1, 1, "the DDL is empty: expected at least one CREATE TABLE statement", id="empty-file"),
    pytest.param(
        "missing_paren.sql", 4, 1,
        "missing ')': the column list of table customers opened on line 1, column 24 is never closed",
        id="missing-paren",
    ),
    pytest.param(
        "unclosed_type_paren.sql", 3, 26,
        "expected ')' to close the arguments of type DECIMAL opened on line 3, column 19, found 'NOT'",
        id="missing-paren-in-type",
    ),
    pytest.param(
        "missing_comma.sql", 3, 5,
        "unexpected 'name' in the definition of column customers.id (expected a constraint such as "
        "NOT NULL, DEFAULT or PRIMARY KEY, or ',' or ')')",
        id="missing-comma",
    ),
    pytest.param(
        "fk_unknown_table.sql", 3, 36,
        "table orders: foreign key (customer_id) references unknown table customers",
        id="fk-unknown-table",
    ),
    pytest.param(
        "fk_unknown_column.sql", 5, 53,
        "table orders: foreign key (customer_id) references unknown column customers.customer_id",
        id="fk-unknown-column",
    ),
    pytest.param(
        "fk_cycle.sql", 3, 36,
        "foreign-key cycle with no nullable foreign key to break it: employees -> departments -> "
        "employees (make one of these foreign-key columns nullable)",
        id="fk-cycle-without-nullable-edge",
    ),
    pytest.param(
        "fk_arity.sql", 7, 5,
        "table lineitem: foreign key (l_partkey) has 1 column(s) but references 2 in partsupp",
        id="fk-column-count",
    ),
    pytest.param(
        "pk_unknown_column.sql", 3, 30,
        "table lineitem: primary key names unknown column l_linenumber",
        id="pk-unknown-column",
    ),
    pytest.param(
        "duplicate_column.sql", 4, 5,
        "column CREATED_AT is declared twice in table events (first on line 3)",
        id="duplicate-column",
    ),
    pytest.param(
        "duplicate_table.sql", 2, 14,
        "table events is declared twice (first on line 1); dw-sim names tables without their "
        "schema, so each table name must be unique",
        id="duplicate-table",
    ),
    pytest.param("unterminated_string.sql", 3, 31, "unterminated string literal (no closing ')", id="unterminated-string"),
    pytest.param("unterminated_comment.sql", 2, 1, "unterminated /* comment (no closing */)", id="unterminated-comment"),
    pytest.param(
        "unterminated_identifier.sql", 1, 14, 'unterminated quoted identifier (no closing ")',
        id="unterminated-quoted-identifier",
    ),
    pytest.param(
        "bad_precision.sql", 3, 12,
        "column ledger.amount: type 'DECIMAL(40, 2)': precision must be 1..38 and scale 0..precision",
        id="decimal-precision-out-of-range",
    ),
    pytest.param(
        "no_tables.sql", None, None, "no CREATE TABLE statement found (skipped: 1 CREATE VIEW, 1 GRANT)",
        id="no-create-table",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("file", "line", "column", "message"), ERRORS)
def test_malformed_ddl_is_an_error_with_line_and_column(file, line, column, message):
    text = (MALFORMED / file).read_text()
    with pytest.raises(DDLError) as err:
        import_ddl(text, dialect=Dialect.REDSHIFT, name="bad")
    assert (err.value.line, err.value.column, err.value.message) == (line, column, message)


@pytest.mark.parametrize(("file", "line", "column", "message"), ERRORS)
def test_cli_reports_bad_ddl_on_stderr_with_exit_code_2(file, line, column, message, capsys):
    code = main(["schema", "import", str(MALFORMED / file), "--dialect", "redshift"])
    out, err = capsys.readouterr()
    where = f"line {line}, column {column}: " if line else ""
    assert (code, out, err) == (2, "", f"dwsim schema: error: {where}{message}\n")


def test_unknown_type_is_a_warning_and_the_column_is_kept_as_text():
    exp = import_ddl(
        (MALFORMED / "unknown_type.sql").read_text(), dialect=Dialect.REDSHIFT, name="x"
    )
    location = exp.table("stores").column("location")
    assert (location.type.kind, location.type.raw) == (TypeKind.VARCHAR, "VARCHAR(256)")
    assert location.rule is not None
    [warning] = exp.warnings
    assert (warning.table, warning.column, warning.line) == ("stores", "location", 3)
    assert warning.message == (
        "type GEOGRAPHY is not supported: the column is created as VARCHAR(256) and filled with "
        "generated text"
    )
    assert str(warning).startswith("line 3: stores.location: type GEOGRAPHY")


def test_the_installed_command_prints_json_and_warnings_apart():
    """The real ``dwsim`` entry point, as a user runs it: JSON on stdout, warnings on stderr."""
    script = Path(sys.executable).with_name("dwsim")
    dwsim = str(script) if script.exists() else shutil.which("dwsim")
    assert dwsim, "the dwsim command is not installed (pip install -e ./shared)"
    good = subprocess.run(
        [
            str(dwsim),
            "schema",
            "import",
            str(CORPUS / "snowflake" / "ecommerce.sql"),
            "--dialect",
            "snowflake",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert good.returncode == 0, good.stderr
    experiment = json.loads(good.stdout)
    assert experiment["name"] == "ecommerce"
    assert experiment["warehouse"] == "snowflake"
    assert [t["name"] for t in experiment["tables"]] == [
        "customers",
        "products",
        "Orders",
        "order_items",
    ]
    assert "warning: line 38: Orders.ship_to: type GEOGRAPHY is not supported" in good.stderr
    bad = subprocess.run(
        [dwsim, "schema", "import", str(MALFORMED / "fk_cycle.sql"), "--dialect", "postgres"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode == 2
    assert bad.stdout == ""
    assert bad.stderr.startswith("dwsim schema: error: line 3, column 36: foreign-key cycle")
    assert "Traceback" not in bad.stderr


def test_cli_reads_standard_input_and_honours_warehouse_and_name(monkeypatch, capsys):
    monkeypatch.setattr(
        sys, "stdin", __import__("io").StringIO("CREATE TABLE t (id INT PRIMARY KEY);")
    )
    code = main(
        [
            "schema",
            "import",
            "-",
            "--dialect",
            "postgres",
            "--warehouse",
            "sqlite",
            "--name",
            "demo",
        ]
    )
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    experiment = json.loads(out)
    assert (experiment["name"], experiment["warehouse"], experiment["dialect"]) == (
        "demo",
        "sqlite",
        "postgres",
    )
    assert experiment["tables"][0]["columns"][0]["rule"]["kind"] == "sequence"


def test_a_contract_check_the_parser_did_not_anticipate_still_names_table_and_line():
    """Safety net: any validation error of the built schema becomes a DDLError at the table."""
    from pydantic import ValidationError

    from dwsim_shared.contracts.schema import Experiment
    from dwsim_shared.ddl.build import _translate
    from dwsim_shared.ddl.parser import parse_script

    draft = parse_script("-- one table\nCREATE TABLE sales.t (id INT);", Dialect.REDSHIFT)
    with pytest.raises(ValidationError) as exc:
        Experiment.model_validate({"name": "x", "tables": [{"name": "t", "columns": []}]})
    error = _translate(exc.value, draft)
    assert (error.line, error.column) == (2, 14)
    assert error.message.startswith("table t: List should have at least 1 item")
