"""psql through the emulator: queries, catalog meta-commands and client-side \\copy."""

import shutil
import subprocess
import uuid

import pytest

from tests.fixtures.redshift import RedshiftEmulator

PSQL = shutil.which("psql")
pytestmark = pytest.mark.skipif(PSQL is None, reason="psql is not installed")


def _psql(emulator: RedshiftEmulator, *commands: str, stdin: str | None = None) -> str:
    args = [PSQL, emulator.dsn, "-X", "-v", "ON_ERROR_STOP=1", "-At"]
    for command in commands:
        args += ["-c", command]
    done = subprocess.run(args, input=stdin, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_psql_queries_meta_commands_and_copy(redshift_emulator):
    table = f"p_{uuid.uuid4().hex[:8]}"
    _psql(redshift_emulator, f"CREATE TABLE {table} (a int, b varchar(10))")
    try:
        _psql(redshift_emulator, f"\\copy {table} from stdin with (format csv)", stdin="1,x\n2,y\n")
        out = _psql(redshift_emulator, f"SELECT sum(a), string_agg(b, '') FROM {table}", "\\dt")
        lines = out.splitlines()
        assert lines[0] == "3|xy"
        assert any(line.startswith(f"public|{table}|table|") for line in lines)
    finally:
        _psql(redshift_emulator, f"DROP TABLE {table}")
